package io.curvefs.metaserver.metadata;

import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.DentryFlag;
import io.curvefs.proto.metaserver.DentryVec;

/**
 * Which version of a name a reader sees (rename transactions v1). A stored name has at most two
 * versions: the committed one and the one a pending rename prepared (txId = partition txId + 1,
 * flag TRANSACTION_PREPARE, plus DELETE_MARK for the source). A reader that sends the partition
 * txId it knows sees the newest version with txId not above it; one that sends none sees the
 * newest version that is not merely prepared. A delete-marked version reads as absent.
 */
final class DentryVersions {

    private DentryVersions() {
    }

    /** The live dentry a reader with the given txId (null: none sent) sees, or null. */
    static Dentry visible(DentryVec vec, Long txId) {
        if (vec == null) {
            return null;
        }
        Dentry best = null;
        for (Dentry d : vec.getDentrysList()) {
            boolean eligible = txId == null
                    ? !hasFlag(d, DentryFlag.TRANSACTION_PREPARE_FLAG)
                    : Long.compareUnsigned(d.getTxId(), txId) <= 0;
            if (eligible && (best == null || Long.compareUnsigned(d.getTxId(), best.getTxId()) > 0)) {
                best = d;
            }
        }
        return best == null || hasFlag(best, DentryFlag.DELETE_MARK_FLAG) ? null : best;
    }

    /** Whether a rename prepared a version of this name that is not resolved yet. */
    static boolean isPending(DentryVec vec) {
        return vec != null && vec.getDentrysList().stream()
                .anyMatch(d -> hasFlag(d, DentryFlag.TRANSACTION_PREPARE_FLAG));
    }

    static boolean hasFlag(Dentry d, DentryFlag flag) {
        return (d.getFlag() & flag.getNumber()) != 0;
    }
}
