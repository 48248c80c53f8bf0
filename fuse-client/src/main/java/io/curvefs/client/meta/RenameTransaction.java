package io.curvefs.client.meta;

import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.mds.CommitTxRequest;
import io.curvefs.proto.mds.CommitTxResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.mds.GetFsInfoResponse;
import io.curvefs.proto.mds.GetLatestTxIdRequest;
import io.curvefs.proto.mds.GetLatestTxIdResponse;
import io.curvefs.proto.mds.PartitionTxId;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.DentryFlag;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.proto.metaserver.PrepareRenameTxResponse;
import io.curvefs.rpc.MdsUnavailableException;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rename as upstream's v1 transaction, atomic across partitions and mounts. It serves renames whose
 * two parents keep their dentries in different partitions; within one partition a rename is one
 * RenameInPartition request instead (see {@link RemoteMetaClient#rename}).
 *
 * <p>Under the fs rename lock at the MDS (GetLatestTxId with lock, which also hands out the
 * partition txIds and the fs txSequence), the source name is read, then each affected partition
 * is sent PrepareRenameTx: a copy of the source dentry at txId+1 with DELETE_MARK, and the new
 * dentry at txId+1 (one call when both parents share a partition, source partition first
 * otherwise). Then the target name is read: from the prepare on, its committed version cannot
 * change before the rename resolves (dentry writes on a name with a prepared version are
 * refused, other renames wait for the lock), so that read names exactly what the rename
 * replaces. CommitTx at the MDS, writing the new txIds, is the commit point; afterwards a read carrying the new txId makes each metaserver resolve its half at once
 * (readers elsewhere resolve it too, by asking the MDS). A crash anywhere before the commit
 * leaves the old name; after it, the new one.
 *
 * <p>The MDS lock is per client id, so the renames of this mount are serialized here. A rename
 * that meets a conflict (a prepare refused, or a lock that expired) gives up its lock without
 * committing and starts again.
 */
final class RenameTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(RenameTransaction.class);
    private static final long FIRST_BACKOFF_MS = 5;
    private static final long MAX_BACKOFF_MS = 200;

    private final MetaRouter router;
    private final String owner = "client-" + UUID.randomUUID();
    private volatile String fsName;

    RenameTransaction(MetaRouter router) {
        this.router = router;
    }

    /** The rename lock at the MDS with the txIds and txSequence it came with. */
    private record Lock(Map<Integer, Long> txIds, long txSequence) {
        long txId(PartitionInfo partition) {
            return txIds.getOrDefault(partition.getPartitionId(), partition.getTxId());
        }
    }

    /** What one attempt ended with: the replaced entry (if any), or a reason to try again. */
    private record Outcome(boolean committed, Optional<DirEntry> replaced, String conflict) {
        static Outcome done(Optional<DirEntry> replaced) {
            return new Outcome(true, replaced, null);
        }

        static Outcome retry(String conflict) {
            return new Outcome(false, Optional.empty(), conflict);
        }
    }

    /** Moves {@code entry} from oldParent/oldName to newParent/newName; returns the entry it replaced. */
    synchronized Optional<DirEntry> rename(long oldParent, String oldName, long newParent, String newName,
                                           DirEntry entry) {
        long deadline = System.nanoTime() + router.retryBudget().toNanos();
        long backoff = FIRST_BACKOFF_MS;
        String problem;
        while (true) {
            Lock lock = tryLock();
            if (lock == null) {
                problem = "the rename lock of the file system is held by another client";
            } else {
                Outcome outcome = attempt(lock, oldParent, oldName, newParent, newName, entry);
                if (outcome.committed()) {
                    return outcome.replaced();
                }
                problem = outcome.conflict();
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) - deadline > 0) {
                throw new MetaException(MetaException.Kind.UNAVAILABLE, "rename " + oldParent + "/" + oldName
                        + " -> " + newParent + "/" + newName + " did not commit: " + problem);
            }
            LOG.debug("rename retried in {} ms: {}", backoff, problem);
            sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private Outcome attempt(Lock lock, long oldParent, String oldName, long newParent, String newName,
                            DirEntry entry) {
        boolean released = false;
        try {
            PartitionInfo src = router.partitionOf(oldParent);
            PartitionInfo dst = router.partitionOf(newParent);
            Dentry source = getDentry(src, oldParent, oldName, null).orElse(null);
            if (source == null || source.getInodeId() != entry.ino()) {
                throw new MetaException(MetaException.Kind.NOT_FOUND, "rename source " + oldParent + "/" + oldName
                        + ": not found");
            }
            long srcTxId = lock.txId(src) + 1;
            long dstTxId = lock.txId(dst) + 1;
            int fileFlag = source.getFlag() & DentryFlag.TYPE_FILE_FLAG.getNumber();
            Dentry gone = source.toBuilder().setTxId(srcTxId).setTxSequence(lock.txSequence())
                    .setFlag(fileFlag | DentryFlag.DELETE_MARK_FLAG.getNumber()).build();
            Dentry added = source.toBuilder().setParentInodeId(newParent).setName(newName).setTxId(dstTxId)
                    .setTxSequence(lock.txSequence()).setFlag(fileFlag).build();
            MetaStatusCode prepared = src.getPartitionId() == dst.getPartitionId()
                    ? prepare(src, List.of(gone, added))
                    : prepare(src, List.of(gone));
            if (prepared == MetaStatusCode.OK && src.getPartitionId() != dst.getPartitionId()) {
                prepared = prepare(dst, List.of(added));
            }
            if (prepared == MetaStatusCode.NOT_FOUND) {
                throw new MetaException(MetaException.Kind.NOT_FOUND, "rename source " + oldParent + "/" + oldName
                        + ": not found");
            }
            if (prepared != MetaStatusCode.OK) {
                return Outcome.retry("PrepareRenameTx answered " + prepared);
            }
            Optional<Dentry> target = getDentry(dst, newParent, newName, null);
            Map<Integer, Long> next = new HashMap<>();
            next.put(src.getPartitionId(), srcTxId);
            next.put(dst.getPartitionId(), dstTxId);
            FSStatusCode committed = commit(lock, next);
            released = true;
            if (committed != FSStatusCode.OK) {
                return Outcome.retry("CommitTx answered " + committed);
            }
            announce(dst, newParent, newName, dstTxId);
            if (src.getPartitionId() != dst.getPartitionId()) {
                announce(src, oldParent, oldName, srcTxId);
            }
            return Outcome.done(target.map(RemoteMetaClient::entry));
        } finally {
            if (!released) {
                abort(lock);
            }
        }
    }

    private Lock tryLock() {
        GetLatestTxIdResponse r = mds(() -> router.mds().mds(stub -> stub.getLatestTxId(
                GetLatestTxIdRequest.newBuilder().setLock(true).setFsId(router.fsId()).setFsName(fsName())
                        .setUuid(owner).build())));
        if (r.getStatusCode() == FSStatusCode.LOCK_FAILED) {
            return null;
        }
        if (r.getStatusCode() != FSStatusCode.OK) {
            throw new MetaException(MetaException.Kind.FAILED, "MDS refused the rename lock: " + r.getStatusCode());
        }
        Map<Integer, Long> txIds = new HashMap<>();
        for (PartitionTxId t : r.getTxIdsList()) {
            txIds.put(t.getPartitionId(), t.getTxId());
        }
        return new Lock(txIds, r.getTxSequence());
    }

    /**
     * CommitTx; when its answer is lost it is sent again: the MDS answers a resend of the commit
     * that went through (same owner, same grant) with OK, and anything else with the real refusal,
     * so only the MDS decides whether the rename happened.
     */
    private FSStatusCode commit(Lock lock, Map<Integer, Long> txIds) {
        CommitTxRequest.Builder request = CommitTxRequest.newBuilder().setLock(true).setFsName(fsName())
                .setUuid(owner).setTxSequence(lock.txSequence());
        txIds.forEach((partition, txId) -> request.addPartitionTxIds(
                PartitionTxId.newBuilder().setPartitionId(partition).setTxId(txId)));
        try {
            return router.mds().mds(stub -> stub.commitTx(request.build())).getStatusCode();
        } catch (StatusRuntimeException | MdsUnavailableException e) {
            LOG.warn("CommitTx answer lost ({}); sending it again", e.getMessage());
            return mds(() -> router.mds().mds(stub -> stub.commitTx(request.build()))).getStatusCode();
        }
    }

    /** Gives the lock back without committing (an empty commit); the prepared versions get rolled back. */
    private void abort(Lock lock) {
        try {
            router.mds().mds(stub -> stub.commitTx(CommitTxRequest.newBuilder().setLock(true).setFsName(fsName())
                    .setUuid(owner).setTxSequence(lock.txSequence()).build()));
        } catch (RuntimeException e) {
            LOG.debug("giving back the rename lock failed (it expires by itself): {}", e.getMessage());
        }
    }

    /**
     * A read carrying the committed txId: the metaserver resolves its pending half now (the
     * whole rename of the partition, so one read per partition does it).
     */
    private void announce(PartitionInfo partition, long parent, String name, long txId) {
        try {
            getDentry(partition, parent, name, txId);
        } catch (MetaException e) {
            LOG.debug("partition {} resolves the rename later: {}", partition.getPartitionId(), e.getMessage());
        }
    }

    private MetaStatusCode prepare(PartitionInfo partition, List<Dentry> dentries) {
        return router.call(partition, (stub, t) -> stub.prepareRenameTx(PrepareRenameTxRequest.newBuilder()
                .setPoolId(t.poolId()).setCopysetId(t.copysetId()).setPartitionId(t.partitionId())
                .addAllDentrys(dentries).build()), PrepareRenameTxResponse::getStatusCode).getStatusCode();
    }

    private Optional<Dentry> getDentry(PartitionInfo partition, long parent, String name, Long txId) {
        GetDentryResponse r = router.call(partition, (stub, t) -> {
            GetDentryRequest.Builder b = GetDentryRequest.newBuilder().setPoolId(t.poolId())
                    .setCopysetId(t.copysetId()).setPartitionId(t.partitionId()).setFsId(router.fsId())
                    .setParentInodeId(parent).setName(name);
            if (txId != null) {
                b.setTxId(txId);
            }
            return stub.getDentry(b.build());
        }, GetDentryResponse::getStatusCode);
        if (r.getStatusCode() == MetaStatusCode.NOT_FOUND) {
            return Optional.empty();
        }
        if (r.getStatusCode() != MetaStatusCode.OK) {
            throw new MetaException(MetaException.Kind.FAILED, "GetDentry " + parent + "/" + name + " failed: "
                    + r.getStatusCode());
        }
        return Optional.of(r.getDentry());
    }

    private String fsName() {
        String name = fsName;
        if (name == null) {
            GetFsInfoResponse r = mds(() -> router.mds().mds(stub -> stub.getFsInfo(
                    GetFsInfoRequest.newBuilder().setFsId(router.fsId()).build())));
            if (r.getStatusCode() != FSStatusCode.OK) {
                throw new MetaException(MetaException.Kind.FAILED, "MDS does not know fs " + router.fsId() + ": "
                        + r.getStatusCode());
            }
            name = r.getFsInfo().getFsName();
            fsName = name;
        }
        return name;
    }

    private interface MdsCall<T> {
        T call();
    }

    private static <T> T mds(MdsCall<T> call) {
        try {
            return call.call();
        } catch (StatusRuntimeException | MdsUnavailableException e) {
            throw new MetaException(MetaException.Kind.UNAVAILABLE, "MDS unreachable during rename: "
                    + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetaException(MetaException.Kind.UNAVAILABLE, "interrupted during rename");
        }
    }
}
