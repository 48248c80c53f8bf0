package io.curvefs.metaserver.service;

import com.google.protobuf.Message;
import io.curvefs.metaserver.copyset.CopysetNode;
import io.curvefs.metaserver.copyset.CopysetRegistry;
import io.curvefs.metaserver.metadata.Command;
import io.curvefs.metaserver.metadata.MetaQueries;
import io.curvefs.metaserver.metadata.Operation;
import io.curvefs.proto.metaserver.BatchGetInodeAttrRequest;
import io.curvefs.proto.metaserver.BatchGetInodeAttrResponse;
import io.curvefs.proto.metaserver.BatchGetXAttrRequest;
import io.curvefs.proto.metaserver.BatchGetXAttrResponse;
import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateDentryResponse;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.CreateManageInodeRequest;
import io.curvefs.proto.metaserver.CreateManageInodeResponse;
import io.curvefs.proto.metaserver.CreatePartitionRequest;
import io.curvefs.proto.metaserver.CreatePartitionResponse;
import io.curvefs.proto.metaserver.CreateRootInodeRequest;
import io.curvefs.proto.metaserver.CreateRootInodeResponse;
import io.curvefs.proto.metaserver.DeleteDentryRequest;
import io.curvefs.proto.metaserver.DeleteDentryResponse;
import io.curvefs.proto.metaserver.DeleteInodeRequest;
import io.curvefs.proto.metaserver.DeleteInodeResponse;
import io.curvefs.proto.metaserver.DeletePartitionRequest;
import io.curvefs.proto.metaserver.DeletePartitionResponse;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.GetInodeResponse;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoRequest;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoResponse;
import io.curvefs.proto.metaserver.ListDentryRequest;
import io.curvefs.proto.metaserver.ListDentryResponse;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.proto.metaserver.PrepareRenameTxResponse;
import io.curvefs.proto.metaserver.RenameInPartitionRequest;
import io.curvefs.proto.metaserver.RenameInPartitionResponse;
import io.curvefs.proto.metaserver.UpdateInodeRequest;
import io.curvefs.proto.metaserver.UpdateInodeResponse;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes metadata RPCs to their copyset: an unknown copyset answers COPYSET_NOTEXIST, a
 * replica that is not the leader REDIRECTED. Mutations go through the Raft log; reads are
 * answered by the leader after ReadIndex. A GetOrModifyS3ChunkInfo with nothing to add or
 * remove is a read. Dentry requests first resolve a pending rename that touches their names.
 */
