package io.curvefs.mds.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.mds.EtcdFixture;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole storage contract against a real etcd, plus what only etcd needs (paging, ranges). */
class EtcdMdsStorageTest extends MdsStorageContract {

    @TempDir
    static Path dir;

    private static EtcdFixture etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdFixture.start(dir);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void startFromNothing() {
        etcd.wipe();
    }

    @Override
    protected MdsStorage open() {
        return EtcdMdsStorage.connect(etcd.endpoints());
    }

    @Test
    void scanPagesThroughMoreKeysThanOnePageInOrder() {
        int count = EtcdMdsStorage.SCAN_PAGE * 2 + 7;
        byte[] prefix = "many/".getBytes(StandardCharsets.UTF_8);
        try (MdsStorage storage = open()) {
            List<Mutation> batch = new ArrayList<>();
            for (int i = count - 1; i >= 0; i--) {
                batch.add(Mutation.put(key(prefix, i), Keys.encodeLong(i)));
                if (batch.size() == 100) {
                    storage.write(batch);
                    batch.clear();
                }
            }
            storage.write(batch);
            storage.put("many0".getBytes(StandardCharsets.UTF_8), new byte[0]);

            List<KeyValue> found = storage.scan(prefix);

            assertThat(found).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(Keys.decodeLong(found.get(i).value())).isEqualTo(i);
            }
        }
    }

    @Test
    void scanOfAPrefixEndingInFfBytesStopsAtItsEnd() {
        try (MdsStorage storage = open()) {
            byte[] prefix = {'p', (byte) 0xff};
            storage.put(new byte[] {'p', (byte) 0xff, 1}, new byte[] {1});
            storage.put(new byte[] {'q'}, new byte[] {2});
            assertThat(storage.scan(prefix)).extracting(kv -> kv.value()[0]).containsExactly((byte) 1);
        }
    }

    @Test
    void unreachableEtcdIsAOneLineStorageError() {
        try (MdsStorage storage = EtcdMdsStorage.connect(List.of("http://127.0.0.1:1"),
                Duration.ofMillis(500))) {
            assertThatThrownBy(() -> storage.get(new byte[] {'k'}))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("MDS storage get failed")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void fencedWritesSucceedOnlyWhileTheLeaderKeyIsTheSame() {
        byte[] leaderKey = "election/1".getBytes(StandardCharsets.UTF_8);
        try (EtcdMdsStorage storage = EtcdMdsStorage.connect(etcd.endpoints())) {
            storage.put(leaderKey, new byte[0]);
            long revision = createRevision(leaderKey);
            MdsStorage fenced = storage.fencedBy(leaderKey, revision);
            fenced.put(new byte[] {'a'}, new byte[] {1});
            fenced.write(List.of(Mutation.put(new byte[] {'b'}, new byte[] {2})));

            storage.delete(leaderKey);
            storage.put(leaderKey, new byte[0]);

            assertThatThrownBy(() -> fenced.put(new byte[] {'a'}, new byte[] {9}))
                    .isInstanceOf(StorageException.class).hasMessageContaining("no longer the leader");
            assertThatThrownBy(() -> fenced.delete(new byte[] {'b'})).isInstanceOf(StorageException.class);
            fenced.close();
            assertThat(storage.get(new byte[] {'a'})).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
            assertThat(storage.get(new byte[] {'b'})).isPresent();
        }
    }

    private long createRevision(byte[] key) {
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            return client.getKVClient().get(ByteSequence.from(key)).get(5, TimeUnit.SECONDS).getKvs().get(0)
                    .getCreateRevision();
        } catch (Exception e) {
            throw new AssertionError("cannot read " + new String(key, StandardCharsets.UTF_8), e);
        }
    }

    private static byte[] key(byte[] prefix, int i) {
        return ByteBuffer.allocate(prefix.length + Integer.BYTES).put(prefix).putInt(i).array();
    }
}
