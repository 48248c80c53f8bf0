package io.curvefs.client.meta;

import io.curvefs.client.data.ChunkIdAllocator;
import io.curvefs.proto.mds.AllocateS3ChunkRequest;
import io.curvefs.proto.mds.AllocateS3ChunkResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.rpc.MdsClient;

/**
 * Chunk ids from the MDS, fetched in batches so that most allocations need no RPC. Ids of a
 * batch not used before unmount are simply lost (ids only need to be unique, not dense).
 */
public final class MdsChunkIdAllocator implements ChunkIdAllocator {

    private final MdsClient mds;
    private final int fsId;
    private final int batch;
    private long next;
    private long end;

    public MdsChunkIdAllocator(MdsClient mds, int fsId, int batch) {
        this.mds = mds;
        this.fsId = fsId;
        this.batch = batch;
    }

    @Override
    public synchronized long allocate() {
        if (next == end) {
            AllocateS3ChunkResponse r = mds.mds(stub -> stub.allocateS3Chunk(AllocateS3ChunkRequest.newBuilder()
                    .setFsId(fsId).setChunkIdNum(batch).build()));
            if (r.getStatusCode() != FSStatusCode.OK) {
                throw new MetaException(MetaException.Kind.FAILED,
                        "MDS cannot allocate chunk ids for fs " + fsId + ": " + r.getStatusCode());
            }
            next = r.getBeginChunkId();
            end = next + batch;
        }
        return next++;
    }
}
