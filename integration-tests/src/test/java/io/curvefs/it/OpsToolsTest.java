package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.MountFsRequest;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin commands and the metrics endpoints against one real cluster with one mount: each
 * command runs as its own process, the way an operator runs it, including its error paths.
 */
class OpsToolsTest {

    private static final int FILE_BYTES = 1 << 20;

    private static Cluster cluster;
    private static Cluster.Mount mount;
    private static String deadAddress;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.startWithMetrics("ops");
        mount = cluster.mount("ops");
        Files.write(mount.point.resolve("data.bin"), new byte[FILE_BYTES]);
        Files.createDirectories(mount.point.resolve("dir/sub"));
        Files.writeString(mount.point.resolve("dir/sub/note.txt"), "hello");
        deadAddress = "127.0.0.1:" + DaemonProcess.freePort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ToolRun tool(String... args) throws Exception {
        return ToolRun.of(args);
    }

    private static void assertOk(ToolRun run) {
        assertThat(run.exitCode()).as("stdout:%n%s%nstderr:%n%s", run.stdout(), run.stderr()).isZero();
    }

    /** One line "curvefs: ..." on stderr, the given exit status. */
    private static void assertFails(ToolRun run, int status, String message) {
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(status);
        assertThat(run.stderr().lines().findFirst().orElse("")).startsWith("curvefs: ").contains(message);
        assertThat(run.stderr()).doesNotContain("\tat ");
    }

    @Test
    void everyNewCommandHasHelp() throws Exception {
        for (String command : List.of("create-fs", "delete-fs", "list-fs", "fs-info", "list-mountpoints", "umount-fs",
                "update-fs", "usage", "list-topology", "list-partitions", "status", "query-inode")) {
            ToolRun help = tool(command, "--help");
            assertOk(help);
            assertThat(help.stdout()).contains("Usage: curvefs " + command).contains("--mds");
        }
        assertThat(tool("mds", "--help").stdout()).contains("--metrics-listen");
        assertThat(tool("mount", "--help").stdout()).contains("--metrics-listen");
        assertThat(tool("playground", "--help").stdout()).contains("--metrics-listen");
    }

    @Test
    void listMountpointsShowsTheMountInTableAndJson() throws Exception {
        ToolRun table = tool("list-mountpoints", "--mds", cluster.mdsAddress());
        assertOk(table);
        assertThat(table.stdout()).startsWith("FS").contains("ops").contains(mount.point.toString());

        ToolRun json = tool("list-mountpoints", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "-o", "json");
        assertOk(json);
        assertThat(json.stdout().strip()).startsWith("[{").endsWith("}]")
                .contains("\"fs\":\"ops\"").contains("\"path\":\"" + mount.point + "\"");

        assertFails(tool("list-mountpoints", "--mds", cluster.mdsAddress(), "--fs-name", "nosuch"), 1,
                "no file system named 'nosuch'");
        assertFails(tool("list-mountpoints", "--mds", cluster.mdsAddress(), "-o", "yaml"), 2, "yaml");
    }

    @Test
    void umountFsRemovesAStaleMountPointRecord() throws Exception {
        Mountpoint ghost = Mountpoint.newBuilder().setHostname("ghost-host").setPort(9).setPath("/gone")
                .setCto(true).build();
        try (MdsClient mds = new MdsClient(List.of(HostPort.parse(cluster.mdsAddress())))) {
            FSStatusCode code = mds.mds(s -> s.mountFs(MountFsRequest.newBuilder().setFsName("ops")
                    .setMountpoint(ghost).build())).getStatusCode();
            assertThat(code).isEqualTo(FSStatusCode.OK);
        }
        assertThat(tool("list-mountpoints", "--mds", cluster.mdsAddress()).stdout()).contains("ghost-host:9:/gone");

        ToolRun removed = tool("umount-fs", "--mds", cluster.mdsAddress(), "--fs-name", "ops",
                "--mountpoint", "ghost-host:9:/gone");
        assertOk(removed);
        assertThat(removed.stdout()).contains("removed mount point ghost-host:9:/gone");
        ToolRun listed = tool("list-mountpoints", "--mds", cluster.mdsAddress());
        assertThat(listed.stdout()).doesNotContain("ghost-host").contains(mount.point.toString());

        assertFails(tool("umount-fs", "--mds", cluster.mdsAddress(), "--fs-name", "ops",
                "--mountpoint", "ghost-host:9:/gone"), 1, "has no mount point ghost-host:9:/gone");
        assertFails(tool("umount-fs", "--mds", cluster.mdsAddress(), "--fs-name", "ops",
                "--mountpoint", "no-port-here"), 2, "bad mount point");
        assertFails(tool("umount-fs", "--mds", cluster.mdsAddress(), "--fs-name", "ops"), 2, "--mountpoint");
    }

