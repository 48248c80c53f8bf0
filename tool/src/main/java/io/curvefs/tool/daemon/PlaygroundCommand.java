package io.curvefs.tool.daemon;

import io.curvefs.client.MountConfig;
import io.curvefs.client.MountDaemon;
import io.curvefs.client.fuse.FuseOptions;
import io.curvefs.mds.MdsConfig;
import io.curvefs.mds.MdsServer;
import io.curvefs.metaserver.MetaServer;
import io.curvefs.metaserver.MetaserverConfig;
import io.curvefs.proto.common.S3Info;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MetricsOption;
import io.curvefs.tool.SizeConverter;
import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.fs.FsRequests;
import io.curvefs.tool.fs.S3Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A whole single-node cluster in one process: MDS, metaserver and a mount, on embedded defaults.
 * The file system is created on first start and found again on later starts with the same data
 * directory. Stops in reverse order (mount first, so that open files are flushed while the
 * servers are still up).
 */
@Command(name = "playground", mixinStandardHelpOptions = true,
        description = "Start an MDS, a metaserver and a mount in one process; Ctrl-C or SIGTERM unmounts and stops.")
public final class PlaygroundCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MOUNTPOINT", defaultValue = "/tmp/curvefs",
            description = "Where to mount (default: ${DEFAULT-VALUE}); created if missing")
    Path mountPoint;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/curvefs/playground",
            description = "State of the servers and, without S3, the file data (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--fs-name", paramLabel = "NAME", defaultValue = "playground",
            description = "Name of the file system (default: ${DEFAULT-VALUE})")
    String fsName;

    @Option(names = "--mds-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6700",
            description = "MDS address (default: ${DEFAULT-VALUE})")
    String mdsListen;

    @Option(names = "--metaserver-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6800",
            description = "Metaserver address; Raft uses its port + 1000 (default: ${DEFAULT-VALUE})")
    String metaserverListen;

    @ArgGroup(exclusive = false)
    S3Options s3;

    @Mixin
    MetricsOption metrics;

    @Option(names = "-o", paramLabel = "OPTIONS", description = "FUSE mount options, comma-separated "
            + "(e.g. ro,attr_timeout=1); default_permissions always, allow_other as root")
    List<String> fuseOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path point = mountPoint.toAbsolutePath().normalize();
        if (MountTable.isMounted(point)) {
            throw new ToolFailure(point + " is already mounted");
        }
        Files.createDirectories(point);
        Files.createDirectories(dataDir);

        List<AutoCloseable> started = new ArrayList<>();
        try {
            MdsServer mds = MdsServer.start(MdsConfig.defaults(HostPort.parse(mdsListen), dataDir.resolve("mds")));
            started.add(mds);
            MetaServer metaserver = MetaServer.start(MetaserverConfig.defaults(HostPort.parse(metaserverListen),
                    dataDir.resolve("metaserver"), List.of(mds.address())));
            started.add(metaserver);
            createFileSystem(mds.address());
            MountDaemon mount = MountDaemon.mount(MountConfig.defaults(List.of(mds.address()), fsName, point),
                    FuseOptions.parseList(fuseOptions));
            started.add(mount);
            started.add(metrics.start());

            System.out.println("curvefs playground: file system '" + fsName + "' mounted at " + point);
            System.out.println("  MDS " + mds.address() + ", metaserver " + metaserver.address()
                    + ", data " + (s3 == null ? dataDir.resolve("objects") : s3.describe()));
            System.out.println("  Ctrl-C to unmount and stop");
            return Daemons.runUntilSignal("playground", mount::awaitUnmount, () -> closeAll(started));
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /** Creates the file system on first start; the metaserver may still be registering, so retry a while. */
    private void createFileSystem(HostPort mds) throws InterruptedException {
        long blockSize = SizeConverter.parse("4MiB");
        long chunkSize = SizeConverter.parse("64MiB");
        S3Info store = s3 == null
                ? FsRequests.localStore(dataDir.resolve("objects"), blockSize, chunkSize)
                : s3.toS3Info(blockSize, chunkSize);
        try (MdsClient client = new MdsClient(List.of(mds), java.time.Duration.ofSeconds(60))) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                try {
                    FsRequests.send(client, FsRequests.createFs(fsName, store, 0));
                    return;
                } catch (ToolFailure e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("curvefs: stopping " + started.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
        started.clear();
    }
}
