package io.curvefs.tool.fs;

import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.proto.mds.UmountFsRequest;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.ToolFailure;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "umount-fs", mixinStandardHelpOptions = true,
        description = "Remove a mount point record at the MDS, e.g. one left by a client that died. "
                + "Does not touch a live kernel mount; use 'curvefs umount' on its host for that.")
public final class UmountFsCommand implements Callable<Integer> {

    @Mixin
    FsCommandOptions common;

    @Option(names = "--mountpoint", required = true, paramLabel = "HOST:PORT:PATH",
            converter = MountpointConverter.class, description = "The record to remove, as list-mountpoints shows it")
    Mountpoint mountpoint;

    @Override
    public Integer call() {
        try (MdsClient mds = common.mds.connect()) {
            FSStatusCode code = mds.mds(stub -> stub.umountFs(UmountFsRequest.newBuilder()
                    .setFsName(common.fsName).setMountpoint(mountpoint).build())).getStatusCode();
            String shown = FsInfoFormat.mountpoint(mountpoint);
            if (code == FSStatusCode.MOUNT_POINT_NOT_EXIST) {
                throw new ToolFailure("file system '" + common.fsName + "' has no mount point " + shown);
            }
            if (code != FSStatusCode.OK) {
                throw new ToolFailure(FsStatusMessages.describe(code, common.fsName));
            }
            System.out.println("removed mount point " + shown + " of file system " + common.fsName);
            return 0;
        }
    }
}
