package io.curvefs.client.data.cache;

import io.curvefs.client.metrics.CacheMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local disk cache of block objects, laid out as upstream CurveFS lays it out: a cache
 * directory with {@code cacheread/} (blocks kept for reading, named by object name) and
 * {@code cachewrite/} (blocks flushed in write-back mode and not yet uploaded). A staged block
 * is written and fsynced in {@code cachewrite/}, then hard-linked into {@code cacheread/}, so
 * both names share one file; the {@code cachewrite/} name goes once the upload succeeded.
 *
 * <p><b>Why a trailer.</b> Each file holds the object's bytes followed by a CRC32C per 64 KiB
 * piece ({@link CacheFileFormat}). A torn or corrupted file (power loss, disk error) then shows
 * as a mismatch and is dropped and fetched again instead of being served as data, and a small
 * random read ({@link #read}) reads and verifies only the pieces it touches.
 *
 * <p><b>Why an in-memory LRU.</b> Which {@code cacheread/} files to trim is decided by an
 * access-ordered map of name to size; it is rebuilt at start from the files' modification times
 * (touched on every hit), so that the order survives a restart roughly. Trimming keeps the cache
 * under its byte capacity and keeps the given share of its file system free; files still
 * waiting for upload are never trimmed.
 */
public final class DiskCache {

    private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);
    public static final String READ_DIR = "cacheread";
    public static final String WRITE_DIR = "cachewrite";
    private static final String TEMP_SUFFIX = ".part";
    /** Write-back may fill at most this share of the capacity; beyond it flushes upload directly. */
    private static final double STAGING_SHARE = 0.8;

    private final Path readDir;
    private final Path writeDir;
    private final long capacity;
    private final double minFreeRatio;
    private final FileStore fileStore;
    private final LinkedHashMap<String, Long> lru = new LinkedHashMap<>(1024, 0.75f, true);
    private final Set<String> pending = new HashSet<>();
    private final AtomicLong tempNames = new AtomicLong();
    private long usedBytes;
    private long pendingBytes;

    private DiskCache(Path root, long capacity, double minFreeRatio) throws IOException {
        this.readDir = Files.createDirectories(root.resolve(READ_DIR));
        this.writeDir = Files.createDirectories(root.resolve(WRITE_DIR));
        this.capacity = capacity;
        this.minFreeRatio = minFreeRatio;
        this.fileStore = Files.getFileStore(readDir);
    }

    /** Opens (creating if needed) the cache under {@code root} and indexes what it already holds. */
    public static DiskCache open(Path root, long capacityBytes, double minFreeRatio) {
        try {
            DiskCache cache = new DiskCache(root, capacityBytes, minFreeRatio);
            cache.load();
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the disk cache in " + root + ": " + e.getMessage(), e);
        }
    }

    private void load() throws IOException {
        record Found(String key, long size, FileTime time) {
        }
        List<Found> found = new ArrayList<>();
        for (Path file : list(writeDir)) {
            String key = file.getFileName().toString();
            if (key.endsWith(TEMP_SUFFIX)) {
                Files.deleteIfExists(file);
                continue;
            }
            Path readName = readDir.resolve(key);
            if (!Files.exists(readName)) {
                Files.createLink(readName, file);
            }
            pending.add(key);
            pendingBytes += Files.size(file);
        }
        for (Path file : list(readDir)) {
            String key = file.getFileName().toString();
            if (key.endsWith(TEMP_SUFFIX)) {
                Files.deleteIfExists(file);
                continue;
            }
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            found.add(new Found(key, attrs.size(), attrs.lastModifiedTime()));
        }
        found.sort(Comparator.comparing(Found::time));
        synchronized (this) {
            for (Found f : found) {
                lru.put(f.key(), f.size());
                usedBytes += f.size();
            }
        }
        CacheMetrics.held(CacheMetrics.DISK, usedBytes);
        CacheMetrics.writeBackPending(pending.size());
        LOG.info("disk cache {}: {} blocks ({} bytes), {} waiting for upload", readDir.getParent(), found.size(),
                usedBytes, pending.size());
        trim();
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(files::add);
        }
        return files;
    }

    /** The object's bytes if cached and intact, else null (a damaged file is removed). */
    public byte[] get(String key) {
        return load(key, file -> {
            byte[] stored = Files.readAllBytes(file);
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            return CacheFileFormat.unwrap(stored);
        });
    }

    /**
     * {@code length} bytes at {@code offset} of the object if it is cached and the pieces they
     * lie in are intact, else null (a damaged file is removed). Reads only those pieces.
     */
    public byte[] read(String key, int offset, int length) {
        return load(key, file -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                return CacheFileFormat.readRange(in, offset, length);
            }
        });
    }

    /** How a cache file is read: its data, or null when damaged. */
    private interface FileRead {
        byte[] from(Path file) throws IOException;
    }

    private byte[] load(String key, FileRead read) {
        synchronized (this) {
            if (lru.get(key) == null) {
                CacheMetrics.miss(CacheMetrics.DISK);
                return null;
            }
        }
        Path file = readDir.resolve(key);
        byte[] data;
        try {
            data = read.from(file);
        } catch (NoSuchFileException e) {
            forget(key);
            CacheMetrics.miss(CacheMetrics.DISK);
            return null;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("reading cached block {}: {}", key, e.getMessage());
            CacheMetrics.miss(CacheMetrics.DISK);
            return null;
        }
        if (data == null) {
            return damaged(key, file);
        }
        CacheMetrics.hit(CacheMetrics.DISK, data.length);
        return data;
    }

    private byte[] damaged(String key, Path file) {
        LOG.warn("cached block {} is damaged (checksum mismatch); dropping it", key);
        CacheMetrics.checksumFailure();
        CacheMetrics.miss(CacheMetrics.DISK);
        if (!isPending(key)) {
            deleteQuietly(file);
            forget(key);
        }
        return null;
    }

    public synchronized boolean contains(String key) {
        return lru.containsKey(key);
    }

    /** Keeps a block for reading; best effort (a failure only logs). */
    public void put(String key, byte[] data) {
        if (CacheFileFormat.storedSize(data.length) > capacity || contains(key)) {
            return;
        }
        try {
            Path temp = writeTemp(readDir, data, false);
            move(temp, readDir.resolve(key));
            added(key, CacheFileFormat.storedSize(data.length));
        } catch (IOException e) {
            LOG.warn("caching block {} on disk: {}", key, e.getMessage());
        }
        trim();
    }

    /**
     * Stages a flushed block for background upload: written and fsynced in {@code cachewrite/},
     * linked into {@code cacheread/}. Returns false, writing nothing, when the staging share of
     * the cache is used up or the disk is short of free space; the caller then uploads directly.
     * Call {@link #syncStaged()} before acknowledging the flush.
     */
    public boolean stage(String key, byte[] data) {
        long stored = CacheFileFormat.storedSize(data.length);
        synchronized (this) {
            if (pendingBytes + stored > capacity * STAGING_SHARE || freeRatio() < minFreeRatio) {
                return false;
            }
            pendingBytes += stored;
        }
        try {
            Path temp = writeTemp(writeDir, data, true);
            Path staged = writeDir.resolve(key);
            move(temp, staged);
            Path readName = readDir.resolve(key);
            Files.deleteIfExists(readName);
            Files.createLink(readName, staged);
        } catch (IOException e) {
            synchronized (this) {
                pendingBytes -= stored;
            }
            throw new UncheckedIOException("staging block " + key + " in " + writeDir + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            pending.add(key);
            Long old = lru.put(key, stored);
            usedBytes += stored - (old == null ? 0 : old);
            CacheMetrics.held(CacheMetrics.DISK, stored - (old == null ? 0 : old));
        }
        CacheMetrics.writeBackPending(1);
        return true;
    }

    /** Makes the names of staged blocks durable (fsync of {@code cachewrite/}). */
    public void syncStaged() {
        try (FileChannel dir = FileChannel.open(writeDir, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync of " + writeDir + ": " + e.getMessage(), e);
        }
    }

    /** Names of the blocks waiting for upload. */
    public synchronized List<String> pendingKeys() {
        return List.copyOf(pending);
    }

    public synchronized boolean isPending(String key) {
        return pending.contains(key);
    }

    /** The bytes of a staged block, verified; throws if it is gone or damaged. */
    public byte[] readStaged(String key) {
        try {
            byte[] data = CacheFileFormat.unwrap(Files.readAllBytes(writeDir.resolve(key)));
            if (data == null) {
                throw new IllegalStateException("staged block " + key + " in " + writeDir + " is damaged");
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("reading staged block " + key + ": " + e.getMessage(), e);
        }
    }

    /** The block is in the object store: drops its {@code cachewrite/} name, keeps it for reading. */
    public void uploaded(String key) {
        Path staged = writeDir.resolve(key);
        long size;
        try {
            size = Files.size(staged);
            Files.delete(staged);
        } catch (IOException e) {
            LOG.warn("removing uploaded block {} from {}: {}", key, writeDir, e.getMessage());
            return;
        }
        synchronized (this) {
            if (pending.remove(key)) {
                pendingBytes -= size;
                CacheMetrics.writeBackPending(-1);
            }
        }
        trim();
    }

    public synchronized long usedBytes() {
        return usedBytes;
    }

    /** Removes least recently used blocks while over capacity or short of free disk space. */
    public void trim() {
        while (true) {
            String victim;
            synchronized (this) {
                if (usedBytes <= capacity && (minFreeRatio <= 0 || freeRatio() >= minFreeRatio)) {
                    return;
                }
                victim = null;
                Iterator<Map.Entry<String, Long>> it = lru.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, Long> e = it.next();
                    if (!pending.contains(e.getKey())) {
                        victim = e.getKey();
                        break;
                    }
                }
                if (victim == null) {
                    return;
                }
            }
            deleteQuietly(readDir.resolve(victim));
            forget(victim);
        }
    }

    private double freeRatio() {
        try {
            long total = fileStore.getTotalSpace();
            return total <= 0 ? 1 : (double) fileStore.getUsableSpace() / total;
        } catch (IOException e) {
            return 1;
        }
    }

    private synchronized void added(String key, long size) {
        Long old = lru.put(key, size);
        long delta = size - (old == null ? 0 : old);
        usedBytes += delta;
        CacheMetrics.held(CacheMetrics.DISK, delta);
    }

    private synchronized void forget(String key) {
        Long size = lru.remove(key);
        if (size != null) {
            usedBytes -= size;
            CacheMetrics.held(CacheMetrics.DISK, -size);
        }
    }

    private Path writeTemp(Path dir, byte[] data, boolean durable) throws IOException {
        Path temp = dir.resolve(Thread.currentThread().getId() + "-" + tempNames.incrementAndGet() + TEMP_SUFFIX);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            CacheFileFormat.write(out, data);
            if (durable) {
                out.force(true);
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw e;
        }
        return temp;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("removing {}: {}", file, e.getMessage());
        }
    }
}
