package io.curvefs.client.data;

import io.curvefs.objectstore.ObjectInfo;
import io.curvefs.objectstore.ObjectNotFoundException;
import io.curvefs.objectstore.ObjectStore;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** An object store in memory for unit tests; completes requests on the given executor. */
class MemoryObjectStore implements ObjectStore {

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private final Executor executor;
    final AtomicInteger puts = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();

    MemoryObjectStore(Executor executor) {
        this.executor = executor;
    }

    MemoryObjectStore() {
        this(Runnable::run);
    }

    @Override
    public CompletableFuture<Void> put(String key, byte[] data) {
        puts.incrementAndGet();
        byte[] copy = data.clone();
        return CompletableFuture.runAsync(() -> objects.put(key, copy), executor);
    }

    @Override
    public CompletableFuture<byte[]> get(String key, long offset, long length) {
        gets.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> {
            byte[] data = objects.get(key);
            if (data == null) {
                throw new ObjectNotFoundException(key);
            }
            int from = (int) Math.min(offset, data.length);
            int to = length < 0 ? data.length : (int) Math.min(data.length, offset + length);
            bytesRead.addAndGet(to - from);
            return Arrays.copyOfRange(data, from, to);
        }, executor);
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> head(String key) {
        byte[] data = objects.get(key);
        return CompletableFuture.completedFuture(
                Optional.ofNullable(data).map(d -> new ObjectInfo(key, d.length)));
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        objects.remove(key);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> deleteAll(Collection<String> keys) {
        keys.forEach(objects::remove);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return objects.tailMap(prefix).entrySet().stream()
                .takeWhile(e -> e.getKey().startsWith(prefix))
                .map(e -> new ObjectInfo(e.getKey(), e.getValue().length))
                .toList();
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
    }
}
