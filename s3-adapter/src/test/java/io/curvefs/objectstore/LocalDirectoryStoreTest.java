package io.curvefs.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract against a directory, plus the file layout and key rules of the local store. */
class LocalDirectoryStoreTest extends ObjectStoreContract {

    @TempDir
    Path directory;

    @Override
    protected ObjectStore openStore(String bucket) {
        return ObjectStores.open(ObjectStoreConfig.of("file://" + directory, bucket, "", ""));
    }

    @Test
    void objectsAreFilesUnderDirectoryAndBucketWithNothingLeftInStaging() throws Exception {
        put("top", bytes("1"));
        put("a/b/nested", bytes("22"));

        Path root = ((LocalDirectoryStore) store).root();
        assertThat(root.getParent()).isEqualTo(directory.toRealPath());
        assertThat(Files.readAllBytes(root.resolve("top"))).isEqualTo(bytes("1"));
        assertThat(Files.readAllBytes(root.resolve("a/b/nested"))).isEqualTo(bytes("22"));
        try (var staged = Files.list(root.resolve(".staging"))) {
            assertThat(staged).isEmpty();
        }
        assertThat(store.describe()).isEqualTo("local " + root);
    }

    @Test
    void deletePrunesDirectoriesItEmpties() {
        put("a/b/c", bytes("x"));
        put("a/keep", bytes("y"));

        store.delete("a/b/c").join();

        Path root = ((LocalDirectoryStore) store).root();
        assertThat(root.resolve("a/b")).doesNotExist();
        assertThat(root.resolve("a/keep")).exists();
        put("a/b", bytes("a file where a directory was"));
        assertThat(store.get("a/b", 0, -1).join()).isEqualTo(bytes("a file where a directory was"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a/../b", "..", "a/./b", "a//b", "trailing/", ".staging/x"})
    void rejectsKeysThatDoNotNameAFileUnderTheRoot(String key) {
        assertThatThrownBy(() -> store.put(key, bytes("x")).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(key, 0, -1).join()).cause().isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.head(key).join()).cause().isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key).join()).cause().isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyUnderAnotherObjectFailsWithObjectStoreException() {
        put("file", bytes("x"));

        assertThatThrownBy(() -> store.put("file/child", bytes("y")).join())
                .cause()
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("file/child");
        assertThatThrownBy(() -> store.get("file/child", 0, -1).join())
                .cause()
                .isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.head("file/child").join()).isEmpty();
        store.delete("file/child").join();
        assertThat(store.get("file", 0, -1).join()).isEqualTo(bytes("x"));
    }

    @Test
    void closedStoreFailsCalls() {
        store.close();

        assertThatThrownBy(() -> store.put("k", bytes("v")).join())
                .cause()
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("closed");
    }
}
