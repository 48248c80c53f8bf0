package io.curvefs.client.meta;

import io.curvefs.client.data.ChunkInfoStore;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.GetInodeResponse;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoRequest;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoResponse;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import io.curvefs.proto.metaserver.S3ChunkInfoList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chunk lists kept in the inodes: read with GetInode (or taken from the GetInode of the open, see
 * {@link OpenedChunkLists}), appended with GetOrModifyS3ChunkInfo.
 */
final class RemoteChunkInfoStore implements ChunkInfoStore {

    private final MetaRouter router;
    private final OpenedChunkLists opened;

    RemoteChunkInfoStore(MetaRouter router, OpenedChunkLists opened) {
        this.router = router;
        this.opened = opened;
    }

    @Override
    public Map<Long, List<S3ChunkInfo>> load(long inodeId) {
        Map<Long, List<S3ChunkInfo>> fromOpen = opened.take(inodeId);
        if (fromOpen != null) {
            return fromOpen;
        }
        GetInodeResponse r = router.call(router.partitionOf(inodeId), (stub, t) -> stub.getInode(
                GetInodeRequest.newBuilder().setPoolId(t.poolId()).setCopysetId(t.copysetId())
                        .setPartitionId(t.partitionId()).setFsId(router.fsId()).setInodeId(inodeId).build()),
                GetInodeResponse::getStatusCode);
        if (r.getStatusCode() == MetaStatusCode.NOT_FOUND) {
            throw new MetaException(MetaException.Kind.NOT_FOUND, "inode " + inodeId + " not found");
        }
        if (r.getStatusCode() != MetaStatusCode.OK) {
            throw new MetaException(MetaException.Kind.FAILED, "GetInode " + inodeId + " failed: " + r.getStatusCode());
        }
        return chunkLists(r.getInode());
    }

    static Map<Long, List<S3ChunkInfo>> chunkLists(Inode inode) {
        Map<Long, List<S3ChunkInfo>> out = new HashMap<>();
        inode.getS3ChunkInfoMapMap().forEach((index, list) -> out.put(index, list.getS3ChunksList()));
        return out;
    }

    @Override
    public void append(long inodeId, Map<Long, List<S3ChunkInfo>> added) {
        if (added.isEmpty()) {
            return;
        }
        GetOrModifyS3ChunkInfoResponse r;
        opened.appendStarts(inodeId);
        try {
            r = router.call(router.partitionOf(inodeId), (stub, t) -> {
                GetOrModifyS3ChunkInfoRequest.Builder b = GetOrModifyS3ChunkInfoRequest.newBuilder()
                        .setPoolId(t.poolId()).setCopysetId(t.copysetId()).setPartitionId(t.partitionId())
                        .setFsId(router.fsId()).setInodeId(inodeId).setReturnS3ChunkInfoMap(false);
                added.forEach((index, list) -> b.putS3ChunkInfoAdd(index,
                        S3ChunkInfoList.newBuilder().addAllS3Chunks(list).build()));
                return stub.getOrModifyS3ChunkInfo(b.build());
            }, GetOrModifyS3ChunkInfoResponse::getStatusCode);
        } finally {
            opened.appendEnds(inodeId);
        }
        if (r.getStatusCode() != MetaStatusCode.OK) {
            throw new MetaException(r.getStatusCode() == MetaStatusCode.NOT_FOUND ? MetaException.Kind.NOT_FOUND
                    : MetaException.Kind.FAILED, "GetOrModifyS3ChunkInfo " + inodeId + " failed: " + r.getStatusCode());
        }
    }
}
