package io.curvefs.tool.daemon;

import io.curvefs.mds.MdsConfig;
import io.curvefs.mds.MdsServer;
import io.curvefs.rpc.HostPort;
import io.curvefs.tool.DurationConverter;
import io.curvefs.tool.MetricsOption;
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

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6700",
            description = "Address to serve on (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/curvefs/mds",
            description = "Where the MDS keeps its state (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--etcd", paramLabel = "URL[,URL...]", split = ",",
            description = "Keep the state in etcd at these client URLs (e.g. http://127.0.0.1:2379) and elect "
                    + "one leader among the MDSs sharing it; without it the state is in RocksDB under --data-dir")
    List<String> etcd = List.of();

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "3",
            description = "Replicas per copyset of the pool made automatically when metaservers register "
                    + "without create-topology; fewer while fewer metaservers are online (default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--offline-timeout", paramLabel = "DURATION", defaultValue = "30m",
            converter = DurationConverter.class,
            description = "A metaserver without heartbeat this long has its copyset replicas moved to other "
                    + "metaservers, e.g. 30m, 90s (default: ${DEFAULT-VALUE})")
    Duration offlineTimeout;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "A metaserver without heartbeat this long counts as offline: no new copysets go to "
                    + "it (default: ${DEFAULT-VALUE})")
    Duration heartbeatTimeout;

    @Mixin
    MetricsOption metrics;

    @Override
    public Integer call() throws Exception {
        MdsConfig config = MdsConfig.defaults(HostPort.parse(listen), dataDir).withDefaultReplicaNum(replicas)
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
