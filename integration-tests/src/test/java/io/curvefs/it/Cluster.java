package io.curvefs.it;

import io.curvefs.objectstore.S3ProxyFixture;
import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A single-node cluster for mount tests: S3Proxy on loopback (in the test JVM), an MDS and a
 * metaserver as separate processes, and one S3-backed file system created with the tool.
 * Mounts are separate processes too, unmounted and killed on close even when a test fails.
 */
final class Cluster implements AutoCloseable {

    final Path dir;
    final S3ProxyFixture s3;
    final String fsName;
    private final int mdsPort;
    private final int metaPort;
    /** Whether the daemons serve Prometheus metrics (on the ports below, and each mount on its own). */
    private final boolean metrics;
    final int mdsMetricsPort;
    final int metaMetricsPort;
    private DaemonProcess mds;
    private DaemonProcess metaserver;
    private final List<Mount> mounts = new ArrayList<>();

    private Cluster(Path dir, S3ProxyFixture s3, String fsName, boolean metrics) throws IOException {
        this.dir = dir;
        this.s3 = s3;
        this.fsName = fsName;
        this.mdsPort = DaemonProcess.freePort();
        this.metaPort = DaemonProcess.freePortPair(1000);
        this.metrics = metrics;
        this.mdsMetricsPort = metrics ? DaemonProcess.freePort() : 0;
        this.metaMetricsPort = metrics ? DaemonProcess.freePort() : 0;
    }

    static Cluster start(String fsName) throws Exception {
        return start(fsName, false);
    }

    /** A cluster whose MDS, metaserver and mounts serve /metrics. */
    static Cluster startWithMetrics(String fsName) throws Exception {
        return start(fsName, true);
    }

    private static Cluster start(String fsName, boolean metrics) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-");
        Cluster cluster = new Cluster(dir, S3ProxyFixture.start(), fsName, metrics);
        try {
            cluster.startServers();
            ToolRun created = ToolRun.of("create-fs", "--mds", cluster.mdsAddress(), "--fs-name", fsName,
                    "--s3-endpoint", cluster.s3.endpoint(), "--s3-bucket", cluster.s3.bucket(),
                    "--s3-access-key", cluster.s3.accessKey(), "--s3-secret-key", cluster.s3.secretKey());
            if (created.exitCode() != 0) {
                throw new IllegalStateException("create-fs failed: " + created.stderr());
            }
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    String mdsAddress() {
        return "127.0.0.1:" + mdsPort;
    }

    void startServers() throws Exception {
        mds = new DaemonProcess("mds", dir, withMetrics(mdsMetricsPort, "mds", "--listen", mdsAddress(),
                "--data-dir", dir.resolve("mds").toString())).start().awaitPort(mdsPort, Duration.ofSeconds(60));
        metaserver = new DaemonProcess("metaserver", dir, withMetrics(metaMetricsPort, "metaserver",
                "--listen", "127.0.0.1:" + metaPort, "--data-dir", dir.resolve("metaserver").toString(),
                "--mds", mdsAddress())).start().awaitPort(metaPort, Duration.ofSeconds(60));
        try (MdsClient client = new MdsClient(List.of(HostPort.parse(mdsAddress())), java.time.Duration.ofSeconds(30))) {
            Eventually.until(Duration.ofSeconds(30), () -> client.topology(s -> s.listTopology(
                    ListTopologyRequest.getDefaultInstance())).getMetaserversCount() > 0);
        }
    }

    private String[] withMetrics(int port, String... args) {
        if (!metrics) {
            return args;
        }
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--metrics-listen");
        all.add(2, "127.0.0.1:" + port);
        return all.toArray(String[]::new);
    }

    /** SIGKILL both servers and start them again on the same data directories. */
    void killAndRestartServers() throws Exception {
        metaserver.kill9();
        mds.kill9();
        startServers();
    }

    Mount mount(String name) throws Exception {
        return mount(name, new String[0]);
    }

    /**
     * A mount with more options of {@code curvefs mount} (such as --cache-dir); its disk cache is
     * in the cluster's directory unless the options name one.
     */
    Mount mount(String name, String... mountOptions) throws Exception {
        Path point = Files.createDirectories(dir.resolve("mnt-" + name));
        int metricsPort = metrics ? DaemonProcess.freePort() : 0;
        List<String> args = new ArrayList<>(List.of("mount", "--mds", mdsAddress(), "--fs-name", fsName));
        args.addAll(List.of(mountOptions));
        if (!args.contains("--cache-dir")) {
            args.addAll(List.of("--cache-dir", dir.resolve("cache-" + name).toString()));
        }
        args.add(point.toString());
        DaemonProcess process = new DaemonProcess("mount-" + name, dir,
                withMetrics(metricsPort, args.toArray(String[]::new))).start();
        Mount mount = new Mount(point, process, metricsPort);
        mounts.add(mount);
        mount.awaitMounted();
        return mount;
    }

    @Override
    public void close() throws Exception {
        for (Mount m : mounts) {
            m.close();
        }
        if (metaserver != null) {
            metaserver.close();
        }
        if (mds != null) {
            mds.close();
        }
        s3.close();
    }

    /** One mount process and its mount point. */
    static final class Mount implements AutoCloseable {
        final Path point;
        final int metricsPort;
        private final DaemonProcess process;

        Mount(Path point, DaemonProcess process, int metricsPort) {
            this.point = point;
            this.process = process;
            this.metricsPort = metricsPort;
        }

        void awaitMounted() throws Exception {
            try {
                Eventually.until(Duration.ofSeconds(60), () -> Mounts.isMounted(point));
            } catch (AssertionError e) {
                throw new IllegalStateException("not mounted; mount log:\n" + process.logText(), e);
            }
        }

        /**
         * Clean unmount: SIGTERM to the mount process, which flushes, unmounts and tells the MDS.
         * Fails unless the process exited by itself, with 0 or the JVM's 143 for SIGTERM.
         */
        void unmount() throws Exception {
            int status = process.stop();
            if (status != 0 && status != 143) {
                throw new AssertionError("mount exited with " + status + "; log:\n" + process.logText());
            }
            if (Mounts.isMounted(point)) {
                throw new AssertionError(point + " is still mounted after the mount process exited");
            }
        }

        String log() throws IOException {
            return process.logText();
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws Exception {
            Mounts.forceUnmount(point);
            process.close();
        }
    }
}
