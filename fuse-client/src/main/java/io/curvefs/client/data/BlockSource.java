package io.curvefs.client.data;

import io.curvefs.client.data.cache.DiskCache;
import io.curvefs.client.data.cache.MemoryBlockCache;
import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStoreException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the data path gets block objects from: the memory cache, then the disk cache, then the
 * object store. A whole object is fetched as parallel ranged GETs of at most {@link #PART_BYTES}
 * into one array (a {@link Landing}); a reader waits only for the parts it needs, so a
 * sequential reader is served as the parts land instead of after the whole 4 MiB object. A
 * landing is shared by everyone who wants that object while it is in flight, and the complete
 * object goes into the caches (into the disk cache on a small pool of threads with a bounded
 * queue, so that neither the object store's threads nor readers wait for the disk, and a slow
 * disk drops cache writes rather than piling up memory).
 *
 * <p>Small ranged reads (random access) are cached too, under the range, so that re-reading a
 * record costs no GET without ever fetching the whole object behind a 4 KiB read.
 *
 * <p>Memory bound: GET bodies in flight are bounded in bytes, not only in count (64 GETs of
 * 4 MiB objects are 256 MiB on the heap, twice that while the SDK copies them): foreground GETs
 * wait for a read slot and for their bytes' worth of the in-flight budget, background prefetches
 * only try for their own half of it and are skipped when it is used up.
 */
final class BlockSource implements AutoCloseable {

    /** Largest single GET: whole objects and large ranges are split into parts this big. */
    static final int PART_BYTES = 4 << 20;
    /** Granule of the in-flight byte budget. */
    private static final int BUDGET_UNIT = 64 << 10;
    private static final int DISK_WRITE_QUEUE = 8;

    private final ObjectStore objects;
    private final MemoryBlockCache memory;
    private final DiskCache disk;
    private final Semaphore readSlots;
    private final Semaphore readBudget;
    private final Semaphore prefetchBudget;
    private final ConcurrentHashMap<String, Landing> inFlight = new ConcurrentHashMap<>();
    private final Set<String> diskPrefetches = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor diskWriter;

    /**
     * @param inFlightBytes bound on the bodies of foreground GETs in flight; background
     *                      prefetches get half of it again (each at least one part)
     */
    BlockSource(ObjectStore objects, MemoryBlockCache memory, DiskCache disk, int readParallelism,
                long inFlightBytes) {
        this.objects = objects;
        this.memory = memory;
        this.disk = disk;
        this.readSlots = new Semaphore(readParallelism);
        int units = units(Math.max(PART_BYTES, Math.min(inFlightBytes, Integer.MAX_VALUE)));
        this.readBudget = new Semaphore(units);
        this.prefetchBudget = new Semaphore(Math.max(units(PART_BYTES), units / 2));
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

    /** The whole object from memory, or null. */
    byte[] cachedInMemory(String key) {
        return memory.get(key);
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

    Landing inFlight(String key) {
        return inFlight.get(key);
    }

    /** The whole object, fetched once however many ask meanwhile, then cached. */
    Landing whole(String key, int length) {
        return whole(key, length, false);
    }

    private Landing whole(String key, int length, boolean background) {
        Landing existing = inFlight.get(key);
        if (existing != null) {
            return existing;
        }
        Landing mine = new Landing(key, length);
        existing = inFlight.putIfAbsent(key, mine);
        if (existing != null) {
            return existing;
        }
        mine.done.whenComplete((bytes, error) -> {
            if (error == null) {
                keep(key, bytes);
            }
            inFlight.remove(key, mine);
        });
        for (int part = 0; part < mine.parts.length; part++) {
            int offset = part * PART_BYTES;
            int partLength = Math.min(PART_BYTES, length - offset);
            mine.land(part, getPart(key, offset, partLength, background));
        }
        return mine;
    }

    /**
     * For a random reader: fetches the whole object in the background into the disk cache only
     * (a random reader would churn the memory cache), if the prefetch budget allows, so that
     * later reads anywhere in it are served locally (JuiceFS prefetches a block on a random
     * read the same way). Not a landing: readers keep their own ranged GETs meanwhile.
     */
    void prefetchToDisk(String key, int length) {
        if (disk == null || length > PART_BYTES || disk.contains(key) || inFlight.containsKey(key)
                || !diskPrefetches.add(key)) {
            return;
        }
        int units = units(length);
        if (!prefetchBudget.tryAcquire(units)) {
            diskPrefetches.remove(key);
            return;
        }
        getPart(key, 0, length, true).whenComplete((bytes, error) -> {
            if (error == null) {
                keepOnDisk(key, bytes);
            }
            prefetchBudget.release(units);
            diskPrefetches.remove(key);
        });
    }

    /** Starts a background whole-object fetch if prefetch slots are free; returns whether it did. */
    boolean prefetch(String key, int length) {
        int units = units(length);
        if (!caching() || inFlight.containsKey(key) || memory.contains(key)
                || (disk != null && disk.contains(key)) || !prefetchBudget.tryAcquire(units)) {
            return false;
        }
        whole(key, length, true).done.whenComplete((bytes, error) -> prefetchBudget.release(units));
        return true;
    }

    /**
     * A range read earlier by {@link #rangeKept}, else the range from the disk cache (only the
     * pieces it touches are read), or null.
     */
    byte[] cachedRange(String key, long offset, int length) {
        byte[] range = memory.get(rangeKey(key, offset, length));
        if (range == null && disk != null) {
            range = disk.read(key, Math.toIntExact(offset), length);
        }
        return range;
    }

    /** A ranged GET (in parallel parts when large) whose bytes are kept in memory under the range. */
    CompletableFuture<byte[]> rangeKept(String key, long offset, int length) {
        return range(key, offset, length).thenApply(bytes -> {
            memory.put(rangeKey(key, offset, length), bytes);
            return bytes;
        });
    }

    /** A ranged GET, split into parallel parts of at most {@link #PART_BYTES}. */
    CompletableFuture<byte[]> range(String key, long offset, int length) {
        if (length <= PART_BYTES) {
            return get(key, offset, length);
        }
        Landing parts = new Landing(key, length);
        for (int part = 0; part < parts.parts.length; part++) {
            int at = part * PART_BYTES;
            parts.land(part, getPart(key, offset + at, Math.min(PART_BYTES, length - at), false));
        }
        return parts.done;
    }

    private static int units(long bytes) {
        return (int) Math.max(1, (bytes + BUDGET_UNIT - 1) / BUDGET_UNIT);
    }

    private static String rangeKey(String key, long offset, int length) {
        return key + "@" + offset + "+" + length;
    }

    /**
     * One part's GET; background parts take no read slot (prefetches hold their own budget). A
     * synchronous failure becomes a failed part, so that nobody waits on a part never started.
     */
    private CompletableFuture<byte[]> getPart(String key, long offset, int length, boolean background) {
        try {
            return background ? objects.get(key, offset, length) : get(key, offset, length);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One GET once a read slot and its bytes' worth of the in-flight budget are free. */
    private CompletableFuture<byte[]> get(String key, long offset, int length) {
        int units = units(length);
        readSlots.acquireUninterruptibly();
        readBudget.acquireUninterruptibly(units);
        try {
            return objects.get(key, offset, length).whenComplete((ignored, error) -> {
                readBudget.release(units);
                readSlots.release();
            });
        } catch (RuntimeException e) {
            readBudget.release(units);
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

    /**
     * One object (or range) arriving as parallel parts into one array. Parts complete on their
     * own, so a reader of a few bytes waits for one part, not for the whole object. A single
     * part is taken as it comes, without a copy into an array of its own.
     */
    static final class Landing {
        private final String key;
        private final int length;
        private volatile byte[] bytes;
        private final CompletableFuture<?>[] parts;
        private final CompletableFuture<byte[]> done = new CompletableFuture<>();

        Landing(String key, int length) {
            this.key = key;
            this.length = length;
            this.parts = new CompletableFuture<?>[partsOf(length)];
            this.bytes = parts.length == 1 ? null : new byte[length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = new CompletableFuture<Void>();
            }
            CompletableFuture.allOf(parts).whenComplete((ignored, error) -> {
                if (error != null) {
                    done.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                } else {
                    done.complete(bytes);
                }
            });
        }

        /** The whole array once every part has landed. */
        CompletableFuture<byte[]> done() {
            return done;
        }

        static int partsOf(int length) {
            return Math.max(1, (length + PART_BYTES - 1) / PART_BYTES);
        }

        /** The array once the parts covering {@code [offset, offset + length)} have landed. */
        CompletableFuture<byte[]> covering(long offset, int length) {
            int first = (int) (offset / PART_BYTES);
            int last = (int) Math.max(first, (offset + length - 1) / PART_BYTES);
            if (first == last) {
                return parts[first].thenApply(ignored -> bytes);
            }
            CompletableFuture<?>[] needed = new CompletableFuture<?>[last - first + 1];
            System.arraycopy(parts, first, needed, 0, needed.length);
            return CompletableFuture.allOf(needed).thenApply(ignored -> bytes);
        }

        @SuppressWarnings("unchecked")
        private void land(int part, CompletableFuture<byte[]> get) {
            int offset = part * PART_BYTES;
            int partLength = Math.min(PART_BYTES, length - offset);
            CompletableFuture<Void> landed = (CompletableFuture<Void>) parts[part];
            get.whenComplete((got, error) -> {
                if (error != null) {
                    landed.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                } else if (got.length != partLength) {
                    landed.completeExceptionally(new ObjectStoreException("object " + key + " returned "
                            + got.length + " bytes at offset " + offset + " where its chunk info promises "
                            + partLength));
                } else {
                    if (parts.length == 1) {
                        bytes = got;
                    } else {
                        System.arraycopy(got, 0, bytes, offset, partLength);
                    }
                    landed.complete(null);
                }
            });
        }
    }
}