final class MetaServerServiceImpl extends MetaServerServiceGrpc.MetaServerServiceImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(MetaServerServiceImpl.class);
    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(5);

    /** Methods that neither scan nor wait: run on the network thread (see {@link GrpcServices}). */
    private static final Set<String> ON_NETWORK_THREAD = Stream.of(
            MetaServerServiceGrpc.getGetDentryMethod(), MetaServerServiceGrpc.getGetInodeMethod(),
            MetaServerServiceGrpc.getBatchGetInodeAttrMethod(), MetaServerServiceGrpc.getBatchGetXAttrMethod(),
            MetaServerServiceGrpc.getGetOrModifyS3ChunkInfoMethod(), MetaServerServiceGrpc.getCreateDentryMethod(),
            MetaServerServiceGrpc.getDeleteDentryMethod(), MetaServerServiceGrpc.getPrepareRenameTxMethod(),
            MetaServerServiceGrpc.getRenameInPartitionMethod(), MetaServerServiceGrpc.getCreateInodeMethod(),
            MetaServerServiceGrpc.getUpdateInodeMethod(), MetaServerServiceGrpc.getDeleteInodeMethod())
            .map(MethodDescriptor::getFullMethodName).collect(Collectors.toUnmodifiableSet());

    private final CopysetRegistry copysets;
    private final PendingRenames pendingRenames;
    private final Executor blockingCalls;

    MetaServerServiceImpl(CopysetRegistry copysets, PendingRenames pendingRenames, Executor blockingCalls) {
        this.copysets = copysets;
        this.pendingRenames = pendingRenames;
        this.blockingCalls = blockingCalls;
    }

    static boolean runsOnNetworkThread(MethodDescriptor<?, ?> method) {
        return ON_NETWORK_THREAD.contains(method.getFullMethodName());
    }

    @Override
    public void getDentry(GetDentryRequest r, StreamObserver<GetDentryResponse> out) {
        afterPendingRename(r.getPoolId(), r.getCopysetId(), r.getPartitionId(),
                tx -> names(tx, r.getParentInodeId(), r.getName()), r.hasTxId() ? r.getTxId() : null,
                () -> read(r.getPoolId(), r.getCopysetId(), q -> q.getDentry(r),
                        s -> GetDentryResponse.newBuilder().setStatusCode(s).build(), out));
    }

    @Override
    public void listDentry(ListDentryRequest r, StreamObserver<ListDentryResponse> out) {
        afterPendingRename(r.getPoolId(), r.getCopysetId(), r.getPartitionId(),
                tx -> tx.getDentrysList().stream().anyMatch(d -> d.getParentInodeId() == r.getDirInodeId()),
                r.hasTxId() ? r.getTxId() : null,
                () -> read(r.getPoolId(), r.getCopysetId(), q -> q.listDentry(r),
                        s -> ListDentryResponse.newBuilder().setStatusCode(s).build(), out));
    }

    @Override
    public void getInode(GetInodeRequest r, StreamObserver<GetInodeResponse> out) {
        read(r.getPoolId(), r.getCopysetId(), q -> q.getInode(r),
                s -> GetInodeResponse.newBuilder().setStatusCode(s).build(), out);
    }

    @Override
    public void batchGetInodeAttr(BatchGetInodeAttrRequest r, StreamObserver<BatchGetInodeAttrResponse> out) {
        read(r.getPoolId(), r.getCopysetId(), q -> q.batchGetInodeAttr(r),
                s -> BatchGetInodeAttrResponse.newBuilder().setStatusCode(s).build(), out);
    }

    @Override
    public void batchGetXAttr(BatchGetXAttrRequest r, StreamObserver<BatchGetXAttrResponse> out) {
        read(r.getPoolId(), r.getCopysetId(), q -> q.batchGetXAttr(r),
                s -> BatchGetXAttrResponse.newBuilder().setStatusCode(s).build(), out);
    }

    @Override
    public void getOrModifyS3ChunkInfo(GetOrModifyS3ChunkInfoRequest r,
            StreamObserver<GetOrModifyS3ChunkInfoResponse> out) {
        if (r.getS3ChunkInfoAddCount() == 0 && r.getS3ChunkInfoRemoveCount() == 0) {
            read(r.getPoolId(), r.getCopysetId(), q -> q.getS3ChunkInfo(r),
                    s -> GetOrModifyS3ChunkInfoResponse.newBuilder().setStatusCode(s).build(), out);
        } else {
            write(r.getPoolId(), r.getCopysetId(), Operation.MODIFY_S3_CHUNK_INFO, r, out);
        }
    }

    @Override
    public void createDentry(CreateDentryRequest r, StreamObserver<CreateDentryResponse> out) {
        afterPendingRename(r.getPoolId(), r.getCopysetId(), r.getPartitionId(),
                tx -> names(tx, r.getDentry().getParentInodeId(), r.getDentry().getName()), null,
                () -> write(r.getPoolId(), r.getCopysetId(), Operation.CREATE_DENTRY, r, out));
    }

    @Override
    public void deleteDentry(DeleteDentryRequest r, StreamObserver<DeleteDentryResponse> out) {
        Operation op = r.hasUnlinkInodeId() ? Operation.DELETE_DENTRY_WITH_LINK : Operation.DELETE_DENTRY;
        afterPendingRename(r.getPoolId(), r.getCopysetId(), r.getPartitionId(),
                tx -> names(tx, r.getParentInodeId(), r.getName()), r.hasTxId() ? r.getTxId() : null,
                () -> write(r.getPoolId(), r.getCopysetId(), op, r, out));
    }

    @Override
    public void prepareRenameTx(PrepareRenameTxRequest r, StreamObserver<PrepareRenameTxResponse> out) {
        write(r.getPoolId(), r.getCopysetId(), Operation.PREPARE_RENAME_TX, r, out);
    }

    /**
     * Resolves any pending rename of the partition first, not only one on its two names: the
     * rename also refuses while one is preparing an entry in a directory it would replace, and
     * nothing else might ever resolve that one.
     */
    @Override
    public void renameInPartition(RenameInPartitionRequest r, StreamObserver<RenameInPartitionResponse> out) {
        afterPendingRename(r.getPoolId(), r.getCopysetId(), r.getPartitionId(), tx -> true, null,
                () -> write(r.getPoolId(), r.getCopysetId(), Operation.RENAME_IN_PARTITION, r, out));
    }

    @Override
    public void createInode(CreateInodeRequest r, StreamObserver<CreateInodeResponse> out) {
        if (!r.hasDentryName()) {
            write(r.getPoolId(), r.getCopysetId(), Operation.CREATE_INODE, r, out);
            return;
        }
        afterPendingRename(r.getPoolId(), r.getCopysetId(), r.getPartitionId(),
                tx -> names(tx, r.getParent(), r.getDentryName()), null,
                () -> write(r.getPoolId(), r.getCopysetId(), Operation.CREATE_INODE_WITH_DENTRY, r, out));
    }

    @Override
    public void createRootInode(CreateRootInodeRequest r, StreamObserver<CreateRootInodeResponse> out) {
        write(r.getPoolId(), r.getCopysetId(), Operation.CREATE_ROOT_INODE, r, out);
    }

    @Override
    public void createManageInode(CreateManageInodeRequest r, StreamObserver<CreateManageInodeResponse> out) {
        write(r.getPoolId(), r.getCopysetId(), Operation.CREATE_MANAGE_INODE, r, out);
    }

    @Override
    public void updateInode(UpdateInodeRequest r, StreamObserver<UpdateInodeResponse> out) {
        write(r.getPoolId(), r.getCopysetId(), Operation.UPDATE_INODE, r, out);
    }

    @Override
    public void deleteInode(DeleteInodeRequest r, StreamObserver<DeleteInodeResponse> out) {
        write(r.getPoolId(), r.getCopysetId(), Operation.DELETE_INODE, r, out);
    }

    @Override
    public void createPartition(CreatePartitionRequest r, StreamObserver<CreatePartitionResponse> out) {
        write(r.getPartition().getPoolId(), r.getPartition().getCopysetId(), Operation.CREATE_PARTITION, r, out);
    }

    @Override
    public void deletePartition(DeletePartitionRequest r, StreamObserver<DeletePartitionResponse> out) {
        write(r.getPoolId(), r.getCopysetId(), Operation.DELETE_PARTITION, r, out);
    }

    /**
     * Runs {@code next} once the partition's pending rename, if it touches what the request uses,
     * was committed or rolled back where its fate is known (see {@link PendingRenames}). The check
     * is a local read; learning the fate may ask the MDS and waits for a Raft commit, so that part
     * runs on {@link #blockingCalls}, off the network thread. Any failure there leaves the rename
     * pending, which is safe: the request then sees the names as before it, or gets TX_INPROGRESS.
     */
    private void afterPendingRename(int poolId, int copysetId, int partitionId,
            Predicate<PrepareRenameTxRequest> touches, Long provenTxId, Runnable next) {
        Optional<CopysetNode> node = copysets.get(poolId, copysetId);
        PrepareRenameTxRequest pending = null;
        if (node.isPresent() && node.get().isLeader()) {
            try {
                pending = node.get().queryNow(q -> q.pendingTx(partitionId));
            } catch (RuntimeException e) {
                LOG.warn("could not read the pending rename of partition {}: {}", partitionId, e.toString());
            }
        }
        if (pending == null || !touches.test(pending)) {
            next.run();
            return;
        }
        PrepareRenameTxRequest touching = pending;
        blockingCalls.execute(() -> {
            resolve(node.get(), partitionId, touching, provenTxId);
            next.run();
        });
    }

    private void resolve(CopysetNode node, int partitionId, PrepareRenameTxRequest pending, Long provenTxId) {
        try {
            Operation resolution = switch (pendingRenames.outcome(partitionId, pending, provenTxId)) {
                case COMMIT -> Operation.COMMIT_RENAME_TX;
                case ROLLBACK -> Operation.ROLLBACK_RENAME_TX;
                case IN_PROGRESS -> null;
            };
            if (resolution == null) {
                return;
            }
            CompletableFuture<Message> done = new CompletableFuture<>();
            node.propose(Command.of(resolution, pending), done::complete);
            done.get(RESOLVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("could not resolve the pending rename of partition {}: {}", partitionId, e.toString());
        }
    }

    private static boolean names(PrepareRenameTxRequest tx, long parent, String name) {
        return tx.getDentrysList().stream().anyMatch(d -> d.getParentInodeId() == parent && d.getName().equals(name));
    }

    private <T extends Message> void write(int poolId, int copysetId, Operation op, Message request,
            StreamObserver<T> out) {
        Consumer<Message> reply = replier(out);
        Optional<CopysetNode> node = copysets.get(poolId, copysetId);
        if (node.isEmpty()) {
            reply.accept(op.failure(MetaStatusCode.COPYSET_NOTEXIST));
            return;
        }
        node.get().propose(Command.of(op, request), reply);
    }

    private <T extends Message> void read(int poolId, int copysetId, Function<MetaQueries, Message> query,
            Function<MetaStatusCode, Message> failure, StreamObserver<T> out) {
        Consumer<Message> reply = replier(out);
        Optional<CopysetNode> node = copysets.get(poolId, copysetId);
        if (node.isEmpty()) {
            reply.accept(failure.apply(MetaStatusCode.COPYSET_NOTEXIST));
            return;
        }
        node.get().read(query, failure, reply);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> Consumer<Message> replier(StreamObserver<T> out) {
        return response -> {
            out.onNext((T) response);
            out.onCompleted();
        };
    }
}
