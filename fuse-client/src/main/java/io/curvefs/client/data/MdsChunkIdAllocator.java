package io.curvefs.client.data;

import io.curvefs.proto.mds.AllocateS3ChunkRequest;
import io.curvefs.proto.mds.AllocateS3ChunkResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.rpc.MdsClient;

/**
 * Chunk ids from the MDS, fetched a batch at a time (AllocateS3Chunk with chunkIdNum = batch,
 * which reserves {@code [beginChunkId, beginChunkId + batch)}) and handed out locally. Upstream
 * asks for one id per flush; batching takes the MDS round trip off almost every flush. Ids left
 * unused when the mount ends are simply never used, which is harmless.
 */
public final class MdsChunkIdAllocator implements ChunkIdAllocator {

    public static final int DEFAULT_BATCH = 1000;

    private final MdsClient mds;
    private final int fsId;
    private final int batch;
    private long next;
    private long end;

    public MdsChunkIdAllocator(MdsClient mds, int fsId, int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("chunk id batch must be positive, got " + batch);
        }
        this.mds = mds;
        this.fsId = fsId;
        this.batch = batch;
    }

    public MdsChunkIdAllocator(MdsClient mds, int fsId) {
        this(mds, fsId, DEFAULT_BATCH);
    }

    @Override
    public synchronized long allocate() {
        if (next == end) {
            AllocateS3ChunkRequest request = AllocateS3ChunkRequest.newBuilder()
                    .setFsId(fsId)
                    .setChunkIdNum(batch)
                    .build();
            AllocateS3ChunkResponse response = mds.mds(stub -> stub.allocateS3Chunk(request));
            if (response.getStatusCode() != FSStatusCode.OK || !response.hasBeginChunkId()) {
                throw new IllegalStateException("the MDS allocated no chunk ids for fs " + fsId + ": "
                        + response.getStatusCode());
            }
            next = response.getBeginChunkId();
            end = next + batch;
        }
        return next++;
    }
}
