package io.curvefs.tool.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --conf FILE} and {@code --print-config} options of the daemons. */
public final class ConfigOptions {

    @Option(names = ConfigFile.OPTION, paramLabel = "FILE",
            description = "Configuration file (properties, key = value); flags override its values. "
                    + "Examples in conf/.")
    Path file;

    @Option(names = "--print-config", description = "Print the effective configuration (file, flags, defaults) "
            + "as a configuration file and exit")
    boolean print;
}
