package io.curvefs.tool.localcluster;

import io.curvefs.tool.output.OutputOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "One line per process of the local cluster in DIR: name, address, pid, up or down, "
                + "and for an MDS that is up whether it is the leader or a standby.")
public final class ClusterStatusCommand implements Callable<Integer> {

    @Mixin
    ClusterDirOption dir;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        output.print(StatusTable.of(ClusterState.load(dir.path())));
        return 0;
    }
}
