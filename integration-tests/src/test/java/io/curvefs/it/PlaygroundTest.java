package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's first command: the playground, started through bin/curvefs as a user would. */
class PlaygroundTest {

    @Test
    void servesLsEchoCatAndFindsTheFileAfterARestart() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "playground-");
        Path mountPoint = dir.resolve("mnt");
        Path log = dir.resolve("playground.log");
        int mdsPort = DaemonProcess.freePort();
        int metaPort = DaemonProcess.freePortPair(1000);
        int metricsPort = DaemonProcess.freePort();

        Process first = startPlayground(mountPoint, dir, mdsPort, metaPort, log, "--metrics-listen",
                "127.0.0.1:" + metricsPort);
        try {
            awaitMounted(mountPoint, first, log);
            String out = Shell.run(mountPoint, "ls; echo hello > f; cat f; ls");
            assertThat(out).isEqualTo("hello\nf\n");
            PrometheusText metrics = PrometheusText.scrape(metricsPort);
            assertThat(metrics.sum("curvefs_rpc_server_requests_total", "service", "curvefs.mds.MdsService"))
                    .isPositive();
            assertThat(metrics.sum("curvefs_rpc_server_requests_total",
                    "service", "curvefs.metaserver.MetaServerService")).isPositive();
            assertThat(metrics.sum("curvefs_fuse_ops_total", "op", "write")).isPositive();
            assertThat(metrics.has("jvm_threads_current")).isTrue();
        } finally {
            stop(first, mountPoint);
        }
        assertThat(first.exitValue()).as("exit after SIGTERM: 143 is the JVM's status for a signal").isIn(0, 143);
        assertThat(Files.readString(log)).contains("playground stopping")
                .contains("mounted at " + mountPoint).contains("MDS 127.0.0.1:" + mdsPort);
        assertThat(Mounts.isMounted(mountPoint)).isFalse();

        Process second = startPlayground(mountPoint, dir, mdsPort, metaPort, log);
        try {
            awaitMounted(mountPoint, second, log);
            assertThat(Shell.run(mountPoint, "cat f")).isEqualTo("hello\n");
        } finally {
            stop(second, mountPoint);
        }
    }

    private static Process startPlayground(Path mountPoint, Path dir, int mdsPort, int metaPort, Path log,
            String... moreArgs) throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(
                repo.resolve("bin/curvefs").toString(), "playground",
                mountPoint.toString(), "--data-dir", dir.resolve("data").toString(),
                "--mds-listen", "127.0.0.1:" + mdsPort, "--metaserver-listen", "127.0.0.1:" + metaPort));
        command.addAll(List.of(moreArgs));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("CURVEFS_JAVA_OPTS", "-Dcurvefs.test.run=" + DaemonProcess.RUN_ID);
        return pb.start();
    }

    private static void awaitMounted(Path mountPoint, Process process, Path log) throws Exception {
        try {
            Eventually.until(Duration.ofSeconds(120), () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("playground exited with " + process.exitValue());
                }
                return Mounts.isMounted(mountPoint);
            });
        } catch (AssertionError e) {
            throw new AssertionError("playground did not mount; log:\n" + Files.readString(log), e);
        }
    }

    private static void stop(Process process, Path mountPoint) throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Mounts.forceUnmount(mountPoint);
    }
}
