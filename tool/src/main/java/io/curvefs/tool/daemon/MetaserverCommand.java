package io.curvefs.tool.daemon;

import io.curvefs.metaserver.MetaServer;
import io.curvefs.metaserver.MetaserverConfig;
import io.curvefs.rpc.HostPort;
import io.curvefs.tool.DurationConverter;
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

    @Option(names = "--server-name", paramLabel = "NAME", defaultValue = "", descriptionKey = "metaserver.server.name",
            description = "Register on the topology server of this name (see create-topology); default: this "
                    + "machine's host name, else the server with the listen IP")
    String serverName;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "10s",
            descriptionKey = "metaserver.heartbeat.intervalSec",
            converter = DurationConverter.class,
            description = "Between heartbeats to the MDS (default: ${DEFAULT-VALUE})")
    Duration heartbeatInterval;

    @Option(names = "--snapshot-interval", paramLabel = "DURATION", defaultValue = "1800s",
            descriptionKey = "copyset.snapshot_interval_s",
            converter = DurationConverter.class,
            description = "Between automatic Raft snapshots of each copyset (whole seconds; default: "
                    + "${DEFAULT-VALUE})")
    Duration snapshotInterval;

    @Mixin
    MetricsOption metrics;

    @Option(names = "--election-timeout-ms", paramLabel = "MS", defaultValue = "1000",
            descriptionKey = "copyset.election_timeout_ms",
            description = "Raft election timeout of the copysets (default: ${DEFAULT-VALUE})")
    long electionTimeoutMillis;

    @Mixin
    LogOptions log;

    @Mixin
    ConfigOptions conf;

    @Override
    public Integer call() throws Exception {
        log.start("metaserver", dataDir.resolve("logs"));
        MetaServer server = MetaServer.start(MetaserverConfig.defaults(HostPort.parse(listen), dataDir, mds.parse())
                .withServerName(serverName).withElectionTimeout(Duration.ofMillis(electionTimeoutMillis))
                .withHeartbeatInterval(heartbeatInterval).withSnapshotInterval(snapshotInterval));
        AutoCloseable endpoint = Daemons.startOrClose(metrics, server);
        System.out.println("metaserver serving on " + server.address() + ", data in " + dataDir);
        return Daemons.runUntilSignal("metaserver", server::awaitTermination, Daemons.closing(server, endpoint));
    }
}
