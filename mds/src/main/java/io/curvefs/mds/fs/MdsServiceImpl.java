package io.curvefs.mds.fs;

import io.curvefs.mds.storage.StorageException;
import io.curvefs.proto.mds.AllocateS3ChunkRequest;
import io.curvefs.proto.mds.AllocateS3ChunkResponse;
import io.curvefs.proto.mds.CommitTxRequest;
import io.curvefs.proto.mds.CommitTxResponse;
import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.CreateFsResponse;
import io.curvefs.proto.mds.DeleteFsRequest;
import io.curvefs.proto.mds.DeleteFsResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.FsUsage;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.mds.GetFsInfoResponse;
import io.curvefs.proto.mds.GetLatestTxIdRequest;
import io.curvefs.proto.mds.GetLatestTxIdResponse;
import io.curvefs.proto.mds.ListClusterFsInfoRequest;
import io.curvefs.proto.mds.ListClusterFsInfoResponse;
import io.curvefs.proto.mds.MdsServiceGrpc;
import io.curvefs.proto.mds.MountFsRequest;
import io.curvefs.proto.mds.MountFsResponse;
import io.curvefs.proto.mds.RefreshSessionRequest;
import io.curvefs.proto.mds.RefreshSessionResponse;
import io.curvefs.proto.mds.SetClientMdsAddrsOverrideRequest;
import io.curvefs.proto.mds.SetClientMdsAddrsOverrideResponse;
import io.curvefs.proto.mds.TsoRequest;
import io.curvefs.proto.mds.TsoResponse;
import io.curvefs.proto.mds.UmountFsRequest;
import io.curvefs.proto.mds.UmountFsResponse;
import io.curvefs.proto.mds.UpdateFsInfoRequest;
import io.curvefs.proto.mds.UpdateFsInfoResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MdsService over gRPC: turns requests into {@link FsManager} calls and every refusal into
 * the response's status code with one log line (storage failures answer STORAGE_ERROR).
 */
public final class MdsServiceImpl extends MdsServiceGrpc.MdsServiceImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(MdsServiceImpl.class);

    private final FsManager fs;
    private final Clock clock;

    public MdsServiceImpl(FsManager fs, Clock clock) {
        this.fs = fs;
        this.clock = clock;
    }

    @Override
    public void createFs(CreateFsRequest request, StreamObserver<CreateFsResponse> out) {
        answer(out, "CreateFs " + request.getFsName(), () -> CreateFsResponse.newBuilder()
                        .setStatusCode(FSStatusCode.OK).setFsInfo(fs.createFs(request)).build(),
                code -> CreateFsResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void mountFs(MountFsRequest request, StreamObserver<MountFsResponse> out) {
        answer(out, "MountFs " + request.getFsName(), () -> MountFsResponse.newBuilder()
                        .setStatusCode(FSStatusCode.OK)
                        .setFsInfo(fs.mount(request.getFsName(), request.getMountpoint())).build(),
                code -> MountFsResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void umountFs(UmountFsRequest request, StreamObserver<UmountFsResponse> out) {
        answer(out, "UmountFs " + request.getFsName(), () -> {
            fs.umount(request.getFsName(), request.getMountpoint());
            return UmountFsResponse.newBuilder().setStatusCode(FSStatusCode.OK).build();
        }, code -> UmountFsResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void getFsInfo(GetFsInfoRequest request, StreamObserver<GetFsInfoResponse> out) {
        answer(out, "GetFsInfo", () -> {
            if (!request.hasFsId() && !request.hasFsName()) {
                throw new FsException(FSStatusCode.PARAM_ERROR, "GetFsInfo needs an fs id or name");
            }
            FsInfo info = request.hasFsId() ? fs.getFsInfo(request.getFsId()) : fs.getFsInfo(request.getFsName());
            return GetFsInfoResponse.newBuilder().setStatusCode(FSStatusCode.OK).setFsInfo(info)
                    .setFsUsage(FsUsage.newBuilder().setUsedBytes(fs.usedBytes(info.getFsName())))
                    .build();
        }, code -> GetFsInfoResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void updateFsInfo(UpdateFsInfoRequest request, StreamObserver<UpdateFsInfoResponse> out) {
        answer(out, "UpdateFsInfo " + request.getFsName(), () -> {
            fs.updateCapacity(request.getFsName(),
                    request.hasCapacity() ? Optional.of(request.getCapacity()) : Optional.empty());
            return UpdateFsInfoResponse.newBuilder().setStatusCode(FSStatusCode.OK).build();
        }, code -> UpdateFsInfoResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void deleteFs(DeleteFsRequest request, StreamObserver<DeleteFsResponse> out) {
        answer(out, "DeleteFs " + request.getFsName(), () -> {
            fs.deleteFs(request.getFsName());
            return DeleteFsResponse.newBuilder().setStatusCode(FSStatusCode.OK).build();
        }, code -> DeleteFsResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void allocateS3Chunk(AllocateS3ChunkRequest request, StreamObserver<AllocateS3ChunkResponse> out) {
        answer(out, "AllocateS3Chunk", () -> AllocateS3ChunkResponse.newBuilder().setStatusCode(FSStatusCode.OK)
                        .setBeginChunkId(fs.allocateChunkIds(request.getFsId(), request.getChunkIdNum())).build(),
                code -> AllocateS3ChunkResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void listClusterFsInfo(ListClusterFsInfoRequest request, StreamObserver<ListClusterFsInfoResponse> out) {
        out.onNext(ListClusterFsInfoResponse.newBuilder().addAllFsInfo(fs.listFs()).build());
        out.onCompleted();
    }

    @Override
    public void getLatestTxId(GetLatestTxIdRequest request, StreamObserver<GetLatestTxIdResponse> out) {
        answer(out, "GetLatestTxId", () -> fs.getLatestTxId(request),
                code -> GetLatestTxIdResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void commitTx(CommitTxRequest request, StreamObserver<CommitTxResponse> out) {
        answer(out, "CommitTx", () -> {
            fs.commitTx(request);
            return CommitTxResponse.newBuilder().setStatusCode(FSStatusCode.OK).build();
        }, code -> CommitTxResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void tso(TsoRequest request, StreamObserver<TsoResponse> out) {
        answer(out, "Tso", () -> TsoResponse.newBuilder().setStatusCode(FSStatusCode.OK)
                        .setTs(fs.nextTimestamp()).setTimestamp(clock.millis()).build(),
                code -> TsoResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void refreshSession(RefreshSessionRequest request, StreamObserver<RefreshSessionResponse> out) {
        answer(out, "RefreshSession " + request.getFsName(), () -> fs.refreshSession(request),
                code -> RefreshSessionResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void setClientMdsAddrsOverride(SetClientMdsAddrsOverrideRequest request,
            StreamObserver<SetClientMdsAddrsOverrideResponse> out) {
        fs.setClientMdsAddrsOverride(request.getClientMdsAddrsOverride());
        out.onNext(SetClientMdsAddrsOverrideResponse.newBuilder().setStatusCode(FSStatusCode.OK).build());
        out.onCompleted();
    }

    private static <T> void answer(StreamObserver<T> out, String what, Supplier<T> body,
            Function<FSStatusCode, T> refusal) {
        T response;
        try {
            response = body.get();
        } catch (FsException e) {
            LOG.info("{} refused: {} ({})", what, e.getMessage(), e.code());
            response = refusal.apply(e.code());
        } catch (StorageException e) {
            LOG.error("{} failed: {}", what, e.getMessage());
            response = refusal.apply(FSStatusCode.STORAGE_ERROR);
        }
        out.onNext(response);
        out.onCompleted();
    }
}