    @Test
    void updateFsChangesTheCapacity() throws Exception {
        assertOk(tool("update-fs", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "--capacity", "10G"));
        assertThat(tool("fs-info", "--mds", cluster.mdsAddress(), "--fs-name", "ops").stdout())
                .contains("capacity:    10GiB");
        ToolRun usage = tool("usage", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "-o", "json");
        assertThat(usage.stdout()).contains("\"capacity_bytes\":" + (10L << 30));

        assertFails(tool("update-fs", "--mds", cluster.mdsAddress(), "--fs-name", "nosuch", "--capacity", "1G"), 1,
                "no file system named 'nosuch'");
        assertFails(tool("update-fs", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "--capacity", "lots"), 2,
                "bad size 'lots'");
    }

    @Test
    void usageCountsBytesFromTheMountsAndInodesFromThePartitions() throws Exception {
        Eventually.until(Duration.ofSeconds(40), () -> {
            ToolRun usage = toolUnchecked("usage", "--mds", cluster.mdsAddress(), "-o", "json");
            return usage.exitCode() == 0 && number(usage.stdout(), "used_bytes") >= FILE_BYTES
                    && number(usage.stdout(), "inodes") >= 5;
        });
        ToolRun table = tool("usage", "--mds", cluster.mdsAddress(), "--fs-name", "ops");
        assertOk(table);
        assertThat(table.stdout()).startsWith("FS").contains("USED BYTES").contains("INODES").contains("ops");
    }

    @Test
    void listTopologyAndPartitions() throws Exception {
        ToolRun topology = tool("list-topology", "--mds", cluster.mdsAddress());
        assertOk(topology);
        assertThat(topology.stdout()).contains("cluster ").contains("METASERVER").contains("ONLINE");
        ToolRun json = tool("list-topology", "--mds", cluster.mdsAddress(), "-o", "json");
        assertOk(json);
        assertThat(json.stdout()).contains("\"metaservers\":[").contains("\"onlineState\":\"ONLINE\"");

        ToolRun partitions = tool("list-partitions", "--mds", cluster.mdsAddress(), "--fs-name", "ops");
        assertOk(partitions);
        assertThat(partitions.stdout().lines().count()).isGreaterThan(1);
        assertThat(partitions.stdout()).contains("READWRITE");
        ToolRun partitionsJson = tool("list-partitions", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "-o", "json");
        assertThat(partitionsJson.stdout()).contains("\"start\":").contains("\"copyset\":");
        assertFails(tool("list-partitions", "--mds", cluster.mdsAddress(), "--fs-name", "nosuch"), 1,
                "no file system named 'nosuch'");
    }

    @Test
    void statusIsHealthyAndReportsEachUnreachableMds() throws Exception {
        ToolRun healthy = tool("status", "--mds", cluster.mdsAddress());
        assertOk(healthy);
        assertThat(healthy.stdout()).contains("mds: " + cluster.mdsAddress() + " answered")
                .contains("metaservers: 1/1 online").contains("healthy");
        assertThat(healthy.stderr()).isEmpty();
        ToolRun json = tool("status", "--mds", cluster.mdsAddress(), "-o", "json");
        assertOk(json);
        assertThat(json.stdout()).startsWith("{\"healthy\":true");

        ToolRun partly = tool("status", "--mds", deadAddress + "," + cluster.mdsAddress());
        assertFails(partly, 1, "mds " + deadAddress + " is unreachable");
        assertThat(partly.stdout()).contains("mds: " + cluster.mdsAddress() + " answered").contains("UNHEALTHY");

        assertFails(tool("status", "--mds", deadAddress), 1, "no MDS reachable at " + deadAddress);
    }

