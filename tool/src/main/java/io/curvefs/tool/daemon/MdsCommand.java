package io.curvefs.tool.daemon;

import io.curvefs.mds.MdsConfig;
import io.curvefs.mds.MdsServer;
import io.curvefs.rpc.HostPort;
import io.curvefs.tool.DurationConverter;
import io.curvefs.tool.MetricsOption;
import io.curvefs.tool.config.ConfigOptions;
import io.curvefs.tool.config.LogOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mds", mixinStandardHelpOptions = true,
        description = "Run an MDS (file systems, topology, chunk ids) in the foreground; SIGTERM stops it cleanly.")
public final class MdsCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6700", descriptionKey = "mds.listen.addr",
            description = "Address to serve on (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/curvefs/mds", descriptionKey = "mds.data.dir",
            description = "Where the MDS keeps its state (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--etcd", paramLabel = "URL[,URL...]", split = ",", descriptionKey = "etcd.endpoint",
            description = "Keep the state in etcd at these client URLs (e.g. http://127.0.0.1:2379) and elect "
                    + "one leader among the MDSs sharing it; without it the state is in RocksDB under --data-dir")
    List<String> etcd = List.of();

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "3", descriptionKey = "mds.copyset.replicaNum",
            description = "Replicas per copyset of the pool made automatically when metaservers register "
                    + "without create-topology; fewer while fewer metaservers are online (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--offline-timeout", paramLabel = "DURATION", defaultValue = "30m",
            descriptionKey = "mds.recover.offlineTimeout",
            converter = DurationConverter.class,
            description = "A metaserver without heartbeat this long has its copyset replicas moved to other "
                    + "metaservers, e.g. 30m, 90s (default: ${DEFAULT-VALUE})")
    Duration offlineTimeout;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION", defaultValue = "30s",
            descriptionKey = "mds.heartbeat.offlineTimeout",
            converter = DurationConverter.class,
            description = "A metaserver without heartbeat this long counts as offline: no new copysets go to "
                    + "it (default: ${DEFAULT-VALUE})")
    Duration heartbeatTimeout;

    @Mixin
    MetricsOption metrics;

    @Option(names = "--partitions-per-fs", paramLabel = "N", defaultValue = "12",
            descriptionKey = "mds.topology.CreatePartitionNumber",
            description = "Partitions a new file system gets (default: ${DEFAULT-VALUE})")
    int partitionsPerFs;

    @Option(names = "--session-timeout", paramLabel = "SECONDS", defaultValue = "20",
            descriptionKey = "mds.session.timeoutSec",
            description = "A mount point whose session is not refreshed for this long is dropped (default: ${DEFAULT-VALUE})")
    int sessionTimeoutSeconds;

    @Mixin
    LogOptions log;

    @Mixin
    ConfigOptions conf;

    @Override
    public Integer call() throws Exception {
        log.start("mds", dataDir.resolve("logs"));
        MdsConfig config = MdsConfig.defaults(HostPort.parse(listen), dataDir).withPartitionsPerFs(partitionsPerFs)
                .withSessionTimeout(Duration.ofSeconds(sessionTimeoutSeconds)).withDefaultReplicaNum(replicas)
                .withOfflineTimeout(offlineTimeout).withHeartbeatTimeout(heartbeatTimeout);
        if (!etcd.isEmpty()) {
            config = config.withEtcd(etcd, config.leaderLease());
        }
        MdsServer server = MdsServer.start(config);
        AutoCloseable endpoint = Daemons.startOrClose(metrics, server);
        System.out.println("mds serving on " + server.address() + ", "
                + (etcd.isEmpty() ? "data in " + dataDir : "state in etcd " + String.join(",", etcd)
                        + " (standby until elected leader)"));
        return Daemons.runUntilSignal("mds", server::awaitTermination, Daemons.closing(server, endpoint));
    }
}
