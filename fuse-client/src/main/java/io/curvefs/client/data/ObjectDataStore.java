package io.curvefs.client.data;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.curvefs.client.data.cache.DiskCache;
import io.curvefs.client.data.cache.MemoryBlockCache;
import io.curvefs.client.data.cache.WriteBackUploader;
import io.curvefs.client.metrics.CacheMetrics;
import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStoreException;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 data path of one mount, laid out as upstream CurveFS does it (object names
 * {@code fsId_inodeId_chunkId_blockIndex_compaction}, unpadded objects, one S3ChunkInfo per
 * flushed contiguous range inside a chunk), so that it can read and write an upstream bucket.
 *
 * <p><b>Why per-inode buffers.</b> Writes land in memory, per inode, merged into disjoint
 * ranges. Flushing is per inode because that is the unit of durability the VFS asks for (flush
 * and fsync name an inode) and the unit of metadata (one append to the inode's chunk lists). All
 * buffers share one byte bound; a writer that cannot reserve pages flushes its own inode, or the
 * inode holding the most memory, or waits for a flush in progress to release memory. Memory is
 * therefore bounded by the configured buffer plus the copies of PUTs in flight, which are held
 * to half the buffer (at most {@code uploadParallelism} PUTs, each at most a block). GET bodies in
 * flight are bounded by half the memory cache (at least 16 MiB); see {@link BlockSource}.
 *
 * <p><b>Why append after upload.</b> A flush first PUTs every object (many in flight at once)
 * and only when all of them exist appends the new S3ChunkInfos to the inode, in one call (the
 * VFS's close and fsync pass that call in, to send it with the inode's new length). So
 * metadata never names an object that is missing; a failed flush leaves at worst unreferenced
 * objects (garbage, never wrong data) and puts its bytes back into the buffer. Chunk ids are
 * fresh for every range, so names never collide, even after truncate (upstream issue #1048).
 *
 * <p><b>How reads resolve.</b> Every byte has a newest source. Sources are tried newest first,
 * each claiming the still open parts of the request: the inode's current buffer, then the
 * buffer being uploaded, then the chunk's S3ChunkInfos from last appended to first. Zero
 * entries claim bytes as zeros, unclaimed bytes are holes (zeros). The claimed pieces become
 * ranged GETs, one per touched block object, issued in parallel without holding the inode lock
 * (objects never change, so the plan stays valid).
 *
 * <p><b>Truncate.</b> Shrinking drops buffered bytes past the new length and appends zero
 * entries (fresh chunk ids, nothing uploaded) over stored data past it, so a later extension
 * reads zeros instead of resurrecting old bytes.
 *
 * <p><b>Caches.</b> Objects never change, so whole objects are cached by name without
 * invalidation: in memory (bounded in bytes, LRU) and on local disk ({@link DiskCache}). A read
 * piece of a sequential reader, or covering at least half of its object, joins or starts the
 * whole object's landing ({@link BlockSource}) and waits only for the parts it needs; any other
 * piece (random access) is read from the disk cache, else is one ranged GET of just its bytes,
 * kept in memory under its range, while the whole object is fetched into the disk cache in the
 * background. Uploaded blocks smaller than a full block (small files, tails) go into the disk
 * cache too; full blocks of large writes do not (as JuiceFS without --cache-large-write): they
 * would double the disk traffic of a large write for data that is seldom read back at once.
 * Sequential readers get an adaptive read-ahead window ({@link ReadAheadTracker}) filled with
 * background whole-object fetches; an open for reading starts the first window at once.
 * Without any cache, reads fetch exact ranges and nothing ahead.
 *
 * <p><b>Write-back.</b> When on, a flush stages each block in the disk cache's
 * {@code cachewrite/} (fsynced, directory fsynced) instead of PUTting it, appends the chunk
 * infos at once, and leaves the upload to {@link WriteBackUploader}; metadata then names objects
 * that exist locally and will exist in the object store. When staging is refused (cache full),
 * the block is PUT as usual.
 *
 * <p><b>Locking.</b> Each inode maps to a lock stripe with two locks: a short state lock over its
 * buffers and cached chunk map, and a flush lock held for a whole flush or truncate so that their
 * appends happen in order. Stripes instead of per-inode lock objects, so there is no lock
 * lifetime to manage.
 */
public final class ObjectDataStore implements DataStore {

    private static final Logger log = LoggerFactory.getLogger(ObjectDataStore.class);
    private static final int LOCK_STRIPES = 1024;
    private static final Duration WRITE_BACK_DRAIN = Duration.ofSeconds(60);
    private static final long MIN_READ_IN_FLIGHT_BYTES = 16L << 20;
    private static final int OPENER_THREADS = 4;
    private static final int OPENER_QUEUE = 256;

    private final FsLayout layout;
    private final ObjectStore objects;
    private final ChunkInfoStore chunkInfos;
    private final ChunkIdAllocator chunkIds;
    private final int pageSize;
    private final long maxWritePiece;
    private final BufferBudget budget;
    private final Semaphore uploadSlots;
    private final BlockSource blocks;
    private final ReadAheadTracker readAhead;
    private final WriteBackUploader writeBack;
    private final ExecutorService warmers;
    private final ThreadPoolExecutor openers;
    private final Cache<Long, FileVersion> versions;
    private final InodeLocks[] locks = new InodeLocks[LOCK_STRIPES];
    private final ConcurrentHashMap<Long, InodeBuffers> buffers = new ConcurrentHashMap<>();
    private final Cache<Long, TreeMap<Long, List<S3ChunkInfo>>> chunkMaps;
    private final boolean writeBackOn;
    private volatile boolean closed;

    /**
     * The caller keeps ownership of the object store, chunk info store and id allocator:
     * {@link #close()} does not close them.
     */
    public ObjectDataStore(FsLayout layout, ObjectStore objects, ChunkInfoStore chunkInfos,
                           ChunkIdAllocator chunkIds, DataConfig config) {
        this.layout = layout;
        this.objects = objects;
        this.chunkInfos = chunkInfos;
        this.chunkIds = chunkIds;
        this.pageSize = config.pageSize();
        this.maxWritePiece = Math.max(pageSize, config.writeBufferBytes() / 4 / pageSize * pageSize);
        this.budget = new BufferBudget(config.writeBufferBytes());
        this.uploadSlots = new Semaphore((int) Math.max(1, Math.min(config.uploadParallelism(),
                config.writeBufferBytes() / 2 / layout.blockSize())));
        DiskCache disk = config.cacheDir() == null ? null
                : DiskCache.open(config.cacheDir(), config.diskCacheBytes(), config.freeSpaceRatio());
        this.blocks = new BlockSource(objects, new MemoryBlockCache(config.memoryCacheBytes()), disk,
                config.readParallelism(), Math.max(MIN_READ_IN_FLIGHT_BYTES, config.memoryCacheBytes() / 2));
        this.readAhead = new ReadAheadTracker(blocks.caching() ? config.readaheadMaxBytes() : 0,
                config.cachedChunkMaps());
        this.writeBack = disk == null ? null
                : new WriteBackUploader(disk, objects, Math.min(16, config.uploadParallelism()));
        this.writeBackOn = config.writeBack();
        this.warmers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "curvefs-warmup");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger openerThreads = new AtomicInteger();
        this.openers = new ThreadPoolExecutor(OPENER_THREADS, OPENER_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(OPENER_QUEUE), r -> {
                    Thread t = new Thread(r, "curvefs-open-prefetch-" + openerThreads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
        this.versions = Caffeine.newBuilder().maximumSize(config.cachedChunkMaps()).executor(Runnable::run).build();
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new InodeLocks(new ReentrantLock(), new ReentrantLock());
        }
        this.chunkMaps = Caffeine.newBuilder()
                .maximumSize(config.cachedChunkMaps())
                .executor(Runnable::run)
                .build();
    }

    @Override
    public int read(long inodeId, long fileLength, long offset, ByteBuffer dst) {
        checkOpen();
        if (offset < 0) {
            throw new IllegalArgumentException("negative read offset " + offset);
        }
        long end = Math.min(fileLength, offset + dst.remaining());
        if (end <= offset) {
            return 0;
        }
        byte[] out = new byte[(int) (end - offset)];
        List<Fetch> fetches = new ArrayList<>();
        List<Fetch> ahead = new ArrayList<>();
        ByteRange window = readAhead.onRead(inodeId, offset, end - offset, fileLength);
        InodeLocks lock = locks(inodeId);
        lock.state().lock();
        try {
            List<ByteRange> open = List.of(new ByteRange(offset, end));
            InodeBuffers buffered = buffers.get(inodeId);
            if (buffered != null) {
                open = buffered.current.claim(open, out, offset);
                if (buffered.uploading != null) {
                    open = buffered.uploading.claim(open, out, offset);
                }
            }
            boolean fetchAhead = window != null && !window.isEmpty();
            if (!open.isEmpty() || fetchAhead) {
                TreeMap<Long, List<S3ChunkInfo>> map = chunkMap(inodeId);
                if (!open.isEmpty()) {
                    planFetches(inodeId, map, open, offset, fetches);
                }
                if (fetchAhead) {
                    planFetches(inodeId, map, List.of(window), window.start(), ahead);
                }
            }
        } finally {
            lock.state().unlock();
        }
        List<CompletableFuture<?>> pending = startFetches(fetches, out, window != null);
        prefetchAhead(ahead);
        awaitAll(pending, () -> "read of inode " + inodeId + " from " + objects.describe());
        dst.put(out);
        return out.length;
    }

    /**
     * Loads every stored block of the inode up to {@code length} into the local caches (the disk
     * cache when there is one, else memory) and completes with the number of blocks fetched from
     * the object store; blocks already held locally are skipped. The entry point of warmup.
     */
    @Override
    public CompletableFuture<Long> warm(long inodeId, long length) {
        checkOpen();
        if (!blocks.caching() || length <= 0) {
            return CompletableFuture.completedFuture(0L);
        }
        return CompletableFuture.supplyAsync(() -> {
            Map<String, Integer> wanted = new LinkedHashMap<>();
            InodeLocks lock = locks(inodeId);
            lock.state().lock();
            try {
                TreeMap<Long, List<S3ChunkInfo>> map = chunkMap(inodeId);
                for (long chunk : map.headMap(layout.chunkIndex(length - 1), true).keySet()) {
                    long start = layout.chunkStart(chunk);
                    List<Fetch> planned = new ArrayList<>();
                    planFetches(inodeId, map, List.of(new ByteRange(start, Math.min(length, start + layout.chunkSize()))),
                            start, planned);
                    planned.forEach(f -> wanted.put(f.key(), f.objectLength()));
                }
            } finally {
                lock.state().unlock();
            }
            List<CompletableFuture<?>> fetches = new ArrayList<>();
            for (Map.Entry<String, Integer> block : wanted.entrySet()) {
                if (!blocks.heldLocally(block.getKey())) {
                    fetches.add(blocks.whole(block.getKey(), block.getValue()).done()
                            .thenRun(CacheMetrics::warmedBlock));
                }
            }
            awaitAll(fetches, () -> "warmup of inode " + inodeId + " from " + objects.describe());
            return (long) fetches.size();
        }, warmers);
    }

    /**
     * Starts, in the background, what the first read of a freshly opened file needs: its chunk
     * list and the block objects holding its first {@link ReadAheadTracker#INITIAL_WINDOW} bytes.
     * A small file's first read then joins one GET already under way, instead of waiting for a
     * metadata call and then a GET. Only tried: skipped when the prefetch budget or the queue is
     * full, and a failure is left for the read to meet.
     */
    @Override
    public void openedForReading(long inodeId, long length) {
        if (closed || !blocks.caching() || length <= 0) {
            return;
        }
        openers.execute(() -> {
            List<Fetch> planned = new ArrayList<>();
            InodeLocks lock = locks(inodeId);
            lock.state().lock();
            try {
                planFetches(inodeId, chunkMap(inodeId),
                        List.of(new ByteRange(0, Math.min(length, ReadAheadTracker.INITIAL_WINDOW))), 0, planned);
            } catch (RuntimeException e) {
                log.debug("no prefetch at the open of inode {}: {}", inodeId, e.toString());
                return;
            } finally {
                lock.state().unlock();
            }
            prefetchAhead(planned);
        });
    }

    @Override
    public boolean holdsChunkLists(long inodeId) {
        return chunkMaps.getIfPresent(inodeId) != null;
    }

    /**
     * Records the version (mtime, length) an open found; answers whether it is the version seen
     * at the previous open, in which case cached pages and chunk lists are still right. On a
     * change the cached chunk lists are dropped.
     */
    @Override
    public boolean revalidate(long inodeId, long mtime, long length) {
        FileVersion seen = new FileVersion(mtime, length);
        InodeLocks lock = locks(inodeId);
        lock.state().lock();
        try {
            if (seen.equals(versions.getIfPresent(inodeId))) {
                return true;
            }
            versions.put(inodeId, seen);
            chunkMaps.invalidate(inodeId);
            return false;
        } finally {
            lock.state().unlock();
        }
    }

    @Override
    public void write(long inodeId, long offset, ByteBuffer src) {
        checkOpen();
        if (offset < 0) {
            throw new IllegalArgumentException("negative write offset " + offset);
        }
        long position = offset;
        while (src.hasRemaining()) {
            int length = (int) Math.min(src.remaining(),
                    Math.min(layout.chunkEnd(position) - position, maxWritePiece));
            writePiece(inodeId, position, src.slice(src.position(), length));
            src.position(src.position() + length);
            position += length;
        }
    }

    @Override
    public void flush(long inodeId) {
        flush(inodeId, added -> chunkInfos.append(inodeId, added), false);
    }

    @Override
    public void flush(long inodeId, Consumer<Map<Long, List<S3ChunkInfo>>> record) {
        flush(inodeId, record, true);
    }

    /** {@code recordNothing}: whether {@code record} is called also when nothing was buffered. */
    private void flush(long inodeId, Consumer<Map<Long, List<S3ChunkInfo>>> record, boolean recordNothing) {
        checkOpen();
        InodeLocks lock = locks(inodeId);
        lock.flush().lock();
        try {
            WriteBuffer uploading;
            lock.state().lock();
            try {
                InodeBuffers buffered = buffers.get(inodeId);
                uploading = buffered == null || buffered.current.isEmpty() ? null : buffered.current;
                if (uploading != null) {
                    buffered.uploading = uploading;
                    buffered.current = newBuffer();
                    buffered.currentBytes = 0;
                }
            } finally {
                lock.state().unlock();
            }
            if (uploading == null) {
                if (recordNothing) {
                    record.accept(Map.of());
                }
                return;
            }
            Map<Long, List<S3ChunkInfo>> added;
            try {
                added = upload(inodeId, uploading);
                record.accept(added);
            } catch (RuntimeException e) {
                putBack(inodeId, uploading);
                throw e;
            }
            lock.state().lock();
            try {
                InodeBuffers buffered = buffers.get(inodeId);
                if (buffered != null) {
                    buffered.uploading = null;
                    dropIfIdle(inodeId, buffered);
                }
                addToCachedMap(inodeId, added);
                versions.invalidate(inodeId);
            } finally {
                lock.state().unlock();
            }
            budget.release(uploading.heldBytes());
        } finally {
            lock.flush().unlock();
        }
    }

    @Override
    public void truncate(long inodeId, long oldLength, long newLength) {
        checkOpen();
        InodeLocks lock = locks(inodeId);
        lock.flush().lock();
        try {
            long freed = 0;
            Map<Long, ByteRange> stale = Map.of();
            lock.state().lock();
            try {
                InodeBuffers buffered = buffers.get(inodeId);
                if (buffered != null) {
                    freed = buffered.current.truncate(newLength);
                    buffered.currentBytes = buffered.current.heldBytes();
                    dropIfIdle(inodeId, buffered);
                }
                if (oldLength != newLength) {
                    stale = storedDataFrom(chunkMap(inodeId), Math.min(oldLength, newLength));
                }
            } finally {
                lock.state().unlock();
            }
            if (freed > 0) {
                budget.release(freed);
            }
            if (stale.isEmpty()) {
                return;
            }
            Map<Long, List<S3ChunkInfo>> zeros = new TreeMap<>();
            stale.forEach((chunk, range) -> zeros.put(chunk, List.of(zeroInfo(chunkIds.allocate(), range))));
            chunkInfos.append(inodeId, zeros);
            lock.state().lock();
            try {
                addToCachedMap(inodeId, zeros);
                versions.invalidate(inodeId);
            } finally {
                lock.state().unlock();
            }
        } finally {
            lock.flush().unlock();
        }
    }

    @Override
    public void invalidate(long inodeId) {
        InodeLocks lock = locks(inodeId);
        lock.state().lock();
        try {
            chunkMaps.invalidate(inodeId);
            versions.invalidate(inodeId);
        } finally {
            lock.state().unlock();
        }
    }

    /**
     * Every block object any chunk info of the inode names, zero entries excepted (nothing was
     * uploaded for them); objects shadowed by later entries or cut off by truncate are included.
     */
    @Override
    public void delete(long inodeId, Map<Long, List<S3ChunkInfo>> chunks) {
        checkOpen();
        InodeLocks lock = locks(inodeId);
        lock.flush().lock();
        try {
            long freed = 0;
            lock.state().lock();
            try {
                InodeBuffers buffered = buffers.remove(inodeId);
                if (buffered != null) {
                    freed = buffered.current.heldBytes();
                }
                chunkMaps.invalidate(inodeId);
            } finally {
                lock.state().unlock();
            }
            if (freed > 0) {
                budget.release(freed);
            }
            List<String> keys = new ArrayList<>();
            for (List<S3ChunkInfo> infos : chunks.values()) {
                for (S3ChunkInfo info : infos) {
                    if (!info.getZero() && info.getLen() > 0) {
                        long last = info.getOffset() + info.getLen() - 1;
                        for (long block = layout.blockIndex(info.getOffset()); block <= layout.blockIndex(last); block++) {
                            keys.add(new ObjectName(layout.fsId(), inodeId, info.getChunkId(), block,
                                    info.getCompaction()).key());
                        }
                    }
                }
            }
            if (!keys.isEmpty()) {
                awaitAll(List.of(objects.deleteAll(keys)), () -> "deleting the objects of inode " + inodeId);
            }
        } finally {
            lock.flush().unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        long dropped = 0;
        for (Long inodeId : buffers.keySet()) {
            InodeLocks lock = locks(inodeId);
            lock.state().lock();
            try {
                InodeBuffers buffered = buffers.remove(inodeId);
                if (buffered != null) {
                    dropped += buffered.current.heldBytes();
                }
            } finally {
                lock.state().unlock();
            }
        }
        if (dropped > 0) {
            log.warn("closing the data store of fs {} dropped {} bytes of unflushed buffers", layout.fsId(), dropped);
            budget.release(dropped);
        }
        chunkMaps.invalidateAll();
        warmers.shutdownNow();
        openers.shutdownNow();
        if (writeBack != null) {
            try {
                if (!writeBack.awaitDrained(WRITE_BACK_DRAIN)) {
                    log.warn("{} write-back blocks not uploaded yet; the next mount with this cache dir uploads them",
                            writeBack.pendingCount());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writeBack.close();
        }
        blocks.close();
    }

    /** Bytes of write-buffer memory in use now. */
    public long bufferedBytes() {
        return budget.used();
    }

    /** The most write-buffer memory ever in use at once. */
    long peakBufferedBytes() {
        return budget.peak();
    }

    private void writePiece(long inodeId, long offset, ByteBuffer piece) {
        InodeLocks lock = locks(inodeId);
        while (true) {
            long releasesSeen = budget.releases();
            lock.state().lock();
            try {
                InodeBuffers buffered = buffers.computeIfAbsent(inodeId, id -> new InodeBuffers(newBuffer()));
                if (budget.tryReserve(buffered.current.bytesNeeded(offset, piece.remaining()))) {
                    buffered.current.write(offset, piece);
                    buffered.currentBytes = buffered.current.heldBytes();
                    return;
                }
                dropIfIdle(inodeId, buffered);
            } finally {
                lock.state().unlock();
            }
            relievePressure(inodeId, releasesSeen);
        }
    }

    /** Frees buffer memory for a writer: flushes a buffer, or waits for a flush in progress. */
    private void relievePressure(long writer, long releasesSeen) {
        Long victim = fullestBuffer(writer);
        if (victim != null) {
            log.debug("write buffer full ({} bytes): flushing inode {} for a write to inode {}",
                    budget.used(), victim, writer);
            flush(victim);
            return;
        }
        try {
            budget.awaitReleaseAfter(releasesSeen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for write buffer space", e);
        }
    }

    /** The writer's own inode if it has buffered data, else the inode buffering the most. */
    private Long fullestBuffer(long writer) {
        InodeBuffers own = buffers.get(writer);
        if (own != null && own.currentBytes > 0) {
            return writer;
        }
        Long fullest = null;
        long most = 0;
        for (Map.Entry<Long, InodeBuffers> entry : buffers.entrySet()) {
            long bytes = entry.getValue().currentBytes;
            if (bytes > most) {
                most = bytes;
                fullest = entry.getKey();
            }
        }
        return fullest;
    }

    /** PUTs every buffered range, block piece by block piece, and waits for all of them. */
    private Map<Long, List<S3ChunkInfo>> upload(long inodeId, WriteBuffer data) {
        Map<Long, List<S3ChunkInfo>> added = new TreeMap<>();
        List<CompletableFuture<?>> puts = new ArrayList<>();
        List<String> staged = new ArrayList<>();
        for (ByteRange range : data.ranges()) {
            long chunkId = chunkIds.allocate();
            for (long start = range.start(); start < range.end(); ) {
                long end = Math.min(range.end(), layout.blockEnd(start));
                String key = new ObjectName(layout.fsId(), inodeId, chunkId, layout.blockIndex(start), 0).key();
                if (writeBackOn && blocks.disk().stage(key, data.copy(start, (int) (end - start)))) {
                    staged.add(key);
                } else {
                    puts.add(put(key, data, start, (int) (end - start)));
                }
                start = end;
            }
            added.computeIfAbsent(layout.chunkIndex(range.start()), k -> new ArrayList<>())
                    .add(S3ChunkInfo.newBuilder()
                            .setChunkId(chunkId)
                            .setCompaction(0)
                            .setOffset(range.start())
                            .setLen(range.length())
                            .setSize(range.length())
                            .setZero(false)
                            .build());
        }
        if (!staged.isEmpty()) {
            blocks.disk().syncStaged();
            staged.forEach(writeBack::submit);
        }
        awaitAll(puts, () -> "flush of inode " + inodeId + " to " + objects.describe());
        return added;
    }

    /** Starts one PUT once a slot is free; the bytes are copied out only then, bounding memory. */
    private CompletableFuture<?> put(String key, WriteBuffer data, long offset, int length) {
        uploadSlots.acquireUninterruptibly();
        try {
            byte[] bytes = data.copy(offset, length);
            if (length < layout.blockSize()) {
                blocks.keepOnDisk(key, bytes);
            }
            return objects.put(key, bytes)
                    .whenComplete((ignored, error) -> uploadSlots.release());
        } catch (RuntimeException e) {
            uploadSlots.release();
            throw e;
        }
    }

    /** After a failed upload: the bytes go back under whatever was written meanwhile. */
    private void putBack(long inodeId, WriteBuffer uploading) {
        long freed;
        InodeLocks lock = locks(inodeId);
        lock.state().lock();
        try {
            InodeBuffers buffered = buffers.get(inodeId);
            if (buffered == null) {
                freed = uploading.heldBytes();
            } else {
                long before = uploading.heldBytes() + buffered.current.heldBytes();
                uploading.overlay(buffered.current);
                buffered.current = uploading;
                buffered.uploading = null;
                buffered.currentBytes = uploading.heldBytes();
                freed = before - buffered.currentBytes;
            }
        } finally {
            lock.state().unlock();
        }
        budget.release(freed);
    }

    /** Turns the open parts of a read into ranged GETs, resolving each chunk newest first. */
    private void planFetches(long inodeId, TreeMap<Long, List<S3ChunkInfo>> map, List<ByteRange> open,
                             long outOffset, List<Fetch> fetches) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (ByteRange range : open) {
            from = Math.min(from, range.start());
            to = Math.max(to, range.end());
        }
        for (Map.Entry<Long, List<S3ChunkInfo>> chunk
                : map.subMap(layout.chunkIndex(from), true, layout.chunkIndex(to - 1), true).entrySet()) {
            long chunkStart = layout.chunkStart(chunk.getKey());
            List<ByteRange> openHere = new ArrayList<>();
            for (ByteRange range : open) {
                ByteRange inChunk = range.intersect(chunkStart, chunkStart + layout.chunkSize());
                if (inChunk != null) {
                    openHere.add(inChunk);
                }
            }
            List<S3ChunkInfo> infos = chunk.getValue();
            for (int i = infos.size() - 1; i >= 0 && !openHere.isEmpty(); i--) {
                S3ChunkInfo info = infos.get(i);
                openHere = ByteRange.claim(openHere, info.getOffset(), info.getOffset() + info.getLen(), piece -> {
                    if (!info.getZero()) {
                        addFetches(inodeId, info, piece, outOffset, fetches);
                    }
                });
            }
        }
    }

    /** One GET per block object the piece touches; the first object starts mid-slot. */
    private void addFetches(long inodeId, S3ChunkInfo info, ByteRange piece, long outOffset, List<Fetch> fetches) {
        for (long start = piece.start(); start < piece.end(); ) {
            long end = Math.min(piece.end(), layout.blockEnd(start));
            long objectStart = Math.max(info.getOffset(), layout.blockStart(start));
            String key = new ObjectName(layout.fsId(), inodeId, info.getChunkId(), layout.blockIndex(start),
                    info.getCompaction()).key();
            long objectEnd = Math.min(info.getOffset() + info.getLen(), layout.blockEnd(start));
            fetches.add(new Fetch(key, start - objectStart, (int) (end - start), (int) (start - outOffset),
                    (int) (objectEnd - objectStart)));
            start = end;
        }
    }

    /**
     * Starts the GETs of a read. A sequential reader's fetch, or one covering at least half of its
     * object, joins or starts the whole object's landing (parallel parts, cached when complete) and
     * waits only for the parts it needs. Any other fetch (random access) reads just its bytes: from
     * the disk cache when it holds the object (the pieces they touch, not the whole object), else
     * one ranged GET, kept in memory under that range for re-reads (whole 4 MiB objects behind
     * 4 KiB random reads multiplied the bytes fetched and made random reads ten times slower),
     * while the whole object goes to the disk cache in the background for the reads after it.
     */
    private List<CompletableFuture<?>> startFetches(List<Fetch> fetches, byte[] out, boolean sequential) {
        List<CompletableFuture<?>> started = new ArrayList<>(fetches.size());
        for (Fetch fetch : fetches) {
            if (!blocks.caching()) {
                started.add(blocks.range(fetch.key(), fetch.objectOffset(), fetch.length())
                        .thenAccept(bytes -> fetch.copyInto(bytes, out)));
                continue;
            }
            boolean wantsWhole = sequential || 2L * fetch.length() >= fetch.objectLength();
            byte[] cached = wantsWhole ? blocks.cached(fetch.key()) : blocks.cachedInMemory(fetch.key());
            if (cached != null) {
                fetch.copyFromWhole(cached, out);
                continue;
            }
            BlockSource.Landing landing = blocks.inFlight(fetch.key());
            if (landing == null && wantsWhole) {
                landing = blocks.whole(fetch.key(), fetch.objectLength());
            }
            if (landing != null) {
                started.add(landing.covering(fetch.objectOffset(), fetch.length())
                        .thenAccept(whole -> fetch.copyFromWhole(whole, out)));
                continue;
            }
            byte[] range = blocks.cachedRange(fetch.key(), fetch.objectOffset(), fetch.length());
            if (range != null) {
                fetch.copyInto(range, out);
                continue;
            }
            started.add(blocks.rangeKept(fetch.key(), fetch.objectOffset(), fetch.length())
                    .thenAccept(bytes -> fetch.copyInto(bytes, out)));
            blocks.prefetchToDisk(fetch.key(), fetch.objectLength());
        }
        return started;
    }

    /** Background whole-object fetches for the read-ahead window; skipped when no slot is free. */
    private void prefetchAhead(List<Fetch> ahead) {
        String last = null;
        for (Fetch fetch : ahead) {
            if (fetch.key().equals(last)) {
                continue;
            }
            last = fetch.key();
            if (blocks.prefetch(fetch.key(), fetch.objectLength())) {
                CacheMetrics.readahead(fetch.objectLength());
            }
        }
    }

    /** The chunk's ranges past {@code from} where stored entries still resolve to data. */
    private Map<Long, ByteRange> storedDataFrom(TreeMap<Long, List<S3ChunkInfo>> map, long from) {
        Map<Long, ByteRange> stale = new TreeMap<>();
        for (Map.Entry<Long, List<S3ChunkInfo>> chunk : map.tailMap(layout.chunkIndex(from), true).entrySet()) {
            long chunkStart = layout.chunkStart(chunk.getKey());
            long start = Math.max(from, chunkStart);
            long end = start;
            for (S3ChunkInfo info : chunk.getValue()) {
                if (!info.getZero()) {
                    end = Math.max(end, info.getOffset() + info.getLen());
                }
            }
            end = Math.min(end, chunkStart + layout.chunkSize());
            if (end > start && resolvesToData(chunk.getValue(), start, end)) {
                stale.put(chunk.getKey(), new ByteRange(start, end));
            }
        }
        return stale;
    }

    private static boolean resolvesToData(List<S3ChunkInfo> infos, long start, long end) {
        boolean[] found = {false};
        List<ByteRange> open = List.of(new ByteRange(start, end));
        for (int i = infos.size() - 1; i >= 0 && !open.isEmpty() && !found[0]; i--) {
            S3ChunkInfo info = infos.get(i);
            open = ByteRange.claim(open, info.getOffset(), info.getOffset() + info.getLen(), piece -> {
                if (!info.getZero()) {
                    found[0] = true;
                }
            });
        }
        return found[0];
    }

    /** A hole entry: nothing uploaded; size mirrors len, readers never use it for zero entries. */
    private static S3ChunkInfo zeroInfo(long chunkId, ByteRange range) {
        return S3ChunkInfo.newBuilder()
                .setChunkId(chunkId)
                .setCompaction(0)
                .setOffset(range.start())
                .setLen(range.length())
                .setSize(range.length())
                .setZero(true)
                .build();
    }

    /** The inode's chunk lists, loaded once and then kept current; call under the state lock. */
    private TreeMap<Long, List<S3ChunkInfo>> chunkMap(long inodeId) {
        TreeMap<Long, List<S3ChunkInfo>> map = chunkMaps.getIfPresent(inodeId);
        if (map == null) {
            map = new TreeMap<>();
            for (Map.Entry<Long, List<S3ChunkInfo>> chunk : chunkInfos.load(inodeId).entrySet()) {
                map.put(chunk.getKey(), new ArrayList<>(chunk.getValue()));
            }
            chunkMaps.put(inodeId, map);
        }
        return map;
    }

    /** Keeps a cached chunk map in step with an append; call under the state lock. */
    private void addToCachedMap(long inodeId, Map<Long, List<S3ChunkInfo>> added) {
        TreeMap<Long, List<S3ChunkInfo>> map = chunkMaps.getIfPresent(inodeId);
        if (map != null) {
            added.forEach((chunk, infos) -> map.computeIfAbsent(chunk, k -> new ArrayList<>()).addAll(infos));
        }
    }

    /** Forgets an inode's buffer entry once it holds nothing; call under the state lock. */
    private void dropIfIdle(long inodeId, InodeBuffers buffered) {
        if (buffered.current.isEmpty() && buffered.uploading == null) {
            buffers.remove(inodeId, buffered);
        }
    }

    private static void awaitAll(List<CompletableFuture<?>> requests, Supplier<String> what) {
        try {
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ObjectStoreException(what.get() + " failed: " + cause.getMessage(), cause);
        }
    }

    private WriteBuffer newBuffer() {
        return new WriteBuffer(layout, pageSize);
    }

    private InodeLocks locks(long inodeId) {
        return locks[(int) ((inodeId ^ (inodeId >>> 32)) & (LOCK_STRIPES - 1))];
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the data store of fs " + layout.fsId() + " is closed");
        }
    }

    private record InodeLocks(ReentrantLock flush, ReentrantLock state) {
    }

    /** What one inode has buffered; mutated only under its state lock. */
    private static final class InodeBuffers {
        WriteBuffer current;
        WriteBuffer uploading;
        volatile long currentBytes;

        InodeBuffers(WriteBuffer current) {
            this.current = current;
        }
    }

    /** One piece of one object (of {@code objectLength} bytes) and where it goes in the read's output. */
    private record Fetch(String key, long objectOffset, int length, int outPosition, int objectLength) {
        void copyInto(byte[] bytes, byte[] out) {
            if (bytes.length != length) {
                throw new ObjectStoreException("object " + key + " returned " + bytes.length + " bytes at offset "
                        + objectOffset + " where its chunk info promises " + length);
            }
            System.arraycopy(bytes, 0, out, outPosition, length);
        }

        void copyFromWhole(byte[] whole, byte[] out) {
            if (whole.length != objectLength) {
                throw new ObjectStoreException("object " + key + " has " + whole.length
                        + " bytes where its chunk info promises " + objectLength);
            }
            System.arraycopy(whole, (int) objectOffset, out, outPosition, length);
        }
    }

    /** What an open saw of a file, to tell at the next open whether it changed. */
    private record FileVersion(long mtime, long length) {
    }
}
