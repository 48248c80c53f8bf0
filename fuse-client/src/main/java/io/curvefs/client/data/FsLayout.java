package io.curvefs.client.data;

/** How a file system cuts files into chunks and blocks (from its FsInfo.S3Info). */
public record FsLayout(int fsId, long blockSize, long chunkSize) {
    public FsLayout {
        if (blockSize <= 0 || chunkSize <= 0 || chunkSize % blockSize != 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize
                    + " must be a positive multiple of block size " + blockSize);
        }
    }
}
