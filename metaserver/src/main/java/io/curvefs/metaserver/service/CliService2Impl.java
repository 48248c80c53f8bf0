package io.curvefs.metaserver.service;

import io.curvefs.metaserver.copyset.CopysetNode;
import io.curvefs.metaserver.copyset.CopysetRegistry;
import io.curvefs.proto.cli2.AddPeerRequest2;
import io.curvefs.proto.cli2.AddPeerResponse2;
import io.curvefs.proto.cli2.ChangePeersRequest2;
import io.curvefs.proto.cli2.ChangePeersResponse2;
import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.cli2.GetLeaderResponse2;
import io.curvefs.proto.cli2.RemovePeerRequest2;
import io.curvefs.proto.cli2.RemovePeerResponse2;
import io.curvefs.proto.cli2.TransferLeaderRequest2;
import io.curvefs.proto.cli2.TransferLeaderResponse2;
import io.curvefs.proto.common.Peer;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader lookup for clients. Failures are gRPC statuses (the response has no status code):
 * NOT_FOUND for a copyset this metaserver does not have, UNAVAILABLE while no leader is known.
 * TransferLeader and the membership changes (AddPeer, RemovePeer, ChangePeers, through jraft's
 * Node API) are served by the leader (FAILED_PRECONDITION elsewhere).
 */
final class CliService2Impl extends CliService2Grpc.CliService2ImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(CliService2Impl.class);

    private final CopysetRegistry copysets;

    CliService2Impl(CopysetRegistry copysets) {
        this.copysets = copysets;
    }

    @Override
    public void getLeader(GetLeaderRequest2 request, StreamObserver<GetLeaderResponse2> out) {
        Optional<CopysetNode> node = copysets.get(request.getPoolId(), request.getCopysetId());
        if (node.isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("no copyset (" + request.getPoolId() + ","
                    + request.getCopysetId() + ") on this metaserver").asRuntimeException());
            return;
        }
        Optional<Peer> leader = node.get().leader();
        if (leader.isEmpty()) {
            out.onError(Status.UNAVAILABLE.withDescription("copyset has no leader yet").asRuntimeException());
            return;
        }
        out.onNext(GetLeaderResponse2.newBuilder().setLeader(leader.get()).build());
        out.onCompleted();
    }

    @Override
    public void addPeer(AddPeerRequest2 request, StreamObserver<AddPeerResponse2> out) {
        onLeader(request.getPoolId(), request.getCopysetId(), out, node -> node.addPeer(request.getAddPeer()),
                (oldPeers, newPeers) -> AddPeerResponse2.newBuilder().addAllOldPeers(oldPeers)
                        .addAllNewPeers(newPeers).build());
    }

    @Override
    public void removePeer(RemovePeerRequest2 request, StreamObserver<RemovePeerResponse2> out) {
        onLeader(request.getPoolId(), request.getCopysetId(), out,
                node -> node.removePeer(request.getRemovePeer()),
                (oldPeers, newPeers) -> RemovePeerResponse2.newBuilder().addAllOldPeers(oldPeers)
                        .addAllNewPeers(newPeers).build());
    }

    @Override
    public void changePeers(ChangePeersRequest2 request, StreamObserver<ChangePeersResponse2> out) {
        onLeader(request.getPoolId(), request.getCopysetId(), out,
                node -> node.changePeers(request.getNewPeersList()),
                (oldPeers, newPeers) -> ChangePeersResponse2.newBuilder().addAllOldPeers(oldPeers)
                        .addAllNewPeers(newPeers).build());
    }

    /**
     * Runs a membership change on the leader and answers once jraft has committed it (after the
     * new members caught up), with the members before and after. A replica that does not lead
     * answers FAILED_PRECONDITION; a change jraft refuses or abandons answers ABORTED.
     */
    private <T> void onLeader(int poolId, int copysetId, StreamObserver<T> out,
            Function<CopysetNode, CompletableFuture<com.alipay.sofa.jraft.Status>> change,
            BiFunction<List<Peer>, List<Peer>, T> response) {
        Optional<CopysetNode> found = copysets.get(poolId, copysetId);
        if (found.isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("no copyset (" + poolId + "," + copysetId
                    + ") on this metaserver").asRuntimeException());
            return;
        }
        CopysetNode node = found.get();
        if (!node.isLeader()) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("not the leader of copyset (" + poolId + ","
                    + copysetId + ")").asRuntimeException());
            return;
        }
        List<Peer> before = node.members();
        CompletableFuture<com.alipay.sofa.jraft.Status> done;
        try {
            done = change.apply(node);
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        done.whenComplete((status, error) -> {
            if (error != null || !status.isOk()) {
                String why = error != null ? error.getMessage() : status.getErrorMsg();
                LOG.info("membership change of copyset ({},{}) failed: {}", poolId, copysetId, why);
                out.onError(Status.ABORTED.withDescription("membership change failed: " + why).asRuntimeException());
                return;
            }
            out.onNext(response.apply(before, node.members()));
            out.onCompleted();
        });
    }

    /** Asks the leader to hand over to the transferee; answers once the transfer has started. */
    @Override
    public void transferLeader(TransferLeaderRequest2 request, StreamObserver<TransferLeaderResponse2> out) {
        Optional<CopysetNode> node = copysets.get(request.getPoolId(), request.getCopysetId());
        if (node.isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("no copyset (" + request.getPoolId() + ","
                    + request.getCopysetId() + ") on this metaserver").asRuntimeException());
            return;
        }
        Optional<String> refusal;
        try {
            refusal = node.get().transferLeader(request.getTransferee());
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        if (refusal.isPresent()) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(refusal.get()).asRuntimeException());
            return;
        }
        out.onNext(TransferLeaderResponse2.getDefaultInstance());
        out.onCompleted();
    }
}
