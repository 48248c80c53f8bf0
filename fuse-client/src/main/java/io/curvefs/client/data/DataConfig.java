package io.curvefs.client.data;

import java.nio.file.Path;

/**
 * Tuning of the data path of one mount.
 *
 * @param writeBufferBytes  bound on memory holding written, not yet uploaded data (all inodes);
 *                          writers flush or wait when it is reached
 * @param pageSize          granule of that memory: buffered data lives in file-aligned pages
 * @param uploadParallelism PUTs in flight at once, over all flushes
 * @param readParallelism   ranged GETs in flight at once, over all reads
 * @param cachedChunkMaps   inodes whose chunk lists are kept in memory
 * @param memoryCacheBytes  bound on the in-memory cache of whole block objects (0 turns it off)
 * @param cacheDir          the local disk cache ({@code cacheread/}, {@code cachewrite/} under it);
 *                          null turns the disk cache off
 * @param diskCacheBytes    bound on the bytes the disk cache holds
 * @param freeSpaceRatio    the disk cache trims itself so that at least this share of its file
 *                          system stays free
 * @param writeBack         flushed blocks land in {@code cachewrite/} and upload in the background
 *                          (needs a cache dir); off by default, since a lost local disk then loses
 *                          acknowledged data
 * @param readaheadMaxBytes largest read-ahead window of a sequential reader (0 turns it off)
 */
public record DataConfig(long writeBufferBytes, int pageSize, int uploadParallelism,
                         int readParallelism, int cachedChunkMaps, long memoryCacheBytes, Path cacheDir,
                         long diskCacheBytes, double freeSpaceRatio, boolean writeBack,
                         long readaheadMaxBytes) {

    public static final long DEFAULT_WRITE_BUFFER_BYTES = 112L << 20;
    public static final int DEFAULT_PAGE_SIZE = 64 << 10;
    public static final int DEFAULT_UPLOAD_PARALLELISM = 64;
    public static final int DEFAULT_READ_PARALLELISM = 64;
    public static final int DEFAULT_CACHED_CHUNK_MAPS = 10_000;
    public static final long DEFAULT_MEMORY_CACHE_BYTES = 112L << 20;
    public static final long DEFAULT_DISK_CACHE_BYTES = 100L << 30;
    public static final double DEFAULT_FREE_SPACE_RATIO = 0.1;
    public static final long DEFAULT_READAHEAD_MAX_BYTES = 32L << 20;

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
        if (memoryCacheBytes < 0 || diskCacheBytes < 0 || readaheadMaxBytes < 0) {
            throw new IllegalArgumentException("cache sizes and the read-ahead window must not be negative");
        }
        if (freeSpaceRatio < 0 || freeSpaceRatio >= 1) {
            throw new IllegalArgumentException("free space ratio must be in [0, 1), got " + freeSpaceRatio);
        }
        if (writeBack && cacheDir == null) {
            throw new IllegalArgumentException("write-back needs a cache directory");
        }
    }

    /** The settings without caches beyond the defaults (memory cache and read-ahead on, no disk cache). */
    public DataConfig(long writeBufferBytes, int pageSize, int uploadParallelism, int readParallelism,
                      int cachedChunkMaps) {
        this(writeBufferBytes, pageSize, uploadParallelism, readParallelism, cachedChunkMaps,
                DEFAULT_MEMORY_CACHE_BYTES, null, DEFAULT_DISK_CACHE_BYTES, DEFAULT_FREE_SPACE_RATIO, false,
                DEFAULT_READAHEAD_MAX_BYTES);
    }

    public static DataConfig defaults() {
        return new DataConfig(DEFAULT_WRITE_BUFFER_BYTES, DEFAULT_PAGE_SIZE, DEFAULT_UPLOAD_PARALLELISM,
                DEFAULT_READ_PARALLELISM, DEFAULT_CACHED_CHUNK_MAPS);
    }

    /**
     * This config with the write buffer and the memory block cache each held to a sixth of
     * {@code maxHeapBytes}: both live on the heap, next to copies of blocks being uploaded, so
     * defaults sized for a large heap must not exhaust a small one (a failed allocation there
     * fails FUSE writes).
     */
    public DataConfig fittedTo(long maxHeapBytes) {
        long share = Math.max(DEFAULT_PAGE_SIZE, maxHeapBytes / 6);
        return withWriteBufferBytes(Math.min(writeBufferBytes, share)).withMemoryCache(Math.min(memoryCacheBytes, share));
    }

    public DataConfig withWriteBufferBytes(long bytes) {
        return new DataConfig(bytes, pageSize, uploadParallelism, readParallelism, cachedChunkMaps,
                memoryCacheBytes, cacheDir, diskCacheBytes, freeSpaceRatio, writeBack, readaheadMaxBytes);
    }

    public DataConfig withMemoryCache(long bytes) {
        return new DataConfig(writeBufferBytes, pageSize, uploadParallelism, readParallelism, cachedChunkMaps,
                bytes, cacheDir, diskCacheBytes, freeSpaceRatio, writeBack, readaheadMaxBytes);
    }

    /** Turns the disk cache on in {@code dir}, or off with null (which also turns write-back off). */
    public DataConfig withDiskCache(Path dir, long bytes, double minFreeRatio) {
        return new DataConfig(writeBufferBytes, pageSize, uploadParallelism, readParallelism, cachedChunkMaps,
                memoryCacheBytes, dir, bytes, minFreeRatio, writeBack && dir != null, readaheadMaxBytes);
    }

    public DataConfig withWriteBack(boolean on) {
        return new DataConfig(writeBufferBytes, pageSize, uploadParallelism, readParallelism, cachedChunkMaps,
                memoryCacheBytes, cacheDir, diskCacheBytes, freeSpaceRatio, on, readaheadMaxBytes);
    }

    public DataConfig withReadaheadMax(long bytes) {
        return new DataConfig(writeBufferBytes, pageSize, uploadParallelism, readParallelism, cachedChunkMaps,
                memoryCacheBytes, cacheDir, diskCacheBytes, freeSpaceRatio, writeBack, bytes);
    }
}
