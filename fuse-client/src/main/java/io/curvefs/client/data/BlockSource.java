package io.curvefs.client.data;

import io.curvefs.client.data.cache.DiskCache;
import io.curvefs.client.data.cache.MemoryBlockCache;
import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStoreException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the data path gets block objects from: the memory cache, then the disk cache, then the
 * object store. A whole-object fetch is shared by everyone who wants that object while it is in
 * flight, and its result goes into the caches (into the disk cache on a small pool of threads
 * with a bounded queue, so that neither the object store's threads nor readers wait for the
 * disk, and a slow disk drops cache writes rather than piling up memory).
 *
 * <p>Memory bound: whole-object fetches in flight are limited by the read slots shared with
 * ranged GETs, and background prefetches by their own slots, which are only tried, never waited
 * for.
 */
final class BlockSource implements AutoCloseable {

    private static final int DISK_WRITE_QUEUE = 8;

    private final ObjectStore objects;
    private final MemoryBlockCache memory;
    private final DiskCache disk;
    private final Semaphore readSlots;
    private final Semaphore prefetchSlots;
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor diskWriter;

    BlockSource(ObjectStore objects, MemoryBlockCache memory, DiskCache disk, int readParallelism) {
        this.objects = objects;
        this.memory = memory;
        this.disk = disk;
        this.readSlots = new Semaphore(readParallelism);
        this.prefetchSlots = new Semaphore(Math.max(1, readParallelism / 2));
        AtomicInteger n = new AtomicInteger();
        this.diskWriter = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(DISK_WRITE_QUEUE), r -> {
                    Thread t = new Thread(r, "curvefs-cache-writer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Whether fetched blocks are kept anywhere; without caches, reads fetch exact ranges only. */
    boolean caching() {
        return memory.enabled() || disk != null;
    }

    DiskCache disk() {
        return disk;
    }

    /** The whole object from a cache, or null. A disk hit is promoted into memory. */
    byte[] cached(String key) {
        byte[] block = memory.get(key);
        if (block == null && disk != null) {
            block = disk.get(key);
            if (block != null) {
                memory.put(key, block);
            }
        }
        return block;
    }

    /** Whether the object is in the most durable local cache there is (warmup skips those). */
    boolean heldLocally(String key) {
        return disk != null ? disk.contains(key) : memory.contains(key);
    }

    CompletableFuture<byte[]> inFlight(String key) {
        return inFlight.get(key);
    }

    /** The whole object, fetched once however many ask meanwhile, then cached. */
    CompletableFuture<byte[]> whole(String key, int length) {
        CompletableFuture<byte[]> existing = inFlight.get(key);
        if (existing != null) {
            return existing;
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        existing = inFlight.putIfAbsent(key, mine);
        if (existing != null) {
            return existing;
        }
        range(key, 0, length).whenComplete((bytes, error) -> {
            inFlight.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else if (bytes.length != length) {
                mine.completeExceptionally(new ObjectStoreException("object " + key + " has " + bytes.length
                        + " bytes where its chunk info promises " + length));
            } else {
                keep(key, bytes);
                mine.complete(bytes);
            }
        });
        return mine;
    }

    /** Starts a background whole-object fetch if a prefetch slot is free; returns whether it did. */
    boolean prefetch(String key, int length) {
        if (!caching() || inFlight.containsKey(key) || memory.contains(key)
                || (disk != null && disk.contains(key)) || !prefetchSlots.tryAcquire()) {
            return false;
        }
        whole(key, length).whenComplete((bytes, error) -> prefetchSlots.release());
        return true;
    }

    /** A ranged GET once a read slot is free. */
    CompletableFuture<byte[]> range(String key, long offset, int length) {
        readSlots.acquireUninterruptibly();
        try {
            return objects.get(key, offset, length).whenComplete((ignored, error) -> readSlots.release());
        } catch (RuntimeException e) {
            readSlots.release();
            throw e;
        }
    }

    /** Keeps a block just fetched or written: memory now, disk in the background. */
    void keep(String key, byte[] block) {
        memory.put(key, block);
        keepOnDisk(key, block);
    }

    /** Keeps a block on disk only (data just written: likely read again, but not surely soon). */
    void keepOnDisk(String key, byte[] block) {
        if (disk != null) {
            diskWriter.execute(() -> disk.put(key, block));
        }
    }

    @Override
    public void close() {
        diskWriter.shutdown();
        try {
            diskWriter.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        memory.clear();
    }
}
