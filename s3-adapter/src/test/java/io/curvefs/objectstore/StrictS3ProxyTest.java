package io.curvefs.objectstore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Against S3Proxy's default of refusing unknown headers, every operation still works. */
class StrictS3ProxyTest {

    @Test
    void everyOperationWorksWithoutIgnoringUnknownHeaders() {
        try (S3ProxyFixture s3 = S3ProxyFixture.start(false); ObjectStore store = ObjectStores.open(s3.config())) {
            List<String> keys = IntStream.range(0, 5).mapToObj(i -> "strict/" + i).toList();
            for (String key : keys) {
                store.put(key, key.getBytes(UTF_8)).join();
            }

            assertThat(store.get("strict/3", 7, -1).join()).isEqualTo("3".getBytes(UTF_8));
            assertThat(store.head("strict/3").join()).contains(new ObjectInfo("strict/3", 8));
            assertThat(store.list("strict/")).hasSize(5);
            store.delete("strict/0").join();
            store.deleteAll(keys).join();
            assertThat(store.list("")).isEmpty();
        }
    }
}
