package io.curvefs.tool.fs;

import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.UpdateFsInfoRequest;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.SizeConverter;
import io.curvefs.tool.ToolFailure;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "update-fs", mixinStandardHelpOptions = true,
        description = "Change a file system's settings; mounts see the new capacity at their next session refresh.")
public final class UpdateFsCommand implements Callable<Integer> {

    @Mixin
    FsCommandOptions common;

    @Option(names = "--capacity", required = true, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "New quota, 0 for none (K, M, G, T suffixes)")
    long capacity;

    @Override
    public Integer call() {
        try (MdsClient mds = common.mds.connect()) {
            FSStatusCode code = mds.mds(stub -> stub.updateFsInfo(UpdateFsInfoRequest.newBuilder()
                    .setFsName(common.fsName).setCapacity(capacity).build())).getStatusCode();
            if (code != FSStatusCode.OK) {
                throw new ToolFailure(FsStatusMessages.describe(code, common.fsName));
            }
            System.out.println("file system " + common.fsName + ": capacity "
                    + (capacity == 0 ? "unlimited" : SizeConverter.format(capacity)));
            return 0;
        }
    }
}