    @Test
    void queryInodeByIdAndByPath() throws Exception {
        ToolRun root = tool("query-inode", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "--inode", "1");
        assertOk(root);
        assertThat(root.stdout()).contains("type:    TYPE_DIRECTORY");

        ToolRun file = tool("query-inode", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "--path", "/data.bin",
                "-o", "json");
        assertOk(file);
        assertThat(file.stdout()).contains("\"type\":\"TYPE_S3\"").contains("\"length\":" + FILE_BYTES)
                .contains("\"chunks\":[{\"index\":0");

        ToolRun nested = tool("query-inode", "--mds", cluster.mdsAddress(), "--fs-name", "ops",
                "--path", "/dir/sub/note.txt");
        assertOk(nested);
        assertThat(nested.stdout()).contains("length:  5");

        assertFails(tool("query-inode", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "--path", "/dir/missing"),
                1, "no such file or directory: /dir/missing");
        assertFails(tool("query-inode", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "--inode", "999999999999"),
                1, "inode 999999999999");
        assertFails(tool("query-inode", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "--inode", "1",
                "--path", "/"), 2, "mutually exclusive");
    }

    @Test
    void deleteFsAsksUnlessYes() throws Exception {
        assertOk(tool("create-fs", "--mds", cluster.mdsAddress(), "--fs-name", "doomed",
                "--local-dir", cluster.dir.resolve("doomed-objects").toString()));
        assertFails(tool("delete-fs", "--mds", cluster.mdsAddress(), "--fs-name", "doomed"), 1, "not deleted");
        assertOk(tool("fs-info", "--mds", cluster.mdsAddress(), "--fs-name", "doomed"));

        ToolRun deleted = tool("delete-fs", "--mds", cluster.mdsAddress(), "--fs-name", "doomed", "--yes");
        assertOk(deleted);
        assertThat(deleted.stdout()).contains("deleted file system doomed");
        assertFails(tool("fs-info", "--mds", cluster.mdsAddress(), "--fs-name", "doomed"), 1,
                "no file system named 'doomed'");
        assertFails(tool("delete-fs", "--mds", cluster.mdsAddress(), "--fs-name", "doomed", "--yes"), 1,
                "no file system named 'doomed'");
        assertFails(tool("delete-fs", "--mds", deadAddress, "--fs-name", "ops", "--yes"), 1, "no MDS reachable");
    }

    @Test
    void badFlagsAreOneLineWithExitStatus2() throws Exception {
        assertFails(tool("list-fs", "--mds", cluster.mdsAddress(), "--no-such-flag"), 2, "--no-such-flag");
        assertFails(tool("create-fs", "--mds", cluster.mdsAddress()), 2, "--fs-name");
        assertFails(tool("query-inode", "--mds", cluster.mdsAddress(), "--fs-name", "ops", "--inode", "x"), 2, "x");
        assertFails(tool("fs-info", "--mds", cluster.mdsAddress(), "--fs-name", "nosuch"), 1,
                "no file system named 'nosuch'");
    }

    @Test
    void completionScriptCoversTheCommands() throws Exception {
        ToolRun script = tool("completion");
        assertOk(script);
        assertThat(script.stdout()).contains("complete -F").contains("create-fs").contains("query-inode")
                .contains("--fs-name");
    }

