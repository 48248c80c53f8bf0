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
import java.util.Optional;

/**
 * Leader lookup for clients. Failures are gRPC statuses (the response has no status code):
 * NOT_FOUND for a copyset this metaserver does not have, UNAVAILABLE while no leader is known.
 * TransferLeader is served by the leader (FAILED_PRECONDITION elsewhere); membership changes
 * (AddPeer, RemovePeer, ChangePeers) are not supported yet and answer UNIMPLEMENTED.
 */
final class CliService2Impl extends CliService2Grpc.CliService2ImplBase {

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
        out.onError(notSupported());
    }

    @Override
    public void removePeer(RemovePeerRequest2 request, StreamObserver<RemovePeerResponse2> out) {
        out.onError(notSupported());
    }

    @Override
    public void changePeers(ChangePeersRequest2 request, StreamObserver<ChangePeersResponse2> out) {
        out.onError(notSupported());
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

    private static RuntimeException notSupported() {
        return Status.UNIMPLEMENTED.withDescription("copyset membership changes are not supported yet")
                .asRuntimeException();
    }
}
