package io.curvefs.client.data;

/**
 * How a file system cuts files into chunks and blocks (from its FsInfo.S3Info). Chunk and block
 * boundaries are both multiples of {@code blockSize} counted from file offset 0, because a chunk
 * is a whole number of blocks.
 */
public record FsLayout(int fsId, long blockSize, long chunkSize) {
    public FsLayout {
        if (blockSize <= 0 || chunkSize <= 0 || chunkSize % blockSize != 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize
                    + " must be a positive multiple of block size " + blockSize);
        }
    }

    /** The chunk holding the file offset: the key of the inode's s3ChunkInfoMap. */
    public long chunkIndex(long offset) {
        return offset / chunkSize;
    }

    /** The file offset where a chunk begins. */
    public long chunkStart(long chunkIndex) {
        return chunkIndex * chunkSize;
    }

    /** The first file offset past the chunk holding {@code offset}. */
    public long chunkEnd(long offset) {
        return chunkStart(chunkIndex(offset) + 1);
    }

    /** The block slot, counted inside its chunk, holding the file offset. */
    public long blockIndex(long offset) {
        return (offset % chunkSize) / blockSize;
    }

    /** The file offset where the block holding {@code offset} begins. */
    public long blockStart(long offset) {
        return offset - offset % blockSize;
    }

    /** The first file offset past the block holding {@code offset}. */
    public long blockEnd(long offset) {
        return blockStart(offset) + blockSize;
    }
}
