package io.curvefs.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a real S3Proxy on loopback, plus what only the S3 store does. */
class S3ObjectStoreTest extends ObjectStoreContract {

    private static S3ProxyFixture s3;

    @BeforeAll
    static void startS3Proxy() {
        s3 = S3ProxyFixture.start();
    }

    @AfterAll
    static void stopS3Proxy() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    protected ObjectStore openStore(String bucket) {
        S3ObjectStore opened = new S3ObjectStore(s3.config(bucket));
        opened.createBucketIfMissing();
        return opened;
    }

    @Test
    void opensThroughTheFactoryAndDescribesWithoutCredentials() {
        try (ObjectStore opened = ObjectStores.open(s3.config())) {
            assertThat(opened).isInstanceOf(S3ObjectStore.class);
            assertThat(opened.describe()).isEqualTo("s3 http://127.0.0.1:" + s3.port() + "/" + S3ProxyFixture.BUCKET);
            assertThat(opened.describe()).doesNotContain(S3ProxyFixture.SECRET_KEY);
        }
    }

    @Test
    void createBucketIfMissingIsIdempotent() {
        try (S3ObjectStore opened = new S3ObjectStore(s3.config("created-twice"))) {
            opened.createBucketIfMissing();
            opened.createBucketIfMissing();
            opened.put("k", bytes("v")).join();
            assertThat(opened.get("k", 0, -1).join()).isEqualTo(bytes("v"));
        }
    }

    @Test
    void missingBucketIsAnErrorNotAMissingObject() {
        try (ObjectStore opened = new S3ObjectStore(s3.config("no-such-bucket"))) {
            assertThatThrownBy(() -> opened.get("k", 0, -1).join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(ObjectStoreException.class)
                    .isNotInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining("no-such-bucket");
        }
    }

    @Test
    void wrongSecretFailsWithOneLineAndNoSecret() {
        ObjectStoreConfig wrong = new ObjectStoreConfig(s3.endpoint(), S3ProxyFixture.BUCKET,
                S3ProxyFixture.ACCESS_KEY, "not-the-secret");
        try (ObjectStore opened = ObjectStores.open(wrong)) {
            assertThatThrownBy(() -> opened.put("k", bytes("v")).join())
                    .cause()
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("403")
                    .hasMessageNotContaining("not-the-secret");
        }
    }

    @Test
    void requestsBeyondMaxConcurrencyWaitForAConnection() {
        try (ObjectStore narrow = new S3ObjectStore(s3.config().withMaxConcurrency(2))) {
            List<CompletableFuture<Void>> puts = IntStream.range(0, 32)
                    .mapToObj(i -> narrow.put("narrow/" + i, bytes("v" + i))).toList();
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();

            assertThat(narrow.list("narrow/")).hasSize(32);
            narrow.deleteAll(narrow.list("narrow/").stream().map(ObjectInfo::key).toList()).join();
        }
    }

    @Test
    void unreachableServerFailsAfterRetriesWithOneLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ObjectStoreConfig unreachable = new ObjectStoreConfig("http://127.0.0.1:" + closedPort, "b",
                S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY);
        try (ObjectStore opened = ObjectStores.open(unreachable)) {
            assertThatThrownBy(() -> opened.get("k", 0, -1).join())
                    .cause()
                    .isInstanceOf(ObjectStoreException.class)
                    .isNotInstanceOf(ObjectNotFoundException.class)
                    .hasMessageStartingWith("s3 http://127.0.0.1:" + closedPort + "/b: get k failed")
                    .hasMessageNotContaining("\n");
        }
    }
}
