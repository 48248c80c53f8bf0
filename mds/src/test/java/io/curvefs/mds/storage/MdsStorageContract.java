package io.curvefs.mds.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MdsStorage} backend must do. A backend's test extends this class and says
 * how to open its store; {@link #open()} must reach the same data each time it is called.
 */
public abstract class MdsStorageContract {

    private MdsStorage storage;

    /** Opens the backend's store; called again after {@code close()} to check durability. */
    protected abstract MdsStorage open();

    @BeforeEach
    void openStorage() {
        storage = open();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Test
    void missingKeyReadsEmpty() {
        assertThat(storage.get(b("nope"))).isEmpty();
    }

    @Test
    void putThenGetReturnsTheLatestValue() {
        storage.put(b("k"), b("v1"));
        storage.put(b("k"), b("v2"));
        assertThat(storage.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v2")));
    }

    @Test
    void emptyValueIsStoredAndDistinctFromMissing() {
        storage.put(b("empty"), new byte[0]);
        assertThat(storage.get(b("empty"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
    }

    @Test
    void deleteRemovesAndDeletingAMissingKeySucceeds() {
        storage.put(b("k"), b("v"));
        storage.delete(b("k"));
        storage.delete(b("never-there"));
        assertThat(storage.get(b("k"))).isEmpty();
    }

    @Test
    void scanReturnsOnlyThePrefixInUnsignedKeyOrder() {
        storage.put(b("a/2"), b("2"));
        storage.put(new byte[] {'a', '/', (byte) 0x80}, b("high"));
        storage.put(b("a/1"), b("1"));
        storage.put(b("a"), b("parent"));
        storage.put(b("a0"), b("sibling"));
        storage.put(b("b/1"), b("other"));

        List<KeyValue> found = storage.scan(b("a/"));

        assertThat(found).extracting(kv -> new String(kv.value(), StandardCharsets.UTF_8))
                .containsExactly("1", "2", "high");
        assertThat(storage.scan(b("zzz"))).isEmpty();
    }

    @Test
    void writeAppliesPutsAndDeletesTogether() {
        storage.put(b("old"), b("x"));
        storage.write(List.of(
                Mutation.put(b("new1"), b("1")),
                Mutation.put(b("new2"), b("2")),
                Mutation.delete(b("old"))));
        assertThat(storage.get(b("new1"))).isPresent();
        assertThat(storage.get(b("new2"))).isPresent();
        assertThat(storage.get(b("old"))).isEmpty();
    }

    @Test
    void writeAppliesMutationsInOrder() {
        storage.write(List.of(Mutation.put(b("k"), b("first")), Mutation.delete(b("k")),
                Mutation.put(b("k"), b("last"))));
        assertThat(storage.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("last")));
    }

    @Test
    void dataSurvivesReopen() {
        storage.put(b("durable"), b("yes"));
        storage.write(List.of(Mutation.put(b("batched"), b("yes"))));
        storage.close();
        storage = open();
        assertThat(storage.get(b("durable"))).isPresent();
        assertThat(storage.get(b("batched"))).isPresent();
    }

    @Test
    void bundledCounterNeverRepeatsAnIdAcrossReopen() {
        Set<Long> seen = new HashSet<>();
        BundledCounter counter = new BundledCounter(storage, b("counter"), 1, 10);
        for (int i = 0; i < 25; i++) {
            assertThat(seen.add(counter.allocate(1))).isTrue();
        }
        long begin = counter.allocate(7);
        for (long id = begin; id < begin + 7; id++) {
            assertThat(seen.add(id)).isTrue();
        }
        storage.close();
        storage = open();
        BundledCounter again = new BundledCounter(storage, b("counter"), 1, 10);
        for (int i = 0; i < 25; i++) {
            long id = again.allocate(1);
            assertThat(id).isGreaterThan(begin + 6);
            assertThat(seen.add(id)).isTrue();
        }
        assertThat(seen).doesNotContain(0L);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
