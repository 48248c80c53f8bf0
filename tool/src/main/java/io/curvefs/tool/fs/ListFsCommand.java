package io.curvefs.tool.fs;

import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.ListClusterFsInfoRequest;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MdsOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list-fs", mixinStandardHelpOptions = true, description = "List the file systems of the cluster.")
public final class ListFsCommand implements Callable<Integer> {

    @Mixin
    MdsOption mds;

    @Override
    public Integer call() {
        try (MdsClient client = mds.connect()) {
            List<FsInfo> all = client.mds(stub -> stub.listClusterFsInfo(
                    ListClusterFsInfoRequest.getDefaultInstance())).getFsInfoList();
            String format = "%-6s %-24s %-9s %-7s %-10s %s%n";
            System.out.printf(format, "ID", "NAME", "STATUS", "MOUNTS", "CAPACITY", "STORAGE");
            for (FsInfo fs : all) {
                System.out.printf(format, fs.getFsId(), fs.getFsName(), fs.getStatus(), fs.getMountNum(),
                        FsInfoFormat.capacity(fs), FsInfoFormat.storage(fs));
            }
            return 0;
        }
    }
}
