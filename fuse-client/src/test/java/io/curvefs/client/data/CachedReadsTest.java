package io.curvefs.client.data;

import static io.curvefs.client.data.ObjectDataStoreTest.filled;
import static io.curvefs.client.data.ObjectDataStoreTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.objectstore.ObjectStoreException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data path with its caches: memory, disk, read-ahead, warmup and write-back. */
class CachedReadsTest {

    private static final FsLayout LAYOUT = new FsLayout(7, 4096, 16384);
    private static final long INODE = 9;
    private static final int LENGTH = 40_000;

    @TempDir
    Path cacheDir;

    private final MemoryChunkInfoStore chunkInfos = new MemoryChunkInfoStore();
    private final CountingChunkIdAllocator chunkIds = new CountingChunkIdAllocator();

    private DataConfig withDisk() {
        return new DataConfig(64 << 10, 1024, 4, 4, 100).withDiskCache(cacheDir, 1 << 20, 0);
    }

    private void writeFile(MemoryObjectStore objects) {
        try (ObjectDataStore writer = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds,
                new DataConfig(64 << 10, 1024, 4, 4, 100).withMemoryCache(0))) {
            writer.write(INODE, 0, ByteBuffer.wrap(expected()));
            writer.flush(INODE);
        }
    }

    private static byte[] expected() {
        byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 13 + i / 4096);
        }
        return bytes;
    }

    @Test
    void aSecondReadIsServedFromMemoryAndAReopenedDiskCacheWithoutGets() throws Exception {
        MemoryObjectStore objects = new MemoryObjectStore();
        writeFile(objects);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, withDisk())) {
            assertThat(read(store, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
            int cold = objects.gets.get();
            assertThat(cold).isPositive();
            assertThat(read(store, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
            assertThat(objects.gets.get()).as("warm re-read").isEqualTo(cold);
        }
        awaitCachedOnDisk(10);
        int before = objects.gets.get();
        try (ObjectDataStore restarted = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, withDisk())) {
            assertThat(read(restarted, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
            assertThat(objects.gets.get()).as("served by the disk cache after a restart").isEqualTo(before);
        }
    }

    @Test
    void aDamagedCachedBlockIsFetchedAgain() throws Exception {
        MemoryObjectStore objects = new MemoryObjectStore();
        writeFile(objects);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, withDisk())) {
            read(store, INODE, LENGTH, 0, LENGTH);
        }
        awaitCachedOnDisk(10);
        try (Stream<Path> files = Files.list(cacheDir.resolve("cacheread"))) {
            for (Path file : files.toList()) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.seek(10);
                    f.write(f.read() ^ 0xff);
                }
            }
        }
        int before = objects.gets.get();
        try (ObjectDataStore restarted = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, withDisk())) {
            assertThat(read(restarted, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
        }
        assertThat(objects.gets.get()).isGreaterThan(before);
    }

    @Test
    void warmLoadsEveryBlockOnceAndLaterReadsNeedNoGet() throws Exception {
        MemoryObjectStore objects = new MemoryObjectStore();
        writeFile(objects);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, withDisk())) {
            assertThat(store.warm(INODE, LENGTH).get()).isEqualTo(10L);
            awaitCachedOnDisk(10);
            assertThat(store.warm(INODE, LENGTH).get()).as("already local").isZero();
            int before = objects.gets.get();
            assertThat(read(store, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
            assertThat(objects.gets.get()).isEqualTo(before);
        }
    }

    @Test
    void sequentialReadsPrefetchAheadOfTheReader() {
        MemoryObjectStore objects = new MemoryObjectStore();
        writeFile(objects);
        DataConfig config = new DataConfig(64 << 10, 1024, 4, 4, 100).withReadaheadMax(1 << 20);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, config)) {
            read(store, INODE, LENGTH, 0, 1000);
            read(store, INODE, LENGTH, 1000, 1000);
            int afterTwoReads = objects.gets.get();
            for (int offset = 2000; offset < LENGTH; offset += 1000) {
                assertThat(read(store, INODE, LENGTH, offset, 1000))
                        .isEqualTo(java.util.Arrays.copyOfRange(expected(), offset, offset + 1000));
            }
            assertThat(objects.gets.get()).as("the rest came from read-ahead").isEqualTo(afterTwoReads);
        }
    }

    @Test
    void aRandomSmallReadIsOneGetOfJustItsBytesAndItsReReadNone() {
        MemoryObjectStore objects = new MemoryObjectStore();
        writeFile(objects);
        DataConfig noReadAhead = new DataConfig(64 << 10, 1024, 4, 4, 100).withReadaheadMax(0);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, noReadAhead)) {
            read(store, INODE, LENGTH, 0, 100);
            int gets = objects.gets.get();
            long bytes = objects.bytesRead.get();
            assertThat(read(store, INODE, LENGTH, 30_000, 100))
                    .isEqualTo(java.util.Arrays.copyOfRange(expected(), 30_000, 30_100));
            assertThat(objects.gets.get()).as("one ranged GET").isEqualTo(gets + 1);
            assertThat(objects.bytesRead.get()).as("of the read's bytes only").isEqualTo(bytes + 100);
            assertThat(read(store, INODE, LENGTH, 30_000, 100))
                    .isEqualTo(java.util.Arrays.copyOfRange(expected(), 30_000, 30_100));
            assertThat(objects.gets.get()).as("a re-read is served from memory").isEqualTo(gets + 1);
        }
    }

    @Test
    void aRandomSmallReadOfAnObjectOnDiskReadsNoGetAndLeavesMemoryAlone() throws Exception {
        MemoryObjectStore objects = new MemoryObjectStore();
        writeFile(objects);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, withDisk())) {
            assertThat(read(store, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
        }
        awaitCachedOnDisk(10);
        int before = objects.gets.get();
        DataConfig noReadAhead = withDisk().withReadaheadMax(0);
        try (ObjectDataStore restarted = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, noReadAhead)) {
            assertThat(read(restarted, INODE, LENGTH, 30_000, 100))
                    .isEqualTo(java.util.Arrays.copyOfRange(expected(), 30_000, 30_100));
            assertThat(read(restarted, INODE, LENGTH, 9_000, 100))
                    .isEqualTo(java.util.Arrays.copyOfRange(expected(), 9_000, 9_100));
            assertThat(objects.gets.get()).as("served by the disk cache").isEqualTo(before);
        }
    }

    @Test
    void aRandomSmallReadBringsItsWholeObjectToDiskForTheReadsAfterIt() throws Exception {
        MemoryObjectStore objects = new MemoryObjectStore();
        writeFile(objects);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds,
                withDisk().withReadaheadMax(0))) {
            assertThat(read(store, INODE, LENGTH, 30_000, 100))
                    .isEqualTo(java.util.Arrays.copyOfRange(expected(), 30_000, 30_100));
            awaitCachedOnDisk(1);
            int gets = objects.gets.get();
            assertThat(read(store, INODE, LENGTH, 28_700, 100))
                    .isEqualTo(java.util.Arrays.copyOfRange(expected(), 28_700, 28_800));
            assertThat(objects.gets.get()).as("another record of that object, from disk").isEqualTo(gets);
        }
    }

    @Test
    void anObjectLargerThanOnePartLandsInParallelPartsAndReadersGetTheirBytes() {
        FsLayout bigBlocks = new FsLayout(7, 3L * BlockSource.PART_BYTES, 6L * BlockSource.PART_BYTES);
        int length = 3 * BlockSource.PART_BYTES - 5;
        byte[] data = new byte[length];
        new java.util.Random(3).nextBytes(data);
        MemoryObjectStore objects = new MemoryObjectStore();
        try (ObjectDataStore writer = new ObjectDataStore(bigBlocks, objects, chunkInfos, chunkIds,
                new DataConfig(16L << 20, 1 << 16, 4, 4, 100).withMemoryCache(0))) {
            writer.write(INODE, 0, ByteBuffer.wrap(data));
            writer.flush(INODE);
        }
        try (ObjectDataStore store = new ObjectDataStore(bigBlocks, objects, chunkInfos, chunkIds,
                new DataConfig(16L << 20, 1 << 16, 4, 4, 100))) {
            assertThat(read(store, INODE, length, 0, length)).isEqualTo(data);
            assertThat(objects.gets.get()).as("one GET per part").isEqualTo(3);
            int inside = BlockSource.PART_BYTES + 17;
            assertThat(read(store, INODE, length, inside, 4096))
                    .isEqualTo(java.util.Arrays.copyOfRange(data, inside, inside + 4096));
            assertThat(objects.gets.get()).as("the landed object is cached").isEqualTo(3);
        }
    }

    @Test
    void anOpenStartsFetchingTheFileSoItsFirstReadWaitsForNoOtherGet() throws Exception {
        MemoryObjectStore objects = new MemoryObjectStore();
        writeFile(objects);
        int loads = chunkInfos.loads;
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds,
                new DataConfig(64 << 10, 1024, 4, 4, 100))) {
            store.openedForReading(INODE, LENGTH);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (objects.gets.get() < 10 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(objects.gets.get()).as("every block of the first window fetched").isEqualTo(10);
            assertThat(read(store, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
            assertThat(objects.gets.get()).isEqualTo(10);
            assertThat(chunkInfos.loads).as("one chunk list load").isEqualTo(loads + 1);
        }
    }

    @Test
    void writeBackFlushesReturnBeforeUploadAndAnotherStartUploadsWhatWasLeft() throws Exception {
        AtomicBoolean storeDown = new AtomicBoolean(true);
        MemoryObjectStore objects = new MemoryObjectStore() {
            @Override
            public CompletableFuture<Void> put(String key, byte[] data) {
                if (storeDown.get()) {
                    return CompletableFuture.failedFuture(new ObjectStoreException("store down", null));
                }
                return super.put(key, data);
            }
        };
        DataConfig writeBack = withDisk().withWriteBack(true);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, writeBack)) {
            store.write(INODE, 0, ByteBuffer.wrap(expected()));
            store.flush(INODE);
            assertThat(chunkInfos.all(INODE)).as("metadata points at the staged blocks (one per chunk)").hasSize(3);
            assertThat(read(store, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
        }
        assertThat(objects.list("7_9_")).isEmpty();
        try (Stream<Path> staged = Files.list(cacheDir.resolve("cachewrite"))) {
            assertThat(staged.count()).isEqualTo(10);
        }

        storeDown.set(false);
        try (ObjectDataStore next = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, writeBack)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (objects.list("7_9_").size() < 10 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        assertThat(objects.list("7_9_")).hasSize(10);
        try (Stream<Path> staged = Files.list(cacheDir.resolve("cachewrite"))) {
            assertThat(staged.toList()).isEmpty();
        }
        try (ObjectDataStore uncached = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds,
                new DataConfig(64 << 10, 1024, 4, 4, 100).withMemoryCache(0))) {
            assertThat(read(uncached, INODE, LENGTH, 0, LENGTH)).isEqualTo(expected());
        }
    }

    /** Disk cache writes run in the background; waits until {@code blocks} files are there. */
    private void awaitCachedOnDisk(int blocks) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(cacheDir.resolve("cacheread"))) {
                List<Path> all = files.filter(p -> !p.toString().endsWith(".part")).toList();
                if (all.size() >= blocks) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("blocks not cached on disk in time");
    }
}
