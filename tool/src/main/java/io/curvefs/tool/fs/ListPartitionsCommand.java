package io.curvefs.tool.fs;

import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.output.OutputOption;
import io.curvefs.tool.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list-partitions", mixinStandardHelpOptions = true,
        description = "List the metadata partitions of a file system: inode id ranges, copysets, counts.")
public final class ListPartitionsCommand implements Callable<Integer> {

    @Mixin
    FsCommandOptions common;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        try (MdsClient mds = common.mds.connect()) {
            FsInfo fs = FsQueries.describe(mds, common.fsName).getFsInfo();
            Table table = Table.of("ID", "POOL", "COPYSET", "START", "END", "STATUS", "INODES", "DENTRIES", "TXID");
            for (PartitionInfo p : FsQueries.partitions(mds, fs)) {
                table.row(p.getPartitionId(), p.getPoolId(), p.getCopysetId(), p.getStart(), p.getEnd(),
                        p.getStatus().name(), p.getInodeNum(), p.getDentryNum(), p.getTxId());
            }
            output.print(table);
            return 0;
        }
    }
}
