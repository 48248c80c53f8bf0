package io.curvefs.tool.localcluster;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --dir DIR} option of every cluster subcommand. */
public final class ClusterDirOption {

    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "The cluster's directory: its state file (" + ClusterState.FILE_NAME
                    + "), and per process NAME/data and NAME/NAME.log")
    Path dir;

    Path path() {
        return dir.toAbsolutePath().normalize();
    }
}
