package io.curvefs.client.data;

/**
 * Tuning of the data path of one mount.
 *
 * @param writeBufferBytes  bound on memory holding written, not yet uploaded data (all inodes);
 *                          writers flush or wait when it is reached
 * @param pageSize          granule of that memory: buffered data lives in file-aligned pages
 * @param uploadParallelism PUTs in flight at once, over all flushes
 * @param readParallelism   ranged GETs in flight at once, over all reads
 * @param cachedChunkMaps   inodes whose chunk lists are kept in memory
 */
public record DataConfig(long writeBufferBytes, int pageSize, int uploadParallelism,
                         int readParallelism, int cachedChunkMaps) {

    public static final long DEFAULT_WRITE_BUFFER_BYTES = 256L << 20;
    public static final int DEFAULT_PAGE_SIZE = 64 << 10;
    public static final int DEFAULT_UPLOAD_PARALLELISM = 64;
    public static final int DEFAULT_READ_PARALLELISM = 64;
    public static final int DEFAULT_CACHED_CHUNK_MAPS = 10_000;

    public DataConfig {
        if (pageSize <= 0) {
            throw new IllegalArgumentException("page size must be positive, got " + pageSize);
        }
        if (writeBufferBytes < 4L * pageSize) {
            throw new IllegalArgumentException("write buffer of " + writeBufferBytes
                    + " bytes must hold at least 4 pages of " + pageSize + " bytes");
        }
        if (uploadParallelism <= 0 || readParallelism <= 0 || cachedChunkMaps <= 0) {
            throw new IllegalArgumentException("parallelism and cache sizes must be positive");
        }
    }

    public static DataConfig defaults() {
        return new DataConfig(DEFAULT_WRITE_BUFFER_BYTES, DEFAULT_PAGE_SIZE, DEFAULT_UPLOAD_PARALLELISM,
                DEFAULT_READ_PARALLELISM, DEFAULT_CACHED_CHUNK_MAPS);
    }

    public DataConfig withWriteBufferBytes(long bytes) {
        return new DataConfig(bytes, pageSize, uploadParallelism, readParallelism, cachedChunkMaps);
    }
}
