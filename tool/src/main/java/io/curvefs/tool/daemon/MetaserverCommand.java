package io.curvefs.tool.daemon;

import io.curvefs.metaserver.MetaServer;
import io.curvefs.metaserver.MetaserverConfig;
import io.curvefs.rpc.HostPort;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.MetricsOption;
import io.curvefs.tool.config.ConfigOptions;
import io.curvefs.tool.config.LogOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "metaserver", mixinStandardHelpOptions = true,
        description = "Run a metaserver (inodes and dentries in Raft copysets) in the foreground; SIGTERM stops it cleanly.")
public final class MetaserverCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6800",
            descriptionKey = "metaserver.listen.addr",
            description = "Address to serve on (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/curvefs/metaserver",
            descriptionKey = "metaserver.data.dir",
            description = "Where the metaserver keeps its copysets (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Mixin
    MdsOption mds;

    @Mixin
    MetricsOption metrics;

    @Option(names = "--election-timeout-ms", paramLabel = "MS", defaultValue = "1000",
            descriptionKey = "copyset.election_timeout_ms",
            description = "Raft election timeout of the copysets (default: ${DEFAULT-VALUE})")
    long electionTimeoutMillis;

    @Option(names = "--snapshot-interval", paramLabel = "SECONDS", defaultValue = "1800",
            descriptionKey = "copyset.snapshot_interval_s",
            description = "Between automatic Raft snapshots of a copyset (default: ${DEFAULT-VALUE})")
    long snapshotIntervalSeconds;

    @Option(names = "--heartbeat-interval", paramLabel = "SECONDS", defaultValue = "10",
            descriptionKey = "metaserver.heartbeat.intervalSec",
            description = "Between heartbeats to the MDS (default: ${DEFAULT-VALUE})")
    long heartbeatIntervalSeconds;

    @Mixin
    LogOptions log;

    @Mixin
    ConfigOptions conf;

    @Override
    public Integer call() throws Exception {
        log.start("metaserver", dataDir.resolve("logs"));
        MetaServer server = MetaServer.start(MetaserverConfig.defaults(HostPort.parse(listen), dataDir, mds.parse())
                .withElectionTimeout(Duration.ofMillis(electionTimeoutMillis))
                .withSnapshotInterval(Duration.ofSeconds(snapshotIntervalSeconds))
                .withHeartbeatInterval(Duration.ofSeconds(heartbeatIntervalSeconds)));
        AutoCloseable endpoint = Daemons.startOrClose(metrics, server);
        System.out.println("metaserver serving on " + server.address() + ", data in " + dataDir);
        return Daemons.runUntilSignal("metaserver", server::awaitTermination, Daemons.closing(server, endpoint));
    }
}
