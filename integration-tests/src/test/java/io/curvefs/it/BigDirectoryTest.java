package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directory with many entries (-Dcurvefs.test.bigdir.entries, default 50,000; the issue asks
 * for 1,000,000 to work). The kernel serializes creates in one directory, so the entries are
 * created through the metaserver API in parallel; they are listed through the mount, where the
 * daemon must stream the listing: its live heap, measured halfway through a listing, stays
 * within a bound that holding every entry would exceed at a million. Removal goes through the
 * mount for some names and through the API for the rest, and the empty directory is removed
 * through the mount.
 */
class BigDirectoryTest {

    private static final Logger LOG = LoggerFactory.getLogger(BigDirectoryTest.class);
    private static final int ENTRIES = Integer.getInteger("curvefs.test.bigdir.entries", 50_000);
    private static final int REMOVED_THROUGH_MOUNT = 100;
    private static final int THREADS = 16;
    private static final long LISTING_HEAP_BOUND = 64L << 20;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private Cluster cluster;
    private Cluster.Mount mount;

    @BeforeEach
    void start() throws Exception {
        cluster = Cluster.start("bigdir");
        mount = cluster.mount("bigdir");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void manyEntriesAreCreatedListedAndRemoved() throws Exception {
        Path big = Files.createDirectory(mount.point.resolve("big"));
        long dirIno = Stat.of(big).ino();
        long[] inos = new long[ENTRIES];
        try (MdsClient mds = new MdsClient(List.of(HostPort.parse(cluster.mdsAddress())), Duration.ofSeconds(30));
             MetaApi api = new MetaApi(mds, mds.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder()
                     .setFsName(cluster.fsName).build())).getFsInfo().getFsId())) {
            long started = System.nanoTime();
            inParallel(i -> inos[i] = api.createFile(dirIno, name(i)));
            LOG.info("created {} entries through the metaserver API in {} ms", ENTRIES, millisSince(started));

            started = System.nanoTime();
            assertThat(Shell.run(mount.point, "ls -f big | wc -l").trim()).isEqualTo(Integer.toString(ENTRIES + 2));
            LOG.info("listed {} entries through the mount in {} ms", ENTRIES, millisSince(started));
            assertThat(Stat.of(big.resolve(name(ENTRIES - 1))).ino()).isEqualTo(inos[ENTRIES - 1]);

            long idleHeap = liveHeap();
            long halfwayHeap = heapHalfwayThroughAListing(big);
            LOG.info("mount daemon live heap: {} KiB idle, {} KiB halfway through listing {} entries",
                    idleHeap >> 10, halfwayHeap >> 10, ENTRIES);
            assertThat(halfwayHeap - idleHeap).isLessThan(LISTING_HEAP_BOUND);

            started = System.nanoTime();
            Shell.run(big, "printf 'entry-%08d\\n' $(seq 0 " + (REMOVED_THROUGH_MOUNT - 1) + ") | xargs rm");
            LOG.info("removed {} entries through the mount in {} ms", REMOVED_THROUGH_MOUNT, millisSince(started));
            started = System.nanoTime();
            inParallel(i -> {
                if (i >= REMOVED_THROUGH_MOUNT) {
                    api.removeFile(dirIno, name(i), inos[i]);
                }
            });
            LOG.info("removed {} entries through the metaserver API in {} ms", ENTRIES - REMOVED_THROUGH_MOUNT,
                    millisSince(started));
        }
        assertThat(Shell.run(mount.point, "ls -f big | wc -l").trim()).isEqualTo("2");
        assertThat(Syscalls.rmdir(big)).isEqualTo(Syscalls.OK);
        assertThat(Files.exists(big)).isFalse();
    }

    private static String name(int i) {
        return String.format("entry-%08d", i);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Runs {@code work} for every index below ENTRIES on THREADS threads; fails on the first failure. */
    private static void inParallel(IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < ENTRIES; i += THREADS) {
                        work.accept(i);
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A reader stops halfway through the directory while the daemon's live heap is measured. */
    private long heapHalfwayThroughAListing(Path dir) throws Exception {
        String script = String.join("\n",
                "import os, sys",
                "it = os.scandir(" + "'" + dir + "'" + ")",
                "for _ in range(" + ENTRIES / 2 + "):",
                "    next(it)",
                "print('halfway', flush=True)",
                "sys.stdin.readline()",
                "print(sum(1 for _ in it))");
        Process reader = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(reader.getOutputStream(), StandardCharsets.UTF_8)) {
            assertThat(out.readLine()).isEqualTo("halfway");
            long heap = liveHeap();
            in.write("go\n");
            in.flush();
            assertThat(out.readLine()).isEqualTo(Integer.toString(ENTRIES - ENTRIES / 2));
            assertThat(reader.waitFor()).isZero();
            return heap;
        } finally {
            reader.destroyForcibly();
        }
    }

    /** The mount daemon's heap in use right after a full collection (jcmd GC.run, then GC.heap_info). */
    private long liveHeap() throws Exception {
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        assertThat(used.find()).isTrue();
        return Long.parseLong(used.group(1)) << 10;
    }

    private String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(mount.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        return output;
    }
}
