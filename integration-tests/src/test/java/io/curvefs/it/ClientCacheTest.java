package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client caches on a real mount over S3Proxy, counted by the mount's own object store
 * metrics: write-back data reaches the bucket and another mount, and a file read once is read
 * again, after the mount restarted on the same cache directory, without a single GET.
 */
class ClientCacheTest {

    private static final int SIZE = 8 << 20;
    private static final int BLOCK = 4 << 20;

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.startWithMetrics("client-cache");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static double gets(Cluster.Mount mount) throws Exception {
        return PrometheusText.scrape(mount.metricsPort).sum("curvefs_s3_requests_total", "op", "get");
    }

    /**
     * One flow, three mounts (mounts are the expensive part): a write-back mount writes; a second
     * mount reads the data cold from S3 (so the upload happened) into its disk cache; the same
     * cache directory mounted again serves the whole file without a GET.
     */
    @Test
    void writeBackDataIsUploadedAndAWarmReReadAfterRestartIssuesNoGet() throws Exception {
        byte[] content = new byte[SIZE];
        new Random(3).nextBytes(content);
        String writeCache = cluster.dir.resolve("cache-writer").toString();
        Cluster.Mount writer = cluster.mount("writer", "--cache-dir", writeCache, "--writeback");
        Files.write(writer.point.resolve("dataset.bin"), content);
        Eventually.until(Duration.ofSeconds(60), () -> filesIn(Path.of(writeCache), "cachewrite") == 0);
        writer.unmount();

        String readCache = cluster.dir.resolve("cache-reader").toString();
        Cluster.Mount reader = cluster.mount("reader", "--cache-dir", readCache);
        assertThat(Files.readAllBytes(reader.point.resolve("dataset.bin"))).isEqualTo(content);
        assertThat(gets(reader)).as("a cold read fetches from S3").isPositive();
        Eventually.until(Duration.ofSeconds(60), () -> filesIn(Path.of(readCache), "cacheread") >= SIZE / BLOCK);
        reader.unmount();

        Cluster.Mount again = cluster.mount("reader-again", "--cache-dir", readCache);
        assertThat(Files.readAllBytes(again.point.resolve("dataset.bin"))).isEqualTo(content);
        PrometheusText metrics = PrometheusText.scrape(again.metricsPort);
        assertThat(metrics.sum("curvefs_s3_requests_total", "op", "get")).as("GETs of the warm re-read").isZero();
        assertThat(metrics.sum("curvefs_cache_lookups_total", "tier", "disk", "result", "hit")).isPositive();
        again.unmount();
    }

    /** Files in the {@code cacheread/} or {@code cachewrite/} directories under a cache directory. */
    private static long filesIn(Path cacheDir, String kind) {
        try (var files = Files.walk(cacheDir)) {
            return files.filter(f -> Files.isRegularFile(f) && f.getParent().getFileName().toString().equals(kind))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
