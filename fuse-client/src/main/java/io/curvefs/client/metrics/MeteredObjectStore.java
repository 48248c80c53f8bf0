package io.curvefs.client.metrics;

import io.curvefs.objectstore.ObjectInfo;
import io.curvefs.objectstore.ObjectStore;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** An object store that counts and times its requests and the bytes they move; a pure decorator. */
public final class MeteredObjectStore implements ObjectStore {

    private static final Counter REQUESTS = Counter.builder()
            .name("curvefs_s3_requests")
            .help("Object store requests, by operation and result")
            .labelNames("op", "result")
            .withoutExemplars()
            .register();

    private static final Histogram DURATION = Histogram.builder()
            .name("curvefs_s3_request_duration_seconds")
            .help("Time of one object store request")
            .unit(Unit.SECONDS)
            .classicOnly()
            .labelNames("op")
            .withoutExemplars()
            .register();

    private static final Counter BYTES = Counter.builder()
            .name("curvefs_s3_bytes")
            .help("Bytes put to and got from the object store")
            .unit(Unit.BYTES)
            .labelNames("op")
            .withoutExemplars()
            .register();

    private final ObjectStore store;

    public MeteredObjectStore(ObjectStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Void> put(String key, byte[] data) {
        return timed("put", store.put(key, data), ignored -> data.length);
    }

    @Override
    public CompletableFuture<byte[]> get(String key, long offset, long length) {
        return timed("get", store.get(key, offset, length), bytes -> bytes.length);
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> head(String key) {
        return timed("head", store.head(key), ignored -> 0);
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return timed("delete", store.delete(key), ignored -> 0);
    }

    @Override
    public CompletableFuture<Void> deleteAll(Collection<String> keys) {
        return timed("delete_all", store.deleteAll(keys), ignored -> 0);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        long started = System.nanoTime();
        String result = "error";
        try {
            List<ObjectInfo> all = store.list(prefix);
            result = "ok";
            return all;
        } finally {
            finish("list", started, result);
        }
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() {
        store.close();
    }

    private interface Size<T> {
        int of(T value);
    }

    private static <T> CompletableFuture<T> timed(String op, CompletableFuture<T> call, Size<T> size) {
        long started = System.nanoTime();
        return call.whenComplete((value, error) -> {
            finish(op, started, error == null ? "ok" : "error");
            if (error == null) {
                int bytes = size.of(value);
                if (bytes > 0) {
                    BYTES.labelValues(op).inc(bytes);
                }
            }
        });
    }

    private static void finish(String op, long started, String result) {
        DURATION.labelValues(op).observe((System.nanoTime() - started) / 1e9);
        REQUESTS.labelValues(op, result).inc();
    }
}
