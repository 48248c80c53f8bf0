package io.curvefs.tool.fs;

import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.mds.GetFsInfoResponse;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.ToolFailure;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "fs-info", mixinStandardHelpOptions = true, description = "Show one file system.")
public final class FsInfoCommand implements Callable<Integer> {

    @Mixin
    FsCommandOptions common;

    @Override
    public Integer call() {
        try (MdsClient mds = common.mds.connect()) {
            GetFsInfoResponse response = mds.mds(stub -> stub.getFsInfo(
                    GetFsInfoRequest.newBuilder().setFsName(common.fsName).build()));
            if (response.getStatusCode() != FSStatusCode.OK) {
                throw new ToolFailure(FsStatusMessages.describe(response.getStatusCode(), common.fsName));
            }
            System.out.print(FsInfoFormat.details(response.getFsInfo()));
            return 0;
        }
    }
}
