package io.curvefs.metaserver.service;

import io.curvefs.metaserver.copyset.CopysetKey;
import io.curvefs.metaserver.copyset.CopysetNode;
import io.curvefs.metaserver.copyset.CopysetRegistry;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.copyset.CopysetServiceGrpc;
import io.curvefs.proto.copyset.CopysetStatusRequest;
import io.curvefs.proto.copyset.CopysetStatusResponse;
import io.curvefs.proto.copyset.CreateCopysetRequest;
import io.curvefs.proto.copyset.CreateCopysetResponse;
import io.curvefs.proto.copyset.GetCopysetsStatusRequest;
import io.curvefs.proto.copyset.GetCopysetsStatusResponse;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * Copyset creation and status. CreateCopysetNode handles its copysets in order and stops at the
 * first error: unparsable peers PARSE_PEER_ERROR, an existing copyset with other peers
 * PEER_MISMATCH, a start failure FAILURE_UNKNOWN. Otherwise it answers EXIST when at least one
 * copyset already existed with the same peers (callers treat EXIST as success), else SUCCESS.
 */
final class CopysetServiceImpl extends CopysetServiceGrpc.CopysetServiceImplBase {

    private final CopysetRegistry copysets;

    CopysetServiceImpl(CopysetRegistry copysets) {
        this.copysets = copysets;
    }

    @Override
    public void createCopysetNode(CreateCopysetRequest request, StreamObserver<CreateCopysetResponse> out) {
        COPYSET_OP_STATUS status = COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS;
        for (CreateCopysetRequest.Copyset c : request.getCopysetsList()) {
            CopysetRegistry.Outcome outcome = copysets.create(new CopysetKey(c.getPoolId(), c.getCopysetId()),
                    c.getPeersList());
            COPYSET_OP_STATUS error = switch (outcome) {
                case CREATED, EXISTS -> null;
                case BAD_PEER -> COPYSET_OP_STATUS.COPYSET_OP_STATUS_PARSE_PEER_ERROR;
                case PEER_MISMATCH -> COPYSET_OP_STATUS.COPYSET_OP_STATUS_PEER_MISMATCH;
                case FAILED -> COPYSET_OP_STATUS.COPYSET_OP_STATUS_FAILURE_UNKNOWN;
            };
            if (error != null) {
                status = error;
                break;
            }
            if (outcome == CopysetRegistry.Outcome.EXISTS) {
                status = COPYSET_OP_STATUS.COPYSET_OP_STATUS_EXIST;
            }
        }
        out.onNext(CreateCopysetResponse.newBuilder().setStatus(status).build());
        out.onCompleted();
    }

    @Override
    public void getCopysetStatus(CopysetStatusRequest request, StreamObserver<CopysetStatusResponse> out) {
        out.onNext(statusOf(request));
        out.onCompleted();
    }

    @Override
    public void getCopysetsStatus(GetCopysetsStatusRequest request, StreamObserver<GetCopysetsStatusResponse> out) {
        GetCopysetsStatusResponse.Builder response = GetCopysetsStatusResponse.newBuilder();
        request.getCopysetsInfoList().forEach(r -> response.addCopysetsStatus(statusOf(r)));
        out.onNext(response.build());
        out.onCompleted();
    }

    private CopysetStatusResponse statusOf(CopysetStatusRequest request) {
        Optional<CopysetNode> node = copysets.get(request.getPoolId(), request.getCopysetId());
        if (node.isEmpty()) {
            return CopysetStatusResponse.newBuilder()
                    .setStatus(COPYSET_OP_STATUS.COPYSET_OP_STATUS_COPYSET_NOTEXIST).build();
        }
        return CopysetStatusResponse.newBuilder().setStatus(COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS)
                .setCopysetStatus(node.get().status()).build();
    }
}
