package io.curvefs.objectstore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} must do. A subclass supplies a fresh, empty store per test;
 * the same cases then run against every implementation.
 */
public abstract class ObjectStoreContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    protected ObjectStore store;

    /** A new store over an empty bucket named {@code bucket}. */
    protected abstract ObjectStore openStore(String bucket);

    @BeforeEach
    void openEmptyStore() {
        store = openStore("contract-" + BUCKETS.incrementAndGet());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void putThenGetWholeObject() {
        put("k", bytes("hello object"));

        assertThat(store.get("k", 0, -1).join()).isEqualTo(bytes("hello object"));
    }

    @Test
    void rangedGetsAreCutAtTheEnd() {
        byte[] data = sequence(100);
        put("ranged", data);

        assertThat(store.get("ranged", 10, 20).join()).isEqualTo(Arrays.copyOfRange(data, 10, 30));
        assertThat(store.get("ranged", 90, -1).join()).isEqualTo(Arrays.copyOfRange(data, 90, 100));
        assertThat(store.get("ranged", 90, 50).join()).isEqualTo(Arrays.copyOfRange(data, 90, 100));
        assertThat(store.get("ranged", 99, 1).join()).isEqualTo(new byte[] {data[99]});
        assertThat(store.get("ranged", 100, 10).join()).isEmpty();
        assertThat(store.get("ranged", 150, -1).join()).isEmpty();
        assertThat(store.get("ranged", 5, 0).join()).isEmpty();
    }

    @Test
    void emptyObjectExistsWithSizeZero() {
        put("empty", new byte[0]);

        assertThat(store.get("empty", 0, -1).join()).isEmpty();
        assertThat(store.head("empty").join()).contains(new ObjectInfo("empty", 0));
        assertThat(store.list("")).containsExactly(new ObjectInfo("empty", 0));
    }

    @Test
    void putReplacesTheWholeObject() {
        put("k", bytes("a longer first version"));
        put("k", bytes("second"));

        assertThat(store.get("k", 0, -1).join()).isEqualTo(bytes("second"));
        assertThat(store.head("k").join()).contains(new ObjectInfo("k", 6));
    }

    @Test
    void headTellsPresenceAndSize() {
        put("present", sequence(1234));

        assertThat(store.head("present").join()).contains(new ObjectInfo("present", 1234));
        assertThat(store.head("absent").join()).isEmpty();
    }

    @Test
    void deleteIsIdempotent() {
        store.delete("never-existed").join();
        put("doomed", bytes("x"));

        store.delete("doomed").join();
        store.delete("doomed").join();

        assertThat(store.head("doomed").join()).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void missingObjectFailsWithObjectNotFound() {
        assertNotFound(store.get("missing", 0, -1), "missing");
        assertNotFound(store.get("missing", 10, 10), "missing");
        assertNotFound(store.get("missing", 0, 0), "missing");
        put("gone", bytes("x"));
        store.delete("gone").join();
        assertNotFound(store.get("gone", 0, -1), "gone");
    }

    @Test
    void deleteAllRemovesMoreThanOneBatch() {
        // 1001 keys span two S3 DeleteObjects batches; only a sample of them exists, to keep it quick.
        List<String> keys = IntStream.range(0, 1001).mapToObj(i -> String.format("many/%04d", i)).toList();
        List<String> existing = IntStream.range(0, keys.size()).filter(i -> i % 100 == 0 || i >= 998)
                .mapToObj(keys::get).toList();
        CompletableFuture.allOf(existing.stream().map(k -> store.put(k, bytes(k))).toArray(CompletableFuture[]::new))
                .join();
        put("keep", bytes("kept"));
        assertThat(store.list("many/")).hasSize(existing.size());

        store.deleteAll(keys).join();

        assertThat(store.list("")).containsExactly(new ObjectInfo("keep", 4));
        store.deleteAll(List.of()).join();
    }

    @Test
    void listByPrefixIsInKeyOrderAndIncludesNestedKeys() {
        for (String key : List.of("dir/b", "other", "dir/sub/c", "dir2/x", "dir/a", "di")) {
            put(key, bytes(key));
        }

        assertThat(keys(store.list("dir/"))).containsExactly("dir/a", "dir/b", "dir/sub/c");
        assertThat(keys(store.list("dir"))).containsExactly("dir/a", "dir/b", "dir/sub/c", "dir2/x");
        assertThat(keys(store.list("dir/s"))).containsExactly("dir/sub/c");
        assertThat(keys(store.list(""))).containsExactly("di", "dir/a", "dir/b", "dir/sub/c", "dir2/x", "other");
        assertThat(store.list("nothing")).isEmpty();
        assertThat(store.list("dir/sub/")).containsExactly(new ObjectInfo("dir/sub/c", 9));
    }

    @Test
    void concurrentPutsAreAllReadable() {
        int objects = 64;
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            puts.add(store.put("concurrent/" + i, pattern(i, 64 * 1024)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();

        List<CompletableFuture<byte[]>> gets = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            gets.add(store.get("concurrent/" + i, 0, -1));
        }
        for (int i = 0; i < objects; i++) {
            assertThat(gets.get(i).join()).isEqualTo(pattern(i, 64 * 1024));
        }
        assertThat(store.list("concurrent/")).hasSize(objects);
    }

    @Test
    void binaryDataOfSeveralMebibytesRoundTrips() {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        put("binary", data);

        assertThat(store.get("binary", 0, -1).join()).isEqualTo(data);
        assertThat(store.get("binary", 1_000_003, 1_500_000).join())
                .isEqualTo(Arrays.copyOfRange(data, 1_000_003, 2_500_003));
        assertThat(store.head("binary").join()).contains(new ObjectInfo("binary", data.length));
    }

    protected void put(String key, byte[] data) {
        store.put(key, data).join();
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static byte[] sequence(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    private static byte[] pattern(int seed, int length) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static List<String> keys(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).toList();
    }

    private static void assertNotFound(CompletableFuture<?> future, String key) {
        assertThatThrownBy(future::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(key);
    }
}
