package io.curvefs.mds.metaserver;

import io.curvefs.proto.cli2.AddPeerRequest2;
import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.cli2.RemovePeerRequest2;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.copyset.CopysetServiceGrpc;
import io.curvefs.proto.copyset.CreateCopysetRequest;
import io.curvefs.proto.metaserver.CreatePartitionRequest;
import io.curvefs.proto.metaserver.CreateRootInodeRequest;
import io.curvefs.proto.metaserver.DeletePartitionRequest;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every call the MDS makes to a metaserver, one method per RPC, so the MDS logic above it
 * depends on plain answers (a status code, an address) rather than on gRPC. Channels are
 * opened on first use and kept per address. A missing answer becomes
 * {@link MetaserverCallException}; an answer is returned as is, whatever its status.
 */
public final class MetaserverClient implements AutoCloseable {

    private final Duration timeout;
    private final Map<HostPort, ManagedChannel> channels = new ConcurrentHashMap<>();

    public MetaserverClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** Creates the copyset node on {@code metaserver}; an existing node with the same id is fine. */
    public COPYSET_OP_STATUS createCopyset(HostPort metaserver, int poolId, int copysetId, List<Peer> peers) {
        CreateCopysetRequest request = CreateCopysetRequest.newBuilder()
                .addCopysets(CreateCopysetRequest.Copyset.newBuilder()
                        .setPoolId(poolId).setCopysetId(copysetId).addAllPeers(peers))
                .build();
        return call(metaserver, "CreateCopysetNode", () -> CopysetServiceGrpc.newBlockingStub(channel(metaserver))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .createCopysetNode(request).getStatus());
    }

    /** The copyset's leader as {@code metaserver} knows it, or empty while there is none. */
    public Optional<HostPort> getLeader(HostPort metaserver, int poolId, int copysetId) {
        GetLeaderRequest2 request = GetLeaderRequest2.newBuilder()
                .setPoolId(poolId).setCopysetId(copysetId).build();
        String leader = call(metaserver, "GetLeader", () -> CliService2Grpc.newBlockingStub(channel(metaserver))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .getLeader(request).getLeader().getAddress());
        return PeerAddress.parse(leader);
    }

    /**
     * Asks the copyset's leader to add {@code peer} and waits (up to {@code wait}) until the new
     * member has caught up and the membership is committed; returns the new members.
     */
    public List<Peer> addPeer(HostPort leader, int poolId, int copysetId, Peer peer, Duration wait) {
        AddPeerRequest2 request = AddPeerRequest2.newBuilder().setPoolId(poolId).setCopysetId(copysetId)
                .setAddPeer(peer).build();
        return call(leader, "AddPeer", () -> CliService2Grpc.newBlockingStub(channel(leader))
                .withDeadlineAfter(wait.toMillis(), TimeUnit.MILLISECONDS).addPeer(request).getNewPeersList());
    }

    /** Asks the copyset's leader to remove {@code peer}; returns the new members. */
    public List<Peer> removePeer(HostPort leader, int poolId, int copysetId, Peer peer, Duration wait) {
        RemovePeerRequest2 request = RemovePeerRequest2.newBuilder().setPoolId(poolId).setCopysetId(copysetId)
                .setRemovePeer(peer).build();
        return call(leader, "RemovePeer", () -> CliService2Grpc.newBlockingStub(channel(leader))
                .withDeadlineAfter(wait.toMillis(), TimeUnit.MILLISECONDS).removePeer(request).getNewPeersList());
    }

    public MetaStatusCode createPartition(HostPort leader, PartitionInfo partition) {
        CreatePartitionRequest request = CreatePartitionRequest.newBuilder().setPartition(partition).build();
        return call(leader, "CreatePartition", () -> metaServerStub(leader).createPartition(request).getStatusCode());
    }

    public MetaStatusCode createRootInode(HostPort leader, CreateRootInodeRequest request) {
        return call(leader, "CreateRootInode", () -> metaServerStub(leader).createRootInode(request).getStatusCode());
    }

    public MetaStatusCode deletePartition(HostPort leader, int poolId, int copysetId, int partitionId) {
        DeletePartitionRequest request = DeletePartitionRequest.newBuilder()
                .setPoolId(poolId).setCopysetId(copysetId).setPartitionId(partitionId).build();
        return call(leader, "DeletePartition", () -> metaServerStub(leader).deletePartition(request).getStatusCode());
    }

    private MetaServerServiceGrpc.MetaServerServiceBlockingStub metaServerStub(HostPort address) {
        return MetaServerServiceGrpc.newBlockingStub(channel(address))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ManagedChannel channel(HostPort address) {
        return channels.computeIfAbsent(address, Channels::open);
    }

    private static <T> T call(HostPort address, String method, Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw new MetaserverCallException(method + " on metaserver " + address + " failed: "
                    + e.getStatus().getCode() + describe(e), e);
        }
    }

    private static String describe(StatusRuntimeException e) {
        String d = e.getStatus().getDescription();
        return d == null ? "" : " (" + d + ")";
    }

    @Override
    public void close() {
        channels.values().forEach(Channels::close);
        channels.clear();
    }
}
