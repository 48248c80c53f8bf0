package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Close-to-open between two mounts of one file system. */
class TwoMountsTest {

    private static Cluster cluster;
    private static Cluster.Mount first;
    private static Cluster.Mount second;

    @BeforeAll
    static void mountTwice() throws Exception {
        cluster = Cluster.start("two-mounts");
        first = cluster.mount("first");
        second = cluster.mount("second");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void fileClosedOnOneMountOpensWithNewContentOnTheOther() throws Exception {
        Files.writeString(first.point.resolve("note.txt"), "version one");
        assertThat(Files.readString(second.point.resolve("note.txt"))).isEqualTo("version one");

        Files.writeString(first.point.resolve("note.txt"), "version two, longer than the first");
        assertThat(Files.readString(second.point.resolve("note.txt"))).isEqualTo("version two, longer than the first");

        Files.writeString(second.point.resolve("note.txt"), "back");
        assertThat(Files.readString(first.point.resolve("note.txt"))).isEqualTo("back");
    }

    @Test
    void daemonMountReturnsWhenReadyAndUmountEndsIt() throws Exception {
        java.nio.file.Path point = Files.createDirectories(cluster.dir.resolve("mnt-daemon"));
        ToolRun mounted = ToolRun.of("mount", "--daemon", "--log", cluster.dir.resolve("daemon-mount.log").toString(),
                "--mds", cluster.mdsAddress(), "--fs-name", cluster.fsName,
                "--cache-dir", cluster.dir.resolve("cache-daemon").toString(), point.toString());
        try {
            assertThat(mounted.exitCode()).as(mounted.stderr()).isZero();
            assertThat(Mounts.isMounted(point)).isTrue();
            Files.writeString(point.resolve("from-daemon-mount"), "ok");
            assertThat(Files.readString(first.point.resolve("from-daemon-mount"))).isEqualTo("ok");

            ToolRun unmounted = ToolRun.of("umount", point.toString());
            assertThat(unmounted.exitCode()).as(unmounted.stderr()).isZero();
            assertThat(Mounts.isMounted(point)).isFalse();
        } finally {
            Mounts.forceUnmount(point);
        }
        ToolRun again = ToolRun.of("umount", point.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr().strip()).isEqualTo("curvefs: " + point + " is not a curvefs mount");
    }

    @Test
    void mountWithUnreachableServersFailsWithOneLine() throws Exception {
        java.nio.file.Path point = Files.createDirectories(cluster.dir.resolve("mnt-unreachable"));
        ToolRun failed = ToolRun.of("mount", "--mds", "127.0.0.1:" + DaemonProcess.freePort(),
                "--rpc-retry-budget", "2", "--fs-name", cluster.fsName, point.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr().strip()).startsWith("curvefs: ").doesNotContain("\n");
        assertThat(Mounts.isMounted(point)).isFalse();

        ToolRun unknown = ToolRun.of("mount", "--mds", cluster.mdsAddress(), "--fs-name", "no-such-fs", point.toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr().strip()).contains("no-such-fs").doesNotContain("\n");
    }

    @Test
    void directoriesCreatedOnOneMountAreListedOnTheOther() throws Exception {
        Files.createDirectories(first.point.resolve("shared/a/b"));
        Files.writeString(first.point.resolve("shared/a/b/data"), "x".repeat(100_000));
        assertThat(Files.size(second.point.resolve("shared/a/b/data"))).isEqualTo(100_000);
        try (var listing = Files.list(second.point.resolve("shared/a"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("b");
        }
    }
}
