package io.curvefs.tool.fs;

import io.curvefs.tool.MdsOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of commands that act on one named file system. */
public final class FsCommandOptions {

    @Mixin
    MdsOption mds;

    @Option(names = "--fs-name", required = true, paramLabel = "NAME", description = "File system name")
    String fsName;
}
