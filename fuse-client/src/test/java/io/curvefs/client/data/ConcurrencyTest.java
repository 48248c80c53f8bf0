package io.curvefs.client.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.objectstore.ObjectStoreException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    private static final FsLayout LAYOUT = new FsLayout(1, 4096, 16384);

    private final ExecutorService threads = Executors.newFixedThreadPool(12);
    private final MemoryChunkInfoStore chunkInfos = new MemoryChunkInfoStore();
    private final CountingChunkIdAllocator chunkIds = new CountingChunkIdAllocator();

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static byte[] patternBytes(long inode, long offset, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (inode * 31 + (offset + i) * 7 + (offset + i) / 251);
        }
        return bytes;
    }

    /**
     * Eight writers, one inode each, against a 32 KiB buffer, each reading back what it wrote as
     * it goes: memory stays within the bound and every byte arrives.
     */
    @Test
    void manyWritersStayWithinTheBufferBound() throws Exception {
        long bound = 32 << 10;
        int fileLength = 256 << 10;
        long[] inodes = {100, 101, 102, 103, 104, 105, 106, 107};
        MemoryObjectStore objects = new MemoryObjectStore(threads);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds,
                new DataConfig(bound, 1024, 4, 4, 100))) {
            List<Future<?>> writers = new ArrayList<>();
            for (long inode : inodes) {
                writers.add(threads.submit(() -> {
                    Random random = new Random(inode);
                    int offset = 0;
                    while (offset < fileLength) {
                        int length = Math.min(fileLength - offset, 1 + random.nextInt(6000));
                        store.write(inode, offset, ByteBuffer.wrap(patternBytes(inode, offset, length)));
                        offset += length;
                        int back = random.nextInt(offset);
                        int backLength = Math.min(offset - back, 3000);
                        ByteBuffer dst = ByteBuffer.allocate(backLength);
                        store.read(inode, offset, back, dst);
                        assertThat(dst.array()).isEqualTo(patternBytes(inode, back, backLength));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            assertThat(store.peakBufferedBytes()).isLessThanOrEqualTo(bound);
            assertThat(chunkInfos.appends).as("flushes forced by the full buffer").isGreaterThan(inodes.length);
            for (long inode : inodes) {
                store.flush(inode);
            }
            assertThat(store.bufferedBytes()).isZero();
        }
        try (ObjectDataStore fresh = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds, DataConfig.defaults())) {
            for (long inode : inodes) {
                ByteBuffer dst = ByteBuffer.allocate(fileLength);
                assertThat(fresh.read(inode, fileLength, 0, dst)).isEqualTo(fileLength);
                assertThat(dst.array()).isEqualTo(patternBytes(inode, 0, fileLength));
            }
        }
    }

    /** Four writers and flushes on one inode, interleaved stripes: no byte is lost. */
    @Test
    void writersOfOneInodeDoNotLoseEachOthersBytes() throws Exception {
        int stripe = 3000;
        int stripes = 40;
        long inode = 300;
        MemoryObjectStore objects = new MemoryObjectStore(threads);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds,
                new DataConfig(16 << 10, 1024, 4, 4, 100))) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int first = w;
                writers.add(threads.submit(() -> {
                    for (int s = first; s < stripes; s += 4) {
                        store.write(inode, (long) s * stripe, ByteBuffer.wrap(patternBytes(inode, (long) s * stripe, stripe)));
                        if (s % 3 == 0) {
                            store.flush(inode);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            int length = stripe * stripes;
            ByteBuffer dst = ByteBuffer.allocate(length);
            store.read(inode, length, 0, dst);
            assertThat(dst.array()).isEqualTo(patternBytes(inode, 0, length));
            store.flush(inode);
            store.invalidate(inode);
            dst.clear();
            store.read(inode, length, 0, dst);
            assertThat(dst.array()).isEqualTo(patternBytes(inode, 0, length));
        }
    }

    /** A flush keeps several PUTs in flight at once, never more than configured. */
    @Test
    void uploadsOfOneFlushOverlap() throws Exception {
        GatedObjectStore objects = new GatedObjectStore();
        long inode = 400;
        byte[] data = patternBytes(inode, 0, 12 * 4096);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds,
                new DataConfig(1 << 20, 1024, 4, 4, 100))) {
            store.write(inode, 0, ByteBuffer.wrap(data));
            Future<?> flush = threads.submit(() -> store.flush(inode));

            objects.awaitHeld(4);
            ByteBuffer during = ByteBuffer.allocate(data.length);
            store.read(inode, data.length, 0, during);
            assertThat(during.array()).isEqualTo(data);
            store.write(inode, 10, ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(chunkInfos.appends).isZero();

            objects.open();
            flush.get(30, TimeUnit.SECONDS);
            assertThat(objects.maxInFlight()).isEqualTo(4);
            assertThat(chunkInfos.appends).isEqualTo(1);

            byte[] expected = data.clone();
            expected[10] = 1;
            expected[11] = 2;
            expected[12] = 3;
            ByteBuffer after = ByteBuffer.allocate(data.length);
            store.read(inode, data.length, 0, after);
            assertThat(after.array()).isEqualTo(expected);
        }
    }

    /** Holds every PUT until {@link #open()}; counts how many are in flight. */
    private static final class GatedObjectStore extends MemoryObjectStore {
        private final List<Runnable> held = new ArrayList<>();
        private boolean opened;
        private int inFlight;
        private int maxInFlight;

        @Override
        public CompletableFuture<Void> put(String key, byte[] data) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Runnable complete = () -> {
                super.put(key, data).join();
                synchronized (this) {
                    inFlight--;
                }
                done.complete(null);
            };
            boolean runNow;
            synchronized (this) {
                inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
                runNow = opened;
                if (!runNow) {
                    held.add(complete);
                    notifyAll();
                }
            }
            if (runNow) {
                complete.run();
            }
            return done;
        }

        synchronized void awaitHeld(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (held.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ObjectStoreException("only " + held.size() + " puts arrived, expected " + count);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        void open() {
            List<Runnable> release;
            synchronized (this) {
                opened = true;
                release = List.copyOf(held);
                held.clear();
            }
            release.forEach(Runnable::run);
        }

        synchronized int maxInFlight() {
            return maxInFlight;
        }
    }

    /** Twenty writers with 128 KiB writes against a 256 KiB buffer: memory never passes the bound. */
    @Test
    void twentyParallelWritersStayWithinTheBound() throws Exception {
        long bound = 256 << 10;
        int fileLength = 1 << 20;
        int write = 128 << 10;
        ExecutorService writers = Executors.newFixedThreadPool(20);
        MemoryObjectStore objects = new MemoryObjectStore(threads);
        try (ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, chunkIds,
                new DataConfig(bound, 1024, 4, 4, 100))) {
            List<Future<?>> running = new ArrayList<>();
            for (long inode = 200; inode < 220; inode++) {
                long ino = inode;
                running.add(writers.submit(() -> {
                    for (int offset = 0; offset < fileLength; offset += write) {
                        store.write(ino, offset, ByteBuffer.wrap(patternBytes(ino, offset, write)));
                    }
                    store.flush(ino);
                    return null;
                }));
            }
            for (Future<?> writer : running) {
                writer.get(60, TimeUnit.SECONDS);
            }
            assertThat(store.peakBufferedBytes()).isLessThanOrEqualTo(bound);
            for (long inode = 200; inode < 220; inode++) {
                ByteBuffer dst = ByteBuffer.allocate(4096);
                store.read(inode, fileLength, fileLength - 4096, dst);
                assertThat(dst.array()).isEqualTo(patternBytes(inode, fileLength - 4096, 4096));
            }
        } finally {
            writers.shutdownNow();
        }
    }
}
