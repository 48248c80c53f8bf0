package io.curvefs.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoresTest {

    @TempDir
    Path directory;

    @Test
    void fileEndpointOpensLocalStoreInBucketSubdirectoryCreatingIt() {
        try (ObjectStore store = ObjectStores.open(ObjectStoreConfig.of("file://" + directory, "bkt", "", ""))) {
            assertThat(store).isInstanceOf(LocalDirectoryStore.class);
            assertThat(directory.resolve("bkt")).isDirectory();
        }
    }

    @Test
    void unknownSchemeIsRejectedWithOneLine() {
        assertThatThrownBy(() -> ObjectStores.open(ObjectStoreConfig.of("ftp://host/x", "b", "a", "s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://host/x")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ObjectStores.open(ObjectStoreConfig.of("no scheme", "b", "a", "s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ObjectStores.open(ObjectStoreConfig.of("http:///path", "b", "a", "s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no host");
    }

    @Test
    void localBucketMustBeOneDirectoryName() {
        assertThatThrownBy(() -> ObjectStores.open(ObjectStoreConfig.of("file://" + directory, "../up", "", "")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configDefaultsAndToStringHidesTheSecret() {
        ObjectStoreConfig config = ObjectStoreConfig.of("http://127.0.0.1:9000", "b", "AK", "very-secret");

        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.pathStyle()).isTrue();
        assertThat(config.maxConcurrency()).isEqualTo(64);
        assertThat(config.requestTimeout()).isPositive();
        assertThat(config.withMaxConcurrency(8).withRequestTimeout(Duration.ofSeconds(5)).maxConcurrency())
                .isEqualTo(8);
        assertThat(config.toString()).doesNotContain("very-secret");
    }
}
