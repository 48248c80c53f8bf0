package io.curvefs.tool.fs;

import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.output.Table;
import picocli.CommandLine.Command;

@Command(name = "list-mountpoints", mixinStandardHelpOptions = true,
        description = "List the mount points the MDS knows, of every file system or of one.")
public final class ListMountpointsCommand extends PerFsTableCommand {

    @Override
    Table header() {
        return Table.of("FS", "MOUNTPOINT", "HOST", "PORT", "PATH");
    }

    @Override
    void addRows(MdsClient client, FsInfo fs, Table table) {
        for (Mountpoint m : fs.getMountpointsList()) {
            table.row(fs.getFsName(), FsInfoFormat.mountpoint(m), m.getHostname(), m.getPort(), m.getPath());
        }
    }
}
