package io.curvefs.tool.fs;

import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.output.OutputOption;
import io.curvefs.tool.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list-mountpoints", mixinStandardHelpOptions = true,
        description = "List the mount points the MDS knows, of every file system or of one.")
public final class ListMountpointsCommand implements Callable<Integer> {

    @Mixin
    MdsOption mds;

    @Mixin
    OutputOption output;

    @Option(names = "--fs-name", paramLabel = "NAME", description = "Only this file system")
    String fsName;

    @Override
    public Integer call() {
        try (MdsClient client = mds.connect()) {
            Table table = Table.of("FS", "MOUNTPOINT", "HOST", "PORT", "PATH");
            for (FsInfo fs : FsQueries.selected(client, fsName)) {
                for (Mountpoint m : fs.getMountpointsList()) {
                    table.row(fs.getFsName(), FsInfoFormat.mountpoint(m), m.getHostname(), m.getPort(), m.getPath());
                }
            }
            output.print(table);
            return 0;
        }
    }
}
