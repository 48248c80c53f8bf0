package io.curvefs.client.data.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCacheTest {

    @TempDir
    Path dir;

    private static byte[] block(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void blocksLandInCachereadAndSurviveAReopen() {
        DiskCache cache = DiskCache.open(dir, 1 << 20, 0);
        cache.put("1_2_3_0_0", block(1000, 7));
        assertThat(dir.resolve("cacheread/1_2_3_0_0")).exists();
        assertThat(dir.resolve("cachewrite")).isDirectory();

        DiskCache reopened = DiskCache.open(dir, 1 << 20, 0);
        assertThat(reopened.get("1_2_3_0_0")).isEqualTo(block(1000, 7));
        assertThat(reopened.usedBytes()).isEqualTo(cache.usedBytes());
    }

    @Test
    void trimRemovesTheLeastRecentlyUsedBlocksToStayUnderCapacity() {
        DiskCache cache = DiskCache.open(dir, 10_000, 0);
        for (int i = 0; i < 5; i++) {
            cache.put("b" + i, block(3000, i));
            if (i == 1) {
                assertThat(cache.get("b0")).as("b0 used again, so b1 is older").isNotNull();
            }
        }
        assertThat(cache.usedBytes()).isLessThanOrEqualTo(10_000);
        assertThat(cache.get("b1")).isNull();
        assertThat(cache.get("b4")).isEqualTo(block(3000, 4));
        assertThat(dir.resolve("cacheread/b1")).doesNotExist();
    }

    @Test
    void aDamagedFileIsDroppedInsteadOfServed() throws Exception {
        DiskCache cache = DiskCache.open(dir, 1 << 20, 0);
        cache.put("k", block(4096, 1));
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("cacheread/k").toFile(), "rw")) {
            file.seek(100);
            file.write(2);
        }
        assertThat(cache.get("k")).isNull();
        assertThat(dir.resolve("cacheread/k")).doesNotExist();

        Files.write(dir.resolve("cacheread/torn"), new byte[3]);
        DiskCache reopened = DiskCache.open(dir, 1 << 20, 0);
        assertThat(reopened.get("torn")).isNull();
    }

    @Test
    void stagedBlocksAreLinkedForReadingNeverTrimmedAndFoundAgainAfterAReopen() {
        DiskCache cache = DiskCache.open(dir, 10_000, 0);
        assertThat(cache.stage("w1", block(3000, 1))).isTrue();
        cache.syncStaged();
        assertThat(dir.resolve("cachewrite/w1")).exists();
        assertThat(cache.get("w1")).isEqualTo(block(3000, 1));
        for (int i = 0; i < 5; i++) {
            cache.put("r" + i, block(3000, i));
        }
        assertThat(cache.get("w1")).as("pending blocks are not trimmed").isNotNull();
        assertThat(cache.stage("w2", block(6000, 2))).as("beyond the staging share").isFalse();

        DiskCache reopened = DiskCache.open(dir, 10_000, 0);
        assertThat(reopened.pendingKeys()).containsExactly("w1");
        assertThat(reopened.readStaged("w1")).isEqualTo(block(3000, 1));
        reopened.uploaded("w1");
        assertThat(dir.resolve("cachewrite/w1")).doesNotExist();
        assertThat(reopened.pendingKeys()).isEmpty();
        assertThat(reopened.get("w1")).as("still cached for reading").isEqualTo(block(3000, 1));
    }

    @Test
    void aRangedReadVerifiesOnlyThePiecesItTouches() throws Exception {
        DiskCache cache = DiskCache.open(dir, 1 << 20, 0);
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + i / 1000);
        }
        cache.put("r", data);
        assertThat(cache.read("r", 65_000, 2_000)).as("across a piece boundary")
                .isEqualTo(Arrays.copyOfRange(data, 65_000, 67_000));
        assertThat(cache.read("r", 199_000, 1_000)).as("the short last piece")
                .isEqualTo(Arrays.copyOfRange(data, 199_000, 200_000));
        assertThat(cache.read("r", 199_000, 2_000)).as("past the end").isNull();

        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("cacheread/r").toFile(), "rw")) {
            file.seek(150_000);
            file.write(data[150_000] + 1);
        }
        assertThat(cache.read("r", 10, 100)).as("an intact piece is still served")
                .isEqualTo(Arrays.copyOfRange(data, 10, 110));
        assertThat(cache.read("r", 140_000, 20_000)).as("a damaged piece is not").isNull();
        assertThat(dir.resolve("cacheread/r")).doesNotExist();
        assertThat(cache.read("r", 10, 100)).isNull();
    }
}
