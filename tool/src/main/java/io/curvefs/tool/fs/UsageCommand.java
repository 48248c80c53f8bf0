package io.curvefs.tool.fs;

import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.GetFsInfoResponse;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.output.Table;
import picocli.CommandLine.Command;

/**
 * Bytes come from the MDS's usage record, which mounts update at each session refresh; inodes
 * are the partitions' counts from the metaservers' last heartbeats. Both lag a few seconds.
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Show bytes and inodes used per file system (as of the last session refresh and heartbeat).")
public final class UsageCommand extends PerFsTableCommand {

    @Override
    Table header() {
        return Table.of("FS", "USED BYTES", "CAPACITY BYTES", "INODES", "DENTRIES");
    }

    @Override
    void addRows(MdsClient client, FsInfo listed, Table table) {
        GetFsInfoResponse described = FsQueries.describe(client, listed.getFsName());
        long inodes = 0;
        long dentries = 0;
        for (PartitionInfo p : FsQueries.partitions(client, described.getFsInfo())) {
            inodes += p.getInodeNum();
            dentries += p.getDentryNum();
        }
        table.row(listed.getFsName(), described.getFsUsage().getUsedBytes(),
                described.getFsInfo().getCapacity(), inodes, dentries);
    }
}
