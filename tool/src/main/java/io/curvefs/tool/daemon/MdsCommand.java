package io.curvefs.tool.daemon;

import io.curvefs.mds.MdsConfig;
import io.curvefs.mds.MdsServer;
import io.curvefs.rpc.HostPort;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import io.curvefs.tool.MetricsOption;
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

    @Mixin
    MetricsOption metrics;

    @Override
    public Integer call() throws Exception {
        MdsServer server = MdsServer.start(MdsConfig.defaults(HostPort.parse(listen), dataDir));
        AutoCloseable endpoint = Daemons.startOrClose(metrics, server);
        System.out.println("mds serving on " + server.address() + ", data in " + dataDir);
        return Daemons.runUntilSignal("mds", server::awaitTermination, Daemons.closing(server, endpoint));
    }
}
