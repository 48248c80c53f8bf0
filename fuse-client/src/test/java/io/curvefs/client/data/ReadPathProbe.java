package io.curvefs.client.data;

import io.curvefs.objectstore.ObjectInfo;
import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStores;
import io.curvefs.objectstore.S3ProxyFixture;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A micro-measurement of the read path against S3Proxy on loopback (not a test: it asserts
 * nothing and prints rates). Each read phase uses a fresh data store, so its caches are cold.
 * Run with {@code java -cp <test class path> io.curvefs.client.data.ReadPathProbe [MiB]}.
 */
public final class ReadPathProbe {

    private static final FsLayout LAYOUT = new FsLayout(1, 4L << 20, 64L << 20);
    private static final int MIB = 1 << 20;

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        long length = (long) mib * MIB;
        MemoryChunkInfoStore chunkInfos = new MemoryChunkInfoStore();
        CountingChunkIdAllocator ids = new CountingChunkIdAllocator();
        try (S3ProxyFixture s3 = S3ProxyFixture.start(); ObjectStore raw = ObjectStores.open(s3.config())) {
            CountingStore objects = new CountingStore(raw);
            byte[] block = new byte[MIB];
            new Random(1).nextBytes(block);
            int smallFiles = 400;
            try (ObjectDataStore writer = store(objects, chunkInfos, ids)) {
                for (long off = 0; off < length; off += MIB) {
                    writer.write(1, off, ByteBuffer.wrap(block));
                }
                writer.flush(1);
                for (int i = 0; i < smallFiles; i++) {
                    writer.write(100 + i, 0, ByteBuffer.wrap(block, 0, 128 << 10));
                    writer.flush(100 + i);
                }
            }
            for (int size : new int[] {128 << 10, MIB}) {
                try (ObjectDataStore store = store(objects, chunkInfos, ids)) {
                    objects.gets.set(0);
                    objects.bytes.set(0);
                    ByteBuffer dst = ByteBuffer.allocate(size);
                    long start = System.nanoTime();
                    for (long off = 0; off < length; off += size) {
                        dst.clear();
                        store.read(1, length, off, dst);
                    }
                    double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf("sequential %d KiB reads, cold: %.1f MiB/s (%d GETs)%n",
                            size >> 10, mib / s, objects.gets.get());
                }
            }
            try (ObjectDataStore store = store(objects, chunkInfos, ids)) {
                Random rng = new Random(7);
                ByteBuffer dst = ByteBuffer.allocate(4096);
                objects.gets.set(0);
                    objects.bytes.set(0);
                int n = 1000;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    dst.clear();
                    store.read(1, length, (long) rng.nextInt((int) (length / 4096)) * 4096, dst);
                }
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf("random 4 KiB reads, cold: %.0f ops/s (%d GETs, %d MiB fetched)%n",
                        n / s, objects.gets.get(), objects.bytes.get() >> 20);
            }
            try (ObjectDataStore store = store(objects, chunkInfos, ids)) {
                objects.gets.set(0);
                    objects.bytes.set(0);
                ExecutorService pool = Executors.newFixedThreadPool(8);
                AtomicInteger next = new AtomicInteger();
                long start = System.nanoTime();
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    workers.add(pool.submit(() -> {
                        ByteBuffer dst = ByteBuffer.allocate(128 << 10);
                        for (int i; (i = next.getAndIncrement()) < smallFiles; ) {
                            store.revalidate(100 + i, 1, 128 << 10);
                            store.openedForReading(100 + i, 128 << 10);
                            dst.clear();
                            store.read(100 + i, 128 << 10, 0, dst);
                        }
                    }));
                }
                for (Future<?> w : workers) {
                    w.get();
                }
                double s = (System.nanoTime() - start) / 1e9;
                pool.shutdown();
                System.out.printf("small files (128 KiB, 8 threads), cold: %.0f files/s (%d GETs)%n",
                        smallFiles / s, objects.gets.get());
            }
        }
    }

    private static ObjectDataStore store(ObjectStore objects, MemoryChunkInfoStore chunkInfos,
                                         CountingChunkIdAllocator ids) {
        return new ObjectDataStore(LAYOUT, objects, chunkInfos, ids, DataConfig.defaults());
    }

    /** Counts GETs and the bytes they return. */
    private static final class CountingStore implements ObjectStore {
        final ObjectStore store;
        final AtomicInteger gets = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();

        CountingStore(ObjectStore store) {
            this.store = store;
        }

        @Override
        public CompletableFuture<Void> put(String key, byte[] data) {
            return store.put(key, data);
        }

        @Override
        public CompletableFuture<byte[]> get(String key, long offset, long length) {
            gets.incrementAndGet();
            return store.get(key, offset, length).thenApply(b -> {
                bytes.addAndGet(b.length);
                return b;
            });
        }

        @Override
        public CompletableFuture<Optional<ObjectInfo>> head(String key) {
            return store.head(key);
        }

        @Override
        public CompletableFuture<Void> delete(String key) {
            return store.delete(key);
        }

        @Override
        public CompletableFuture<Void> deleteAll(Collection<String> keys) {
            return store.deleteAll(keys);
        }

        @Override
        public List<ObjectInfo> list(String prefix) {
            return store.list(prefix);
        }

        @Override
        public String describe() {
            return store.describe();
        }

        @Override
        public void close() {
        }
    }
}
