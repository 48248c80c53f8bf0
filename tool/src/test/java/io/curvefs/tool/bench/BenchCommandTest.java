package io.curvefs.tool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.tool.Main;
import io.curvefs.tool.bench.PhaseResult.Phase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void runsEveryPhaseWithTheExpectedOperationCountsAndLeavesNothingBehind() throws Exception {
        BenchPlan plan = new BenchPlan(dir, 3 * 4096 + 100, 5000, 4, 2, 4096, true, false);
        List<PhaseResult> results = new Benchmark(plan, new Progress(System.err, false, false)).run();

        assertThat(results).extracting(PhaseResult::phase).containsExactly(Phase.values());
        assertThat(results.get(0).ops()).isEqualTo(2 * 4);
        assertThat(results.get(0).bytes()).isEqualTo(2 * plan.bigFileSize());
        assertThat(results.get(1).bytes()).isEqualTo(2 * plan.bigFileSize());
        assertThat(results.get(2).ops()).isEqualTo(2 * 4);
        assertThat(results.get(3).bytes()).isEqualTo(2 * 4 * 5000);
        assertThat(results.get(4).ops()).isEqualTo(2 * 5);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.p99LatencyNanos()).isGreaterThanOrEqualTo(r.meanLatencyNanos() > 0 ? 1 : 0);
            assertThat(r.throughput()).isPositive();
        });
        assertThat(entries(dir)).isEmpty();
    }

    @Test
    void skipsTheBigFileWhenItsSizeIsZero() throws Exception {
        BenchPlan plan = new BenchPlan(dir, 0, 100, 3, 1, 4096, false, false);
        List<PhaseResult> results = new Benchmark(plan, new Progress(System.err, false, false)).run();

        assertThat(results).extracting(PhaseResult::phase)
                .containsExactly(Phase.WRITE_SMALL_FILE, Phase.READ_SMALL_FILE, Phase.STAT_FILE);
        assertThat(results.get(2).ops()).isEqualTo(3);
    }

    @Test
    void commandPrintsJsonWithOneRecordPerPhase() throws Exception {
        Output out = capture(() -> Main.run("bench", dir.toString(), "--big-file-size", "64K",
                "--small-file-size", "8K", "--small-file-count", "3", "--threads", "2", "--block-size", "16K",
                "--no-drop-caches", "-o", "json"));

        assertThat(out.status).isZero();
        assertThat(out.stdout).startsWith("{\"path\":").contains("\"threads\":2", "\"caches_dropped\":false",
                "\"item\":\"write_big_file\"", "\"item\":\"read_big_file\"", "\"item\":\"write_small_file\"",
                "\"item\":\"read_small_file\"", "\"item\":\"stat_file\"", "\"latency_p99_ms\":");
        assertThat(entries(dir)).isEmpty();
    }

    @Test
    void commandPrintsATableForPeople() throws Exception {
        Output out = capture(() -> Main.run("bench", dir.toString(), "--big-file-size", "32K",
                "--small-file-count", "2", "--small-file-size", "1K", "--no-drop-caches", "--no-fsync"));

        assertThat(out.status).isZero();
        assertThat(out.stdout).contains("ITEM", "THROUGHPUT", "Write big file", "MiB/s", "Stat file", "files/s",
                "ms/file", "no fsync");
    }

    @Test
    void aMissingDirectoryIsOneLineOnStderr() throws Exception {
        Output out = capture(() -> Main.run("bench", dir.resolve("missing").toString()));

        assertThat(out.status).isEqualTo(1);
        assertThat(out.stderr.strip()).isEqualTo("curvefs: " + dir.resolve("missing") + " is not a directory");
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }

    private record Output(int status, String stdout, String stderr) {
    }

    private interface Command {
        int run();
    }

    private static synchronized Output capture(Command command) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = command.run();
            return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
