package io.curvefs.tool.config;

import io.curvefs.tool.ToolFailure;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Runs the parsed command after two configuration steps every daemon shares: the keys of its
 * {@code --conf} file are checked against the command's options, and {@code --print-config}
 * prints the effective values (as a configuration file, so it can be saved and edited) instead
 * of running.
 */
public final class ConfiguredExecution implements IExecutionStrategy {

    private final ConfigFile file;
    private final IExecutionStrategy run = new CommandLine.RunLast();

    /** @param file the {@code --conf} file of this command line, or null */
    public ConfiguredExecution(ConfigFile file) {
        this.file = file;
    }

    @Override
    public int execute(ParseResult parseResult) {
        ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        CommandSpec spec = last.commandSpec();
        List<OptionSpec> keyed = spec.options().stream().filter(o -> !o.descriptionKey().isEmpty()).toList();
        if (spec.findOption(ConfigFile.OPTION) != null) {
            if (file != null) {
                try {
                    file.checkKeys(keyed);
                } catch (ToolFailure e) {
                    throw new CommandLine.ExecutionException(spec.commandLine(), e.getMessage(), e);
                }
            }
            if (last.hasMatchedOption("--print-config")) {
                print(spec, keyed);
                return 0;
            }
        }
        return run.execute(parseResult);
    }

    private void print(CommandSpec spec, List<OptionSpec> keyed) {
        StringBuilder out = new StringBuilder("# effective configuration of " + spec.qualifiedName()
                + (file != null ? " (from " + file.path() + ", flags and defaults)" : " (flags and defaults)")
                + System.lineSeparator());
        for (OptionSpec option : keyed) {
            out.append("# ").append(option.longestName()).append(": ")
                    .append(String.join(" ", option.description()).replace("${DEFAULT-VALUE}", "" + option.defaultValue()))
                    .append(System.lineSeparator())
                    .append(option.descriptionKey()).append(" = ").append(text(option.getValue()))
                    .append(System.lineSeparator());
        }
        spec.commandLine().getOut().print(out);
        spec.commandLine().getOut().flush();
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }
}
