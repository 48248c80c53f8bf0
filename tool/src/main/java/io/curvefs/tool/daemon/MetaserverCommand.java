package io.curvefs.tool.daemon;

import io.curvefs.metaserver.MetaServer;
import io.curvefs.metaserver.MetaserverConfig;
import io.curvefs.rpc.HostPort;
import io.curvefs.tool.DurationConverter;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.MetricsOption;
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
            description = "Address to serve on (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/curvefs/metaserver",
            description = "Where the metaserver keeps its copysets (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Mixin
    MdsOption mds;

    @Option(names = "--server-name", paramLabel = "NAME", defaultValue = "",
            description = "Register on the topology server of this name (see create-topology); default: this "
                    + "machine's host name, else the server with the listen IP")
    String serverName;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Between heartbeats to the MDS (default: ${DEFAULT-VALUE})")
    Duration heartbeatInterval;

    @Mixin
    MetricsOption metrics;

    @Override
    public Integer call() throws Exception {
        MetaServer server = MetaServer.start(MetaserverConfig.defaults(HostPort.parse(listen), dataDir, mds.parse())
                .withServerName(serverName).withHeartbeatInterval(heartbeatInterval));
        AutoCloseable endpoint = Daemons.startOrClose(metrics, server);
        System.out.println("metaserver serving on " + server.address() + ", data in " + dataDir);
        return Daemons.runUntilSignal("metaserver", server::awaitTermination, Daemons.closing(server, endpoint));
    }
}
