package io.curvefs.tool.localcluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Run a whole cluster on this machine (127.0.0.1) as separate processes, for tests, "
                + "benchmarks and trying out failures.",
        subcommands = {StartCommand.class, ClusterStatusCommand.class, KillCommand.class, RestartCommand.class,
            StopCommand.class})
public final class LocalClusterCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