    @Test
    void accessLogStreamsOperationsAndStatsShowsCounters() throws Exception {
        Path root = mount.point;
        try (var names = Files.list(root)) {
            assertThat(names.map(p -> p.getFileName().toString())).doesNotContain(".accesslog", ".stats");
        }
        try (BufferedReader log = Files.newBufferedReader(root.resolve(".accesslog"))) {
            Files.createDirectory(root.resolve("logged-dir"));
            Files.writeString(root.resolve("logged-dir/file.txt"), "x");
            assertThat(Files.exists(root.resolve("logged-dir/missing"))).isFalse();
            Pattern shape = Pattern.compile("^\\d{4}\\.\\d\\d\\.\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} "
                    + "\\[uid:\\d+,gid:\\d+,pid:\\d+\\] \\w+ \\(.*\\): .+ <\\d+\\.\\d{6}>$");
            List<String> seen = new ArrayList<>();
            List<Pattern> wanted = new ArrayList<>(List.of(Pattern.compile(" mkdir \\(1,logged-dir\\): OK <"),
                    Pattern.compile(" write \\(\\d+\\): OK \\(1\\) <"),
                    Pattern.compile(" lookup \\(\\d+,missing\\): ENOENT <")));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!wanted.isEmpty() && System.nanoTime() < deadline) {
                String line = log.readLine();
                if (line != null && !line.startsWith("#")) {
                    seen.add(line);
                    wanted.removeIf(p -> p.matcher(line).find());
                }
            }
            assertThat(wanted).as("lines never logged; seen:%n%s", String.join("\n", seen)).isEmpty();
            assertThat(seen).allMatch(l -> shape.matcher(l).matches());
            long logIno = (Long) Files.getAttribute(root.resolve(".accesslog"), "unix:ino");
            assertThat(seen).as("reading the log logs nothing").noneMatch(l -> l.contains(" (" + logIno + ")"));
        }
        String stats = Files.readString(root.resolve(".stats"));
        assertThat(stats).contains("curvefs_fuse_ops_total{op=\"mkdir\",result=\"ok\"} ")
                .contains("curvefs_s3_requests_total").doesNotContain("jvm_");
    }

    private static String xattr(Path path, String name) {
        byte[] value = new byte[4096];
        long n = Syscalls.C.getxattr(path.toString(), name, value, value.length);
        assertThat(n).as("getxattr %s %s: %s", path, name, Syscalls.result(n)).isNotNegative();
        return new String(value, 0, (int) n, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void directoryStatisticsAreUpstreamsXattrs() throws Exception {
        Path top = Files.createDirectories(mount.point.resolve("stats/inner"));
        Files.write(top.resolveSibling("a.bin"), new byte[1000]);
        Files.write(top.resolve("b.bin"), new byte[24]);
        Path stats = top.getParent();
        assertThat(xattr(stats, "curve.dir.files")).isEqualTo("1");
        assertThat(xattr(stats, "curve.dir.subdirs")).isEqualTo("1");
        assertThat(xattr(stats, "curve.dir.entries")).isEqualTo("2");
        assertThat(xattr(stats, "curve.dir.fbytes")).isEqualTo("1000");
        assertThat(xattr(stats, "curve.dir.rfiles")).isEqualTo("2");
        assertThat(xattr(stats, "curve.dir.rsubdirs")).isEqualTo("1");
        assertThat(xattr(stats, "curve.dir.rentries")).isEqualTo("3");
        assertThat(xattr(stats, "curve.dir.rfbytes")).isEqualTo("1024");
    }

    @Test
    void warmupLoadsFilesThroughTheMountAndReportsProgress() throws Exception {
        Path dir = Files.createDirectories(mount.point.resolve("warm/sub"));
        Files.write(dir.resolveSibling("one.bin"), new byte[300_000]);
        Files.write(dir.resolve("two.bin"), new byte[700_000]);
        Path list = Files.writeString(cluster.dir.resolve("warm-list.txt"), dir.resolve("two.bin") + "\n");

        ToolRun warm = tool("warmup", dir.getParent().toString());
        assertOk(warm);
        assertThat(warm.stdout()).contains("warmup finished: 2/2 files");
        assertThat(xattr(dir.getParent(), "curvefs.warmup.op")).isEqualTo("finished");
        assertThat(xattr(dir.getParent(), "curvefs.warmup.progress"))
                .isEqualTo("finished files=2/2 bytes=1000000/1000000 errors=0 listed=true");

        ToolRun fromList = tool("warmup", "--file-list", list.toString());
        assertOk(fromList);
        assertThat(fromList.stdout()).contains("warmup finished: 1/1 files");

        ToolRun status = tool("warmup", "--status", mount.point.toString());
        assertOk(status);
        assertThat(status.stdout()).contains(mount.point + ": no warmup running");

        assertFails(tool("warmup", cluster.dir.toString()), 1, "is not on a curvefs mount");
        assertFails(tool("warmup"), 1, "nothing to warm up");
    }

    /**
     * A second mount of the file system through mount(8) and an fstab line, with a disk cache and
     * no memory cache: warmup puts a file's blocks in the disk cache, and reading the file then
     * makes no S3 GET.
     */
    @Test
    void fstabStyleMountAndWarmupIntoItsDiskCache() throws Exception {
        byte[] content = new byte[3 << 20];
        new java.util.Random(7).nextBytes(content);
        Files.write(mount.point.resolve("cold.bin"), content);
        Path helper = Path.of("/sbin/mount.curvefs");
        byte[] previous = Files.exists(helper) ? Files.readAllBytes(helper) : null;
        Path point = Files.createDirectories(cluster.dir.resolve("mnt-fstab"));
        Path cache = cluster.dir.resolve("fstab-cache");
        int metricsPort = DaemonProcess.freePort();
        Path fstab = cluster.dir.resolve("fstab");
        Files.writeString(fstab, "ops@" + cluster.mdsAddress() + " " + point
                + " curvefs _netdev,noauto,attr-timeout=2,fuseClient.entryTimeOut=2,cache-dir=" + cache
                + ",memory-cache-size=0,metrics-listen=127.0.0.1:" + metricsPort + ",log-dir="
                + cluster.dir.resolve("fstab-logs") + ",log=" + cluster.dir.resolve("mount-fstab.log") + " 0 0\n");
        try {
            assertOk(tool("install-mount-helper"));
            Shell.run(cluster.dir, "mount -T '" + fstab + "' '" + point + "'");
            assertThat(Mounts.isMounted(point)).isTrue();
            assertThat(tool("list-mountpoints", "--mds", cluster.mdsAddress()).stdout()).contains(point.toString());

            ToolRun warm = tool("warmup", point.resolve("cold.bin").toString());
            assertOk(warm);
            assertThat(warm.stdout()).contains("warmup finished: 1/1 files");
            try (var cached = Files.walk(cache)) {
                assertThat(cached.filter(f -> Files.isRegularFile(f)
                        && f.getParent().getFileName().toString().equals("cacheread")).count()).isPositive();
            }
            double getsBefore = PrometheusText.scrape(metricsPort).sum("curvefs_s3_requests_total", "op", "get");
            assertThat(Files.readAllBytes(point.resolve("cold.bin"))).isEqualTo(content);
            double getsAfter = PrometheusText.scrape(metricsPort).sum("curvefs_s3_requests_total", "op", "get");
            assertThat(getsAfter).isEqualTo(getsBefore);

            Shell.run(cluster.dir, "umount '" + point + "'");
            Eventually.until(Duration.ofSeconds(30), () -> !toolUnchecked("list-mountpoints", "--mds",
                    cluster.mdsAddress()).stdout().contains(point.toString()));
            assertThat(cluster.dir.resolve("fstab-logs/mount-ops.log")).exists();
        } finally {
            Mounts.forceUnmount(point);
            if (previous == null) {
                Files.deleteIfExists(helper);
            } else {
                Files.write(helper, previous);
            }
        }
    }

    @Test
    void noDaemonLogsTheS3Secret() throws Exception {
        String secret = cluster.s3.secretKey();
        assertThat(tool("fs-info", "--mds", cluster.mdsAddress(), "--fs-name", "ops").stdout())
                .doesNotContain(secret);
        try (var files = Files.walk(cluster.dir)) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().endsWith(".log")
                    && (p.getParent().equals(cluster.dir) || p.getParent().getFileName().toString().endsWith("logs")))
                    .toList();
            assertThat(logs).isNotEmpty();
            for (Path log : logs) {
                assertThat(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)).as(log.toString())
                        .doesNotContain(secret);
            }
        }
        assertThat(cluster.dir.resolve("mds/logs/mds.log")).exists();
        assertThat(cluster.dir.resolve("metaserver/logs/metaserver.log")).exists();
    }

    @Test
    void unreachableMdsIsOneLine() throws Exception {
        for (String command : List.of("list-mountpoints", "usage", "list-topology")) {
            assertFails(tool(command, "--mds", deadAddress), 1, "no MDS reachable at " + deadAddress);
        }
        assertFails(tool("list-topology", "--mds", "not-an-address"), 1, "--mds");
    }

    @Test
    void metricsEndpointsServeCountersThatGrow() throws Exception {
        PrometheusText mdsBefore = Eventually.get(Duration.ofSeconds(30), () -> PrometheusText.scrape(cluster.mdsMetricsPort));
        PrometheusText metaBefore = Eventually.get(Duration.ofSeconds(30), () -> PrometheusText.scrape(cluster.metaMetricsPort));
        PrometheusText mountBefore = Eventually.get(Duration.ofSeconds(30), () -> PrometheusText.scrape(mount.metricsPort));

        assertThat(mdsBefore.sum("curvefs_rpc_server_requests_total", "service", "curvefs.mds.MdsService"))
                .isPositive();
        assertThat(mdsBefore.has("curvefs_rpc_server_duration_seconds_bucket")).isTrue();
        assertThat(mdsBefore.has("jvm_memory_used_bytes")).isTrue();
        assertThat(metaBefore.sum("curvefs_rpc_server_requests_total",
                "service", "curvefs.metaserver.MetaServerService")).isPositive();
        assertThat(metaBefore.sum("curvefs_copyset_leader")).as("a single metaserver leads its copysets").isPositive();
        assertThat(metaBefore.sum("curvefs_copyset_applied_index")).isPositive();
        assertThat(mountBefore.sum("curvefs_fuse_ops_total", "op", "write", "result", "ok")).isPositive();
        assertThat(mountBefore.sum("curvefs_fuse_bytes_total", "op", "write")).isGreaterThanOrEqualTo(FILE_BYTES);
        assertThat(mountBefore.has("curvefs_fuse_op_duration_seconds_bucket")).isTrue();
        assertThat(mountBefore.sum("curvefs_s3_requests_total", "op", "put")).isPositive();

        Files.writeString(mount.point.resolve("more.txt"), "more");
        assertThat(Files.readString(mount.point.resolve("more.txt"))).isEqualTo("more");
        assertOk(tool("list-fs", "--mds", cluster.mdsAddress()));

        PrometheusText mdsAfter = PrometheusText.scrape(cluster.mdsMetricsPort);
        PrometheusText metaAfter = PrometheusText.scrape(cluster.metaMetricsPort);
        PrometheusText mountAfter = PrometheusText.scrape(mount.metricsPort);
        assertThat(mdsAfter.sum("curvefs_rpc_server_requests_total", "method", "ListClusterFsInfo"))
                .isGreaterThan(mdsBefore.sum("curvefs_rpc_server_requests_total", "method", "ListClusterFsInfo"));
        assertThat(metaAfter.sum("curvefs_rpc_server_requests_total"))
                .isGreaterThan(metaBefore.sum("curvefs_rpc_server_requests_total"));
        assertThat(mountAfter.sum("curvefs_fuse_ops_total"))
                .isGreaterThan(mountBefore.sum("curvefs_fuse_ops_total"));
    }

    private static ToolRun toolUnchecked(String... args) {
        try {
            return ToolRun.of(args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
