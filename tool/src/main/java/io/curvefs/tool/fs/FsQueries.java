package io.curvefs.tool.fs;

import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.mds.GetFsInfoResponse;
import io.curvefs.proto.mds.ListClusterFsInfoRequest;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.proto.topology.ListPartitionResponse;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.ToolFailure;
import java.util.List;

/** Read-only MDS look-ups shared by the fs commands; an unknown name is a one-line failure. */
public final class FsQueries {

    private FsQueries() {
    }

    /** GetFsInfo by name, failing with the user's message when the MDS says no. */
    public static GetFsInfoResponse describe(MdsClient mds, String fsName) {
        GetFsInfoResponse response = mds.mds(stub -> stub.getFsInfo(
                GetFsInfoRequest.newBuilder().setFsName(fsName).build()));
        if (response.getStatusCode() != FSStatusCode.OK) {
            throw new ToolFailure(FsStatusMessages.describe(response.getStatusCode(), fsName));
        }
        return response;
    }

    /** The named file system, or every one when {@code fsName} is null. */
    static List<FsInfo> selected(MdsClient mds, String fsName) {
        if (fsName != null) {
            return List.of(describe(mds, fsName).getFsInfo());
        }
        return mds.mds(stub -> stub.listClusterFsInfo(ListClusterFsInfoRequest.getDefaultInstance())).getFsInfoList();
    }

    public static List<PartitionInfo> partitions(MdsClient mds, FsInfo fs) {
        ListPartitionResponse response = mds.topology(stub -> stub.listPartition(
                ListPartitionRequest.newBuilder().setFsId(fs.getFsId()).build()));
        if (response.getStatusCode() != TopoStatusCode.TOPO_OK) {
            throw new ToolFailure("cannot list the partitions of '" + fs.getFsName() + "': " + response.getStatusCode());
        }
        return response.getPartitionInfoListList();
    }
}
