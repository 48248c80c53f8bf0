package io.curvefs.tool;

import io.curvefs.tool.config.ConfigFile;
import io.curvefs.tool.config.ConfiguredExecution;
import io.curvefs.tool.daemon.MountOptions;
import picocli.CommandLine;

/** Entry point of the {@code curvefs} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit status; errors are printed as one line. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new CurvefsCommand());
        String[] expanded;
        try {
            expanded = MountOptions.expand(cli.getSubcommands().get("mount").getCommandSpec(), args);
        } catch (ToolFailure e) {
            cli.getErr().println("curvefs: " + e.getMessage());
            return 2;
        }
        ConfigFile conf;
        try {
            conf = ConfigFile.fromArgs(expanded);
        } catch (ToolFailure e) {
            cli.getErr().println("curvefs: " + e.getMessage());
            return 1;
        }
        cli.setDefaultValueProvider(conf);
        cli.setExecutionStrategy(new ConfiguredExecution(conf));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("curvefs: " + ToolErrors.describe(e));
            return 1;
        });
        cli.setParameterExceptionHandler((e, ignored) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("curvefs: " + e.getMessage().replaceFirst("^Error: ", ""));
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            return 2;
        });
        return cli.execute(expanded);
    }
}
