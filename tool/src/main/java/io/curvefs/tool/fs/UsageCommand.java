package io.curvefs.tool.fs;

import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.GetFsInfoResponse;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.output.OutputOption;
import io.curvefs.tool.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Bytes come from the MDS's usage record, which mounts update at each session refresh; inodes
 * are the partitions' counts from the metaservers' last heartbeats. Both lag a few seconds.
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Show bytes and inodes used per file system (as of the last session refresh and heartbeat).")
public final class UsageCommand implements Callable<Integer> {

    @Mixin
    MdsOption mds;

    @Mixin
    OutputOption output;

    @Option(names = "--fs-name", paramLabel = "NAME", description = "Only this file system")
    String fsName;

    @Override
    public Integer call() {
        try (MdsClient client = mds.connect()) {
            Table table = Table.of("FS", "USED BYTES", "CAPACITY BYTES", "INODES", "DENTRIES");
            for (FsInfo listed : FsQueries.selected(client, fsName)) {
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
            output.print(table);
            return 0;
        }
    }
}
