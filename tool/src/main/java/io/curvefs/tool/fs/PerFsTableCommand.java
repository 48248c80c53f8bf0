package io.curvefs.tool.fs;

import io.curvefs.proto.mds.FsInfo;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.output.OutputOption;
import io.curvefs.tool.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A command that prints a table with rows for every file system, or only the one named by {@code --fs-name}. */
abstract class PerFsTableCommand implements Callable<Integer> {

    @Mixin
    MdsOption mds;

    @Mixin
    OutputOption output;

    @Option(names = "--fs-name", paramLabel = "NAME", description = "Only this file system")
    String fsName;

    /** The empty table with its column names. */
    abstract Table header();

    /** Adds the rows of one file system. */
    abstract void addRows(MdsClient client, FsInfo fs, Table table);

    @Override
    public final Integer call() {
        try (MdsClient client = mds.connect()) {
            Table table = header();
            for (FsInfo fs : FsQueries.selected(client, fsName)) {
                addRows(client, fs, table);
            }
            output.print(table);
            return 0;
        }
    }
}
