package io.curvefs.metaserver.service;

import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.GetLatestTxIdRequest;
import io.curvefs.proto.mds.GetLatestTxIdResponse;
import io.curvefs.proto.mds.PartitionTxId;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.rpc.MdsClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the fate of a partition's pending rename (v1) when a request meets one of its names.
 *
 * <p>Only the MDS knows whether a rename committed: the commit point is the MDS writing the new
 * partition txIds. A request that carries a txId at least the pending one's proves the commit
 * (the client learnt that txId from the MDS); otherwise the MDS is asked. A rename that did not
 * commit is rolled back only once it can never commit: the fs txSequence moved past the one it
 * was prepared under (its lock was given up), or this leader has seen it pending for longer than
 * any MDS rename lock lives (its client is gone, and an expired lock cannot commit). Until then
 * it is in progress: readers see the names as they were, writers of those names wait.
 */
final class PendingRenames implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PendingRenames.class);

    enum Outcome { COMMIT, ROLLBACK, IN_PROGRESS }

    private record Seen(PrepareRenameTxRequest pending, long sinceNanos) {
    }

    private final MdsClient mds;
    private final Duration abandonAfter;
    private final Map<Integer, Seen> firstSeen = new ConcurrentHashMap<>();

    /** {@code abandonAfter} must exceed the MDS rename lock's lifetime (5 s) with a margin for clock skew. */
    PendingRenames(MdsClient mds, Duration abandonAfter) {
        this.mds = mds;
        this.abandonAfter = abandonAfter;
    }

    Outcome outcome(int partitionId, PrepareRenameTxRequest pending, Long provenTxId) {
        Dentry first = pending.getDentrys(0);
        if (provenTxId != null && Long.compareUnsigned(provenTxId, first.getTxId()) >= 0) {
            return Outcome.COMMIT;
        }
        GetLatestTxIdResponse state;
        try {
            state = mds.mds(stub -> stub.getLatestTxId(
                    GetLatestTxIdRequest.newBuilder().setFsId(first.getFsId()).build()));
        } catch (RuntimeException e) {
            LOG.debug("pending rename in partition {} stays unresolved: {}", partitionId, e.getMessage());
            return Outcome.IN_PROGRESS;
        }
        Optional<Long> committed = state.getStatusCode() != FSStatusCode.OK ? Optional.empty()
                : state.getTxIdsList().stream().filter(t -> t.getPartitionId() == partitionId)
                        .map(PartitionTxId::getTxId).findFirst();
        if (committed.isEmpty()) {
            return Outcome.IN_PROGRESS;
        }
        if (Long.compareUnsigned(committed.get(), first.getTxId()) >= 0) {
            return Outcome.COMMIT;
        }
        if (first.hasTxSequence() && state.hasTxSequence()
                && Long.compareUnsigned(state.getTxSequence(), first.getTxSequence()) > 0) {
            return Outcome.ROLLBACK;
        }
        Seen seen = firstSeen.compute(partitionId, (k, old) -> old != null && old.pending().equals(pending)
                ? old : new Seen(pending, System.nanoTime()));
        return System.nanoTime() - seen.sinceNanos() > abandonAfter.toNanos() ? Outcome.ROLLBACK
                : Outcome.IN_PROGRESS;
    }

    @Override
    public void close() {
        mds.close();
    }
}
