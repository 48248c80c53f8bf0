package io.curvefs.tool.localcluster;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop every process of the local cluster in DIR: SIGTERM, wait, SIGKILL what is left. "
                + "Data and logs stay; 'cluster start --dir DIR' starts the same cluster again.")
public final class StopCommand implements Callable<Integer> {

    @Mixin
    ClusterDirOption dir;

    @Override
    public Integer call() {
        LocalCluster cluster = new LocalCluster(ClusterState.load(dir.path()), TimeoutOption.DEFAULT);
        long running = cluster.state().processes().stream().filter(p -> OsProcesses.running(p).isPresent()).count();
        cluster.stopAll();
        System.out.println("stopped " + running + " process(es) of the cluster in " + dir.path());
        return 0;
    }
}
