package io.curvefs.tool.localcluster;

import io.curvefs.tool.ToolFailure;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "kill", mixinStandardHelpOptions = true,
        description = "Kill one process of the local cluster in DIR with SIGKILL (no clean stop), as a crash would.")
public final class KillCommand implements Callable<Integer> {

    @Mixin
    ClusterDirOption dir;

    @Parameters(index = "0", paramLabel = "NAME", description = "mds-I, metaserver-I or etcd")
    String name;

    @Override
    public Integer call() {
        LocalCluster cluster = new LocalCluster(ClusterState.load(dir.path()), TimeoutOption.DEFAULT);
        long pid = cluster.state().named(name).pid();
        if (!cluster.kill(name)) {
            throw new ToolFailure(name + " is not running");
        }
        System.out.println("killed " + name + " (pid " + pid + ")");
        return 0;
    }
}
