package io.curvefs.tool.localcluster;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Start one process of the local cluster in DIR again with the same command line, ports and "
                + "data directory (stopping it first with SIGTERM if it runs); waits until it is healthy.")
public final class RestartCommand implements Callable<Integer> {

    @Mixin
    ClusterDirOption dir;

    @Parameters(index = "0", paramLabel = "NAME", description = "mds-I, metaserver-I or etcd")
    String name;

    @Option(names = "--wipe", description = "Empty its data directory first, as if its disk had been replaced")
    boolean wipe;

    @Mixin
    TimeoutOption timeout;

    @Override
    public Integer call() {
        LocalCluster cluster = new LocalCluster(ClusterState.load(dir.path()), timeout.duration());
        cluster.restart(name, wipe);
        LocalProcess process = cluster.state().named(name);
        System.out.println("restarted " + name + (wipe ? " with an empty data directory" : "") + " on "
                + process.address() + " (pid " + process.pid() + ")");
        return 0;
    }
}
