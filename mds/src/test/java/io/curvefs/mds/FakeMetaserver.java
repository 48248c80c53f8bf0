package io.curvefs.mds;

import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.cli2.GetLeaderResponse2;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.copyset.CopysetServiceGrpc;
import io.curvefs.proto.copyset.CreateCopysetRequest;
import io.curvefs.proto.copyset.CreateCopysetResponse;
import io.curvefs.proto.metaserver.CreatePartitionRequest;
import io.curvefs.proto.metaserver.CreatePartitionResponse;
import io.curvefs.proto.metaserver.CreateRootInodeRequest;
import io.curvefs.proto.metaserver.CreateRootInodeResponse;
import io.curvefs.proto.metaserver.DeletePartitionRequest;
import io.curvefs.proto.metaserver.DeletePartitionResponse;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.rpc.HostPort;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a metaserver's management RPCs on 127.0.0.1: it remembers the copysets,
 * partitions and root inodes the MDS asks for. The first peer of a copyset is its leader;
 * other members answer REDIRECTED. Knobs let a test inject redirects and refusals.
 */
final class FakeMetaserver implements AutoCloseable {

    record RootInode(int fsId, int partitionId, int uid, int gid, int mode) {
    }

    final Map<String, List<Peer>> copysets = new ConcurrentHashMap<>();
    final Map<Integer, PartitionInfo> partitions = new ConcurrentHashMap<>();
    final Map<Integer, RootInode> rootInodes = new ConcurrentHashMap<>();
    final AtomicInteger redirectsLeft = new AtomicInteger();
    final AtomicBoolean refusePartitions = new AtomicBoolean();

    private final Server server;
    private final HostPort address;

    FakeMetaserver() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new Copysets()).addService(new Cli()).addService(new MetaServer())
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        address = new HostPort("127.0.0.1", server.getPort());
    }

    HostPort address() {
        return address;
    }

    private static String key(int poolId, int copysetId) {
        return poolId + "/" + copysetId;
    }

    private boolean leads(int poolId, int copysetId) {
        List<Peer> peers = copysets.get(key(poolId, copysetId));
        return peers != null && peers.get(0).getAddress().equals(address + ":0");
    }

    private MetaStatusCode leaderCheck(int poolId, int copysetId) {
        if (!copysets.containsKey(key(poolId, copysetId))) {
            return MetaStatusCode.COPYSET_NOTEXIST;
        }
        if (!leads(poolId, copysetId)) {
            return MetaStatusCode.REDIRECTED;
        }
        if (redirectsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return MetaStatusCode.REDIRECTED;
        }
        return MetaStatusCode.OK;
    }

    private final class Copysets extends CopysetServiceGrpc.CopysetServiceImplBase {
        @Override
        public void createCopysetNode(CreateCopysetRequest request, StreamObserver<CreateCopysetResponse> out) {
            COPYSET_OP_STATUS status = COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS;
            for (CreateCopysetRequest.Copyset c : request.getCopysetsList()) {
                if (copysets.putIfAbsent(key(c.getPoolId(), c.getCopysetId()), c.getPeersList()) != null) {
                    status = COPYSET_OP_STATUS.COPYSET_OP_STATUS_EXIST;
                }
            }
            out.onNext(CreateCopysetResponse.newBuilder().setStatus(status).build());
            out.onCompleted();
        }
    }

    private final class Cli extends CliService2Grpc.CliService2ImplBase {
        @Override
        public void getLeader(GetLeaderRequest2 request, StreamObserver<GetLeaderResponse2> out) {
            List<Peer> peers = copysets.get(key(request.getPoolId(), request.getCopysetId()));
            if (peers == null) {
                out.onError(Status.NOT_FOUND.withDescription("no such copyset").asRuntimeException());
                return;
            }
            out.onNext(GetLeaderResponse2.newBuilder().setLeader(peers.get(0)).build());
            out.onCompleted();
        }
    }

    private final class MetaServer extends MetaServerServiceGrpc.MetaServerServiceImplBase {
        @Override
        public void createPartition(CreatePartitionRequest request, StreamObserver<CreatePartitionResponse> out) {
            PartitionInfo p = request.getPartition();
            MetaStatusCode code = leaderCheck(p.getPoolId(), p.getCopysetId());
            if (code == MetaStatusCode.OK && refusePartitions.get()) {
                code = MetaStatusCode.UNKNOWN_ERROR;
            }
            if (code == MetaStatusCode.OK && partitions.putIfAbsent(p.getPartitionId(), p) != null) {
                code = MetaStatusCode.PARTITION_EXIST;
            }
            out.onNext(CreatePartitionResponse.newBuilder().setStatusCode(code).build());
            out.onCompleted();
        }

        @Override
        public void createRootInode(CreateRootInodeRequest request, StreamObserver<CreateRootInodeResponse> out) {
            MetaStatusCode code = leaderCheck(request.getPoolId(), request.getCopysetId());
            PartitionInfo p = partitions.get(request.getPartitionId());
            if (code == MetaStatusCode.OK && (p == null || p.getStart() > 1 || p.getEnd() < 1)) {
                code = MetaStatusCode.PARTITION_NOT_FOUND;
            }
            if (code == MetaStatusCode.OK && rootInodes.putIfAbsent(request.getFsId(), new RootInode(
                    request.getFsId(), request.getPartitionId(), request.getUid(), request.getGid(),
                    request.getMode())) != null) {
                code = MetaStatusCode.INODE_EXIST;
            }
            out.onNext(CreateRootInodeResponse.newBuilder().setStatusCode(code).build());
            out.onCompleted();
        }

        @Override
        public void deletePartition(DeletePartitionRequest request, StreamObserver<DeletePartitionResponse> out) {
            MetaStatusCode code = leaderCheck(request.getPoolId(), request.getCopysetId());
            if (code == MetaStatusCode.OK && partitions.remove(request.getPartitionId()) == null) {
                code = MetaStatusCode.PARTITION_NOT_FOUND;
            }
            out.onNext(DeletePartitionResponse.newBuilder().setStatusCode(code).build());
            out.onCompleted();
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
