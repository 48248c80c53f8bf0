package io.curvefs.metaserver.metadata;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A bounded memory of applied request ids, each with a fixed-size answer, kept as one stored
 * value: records of the 8-byte request id and its answer, oldest first. A resent request whose id
 * is found is answered from it instead of being applied again; beyond {@code capacity} records
 * the oldest is dropped (a client resends within seconds, not after that many newer requests).
 */
final class RecentRequests {

    private final int answerBytes;
    private final int capacity;

    RecentRequests(int answerBytes, int capacity) {
        this.answerBytes = answerBytes;
        this.capacity = capacity;
    }

    /** The answer remembered for {@code requestId} in {@code stored} (null: none), positioned at its start; or null. */
    ByteBuffer answerOf(byte[] stored, long requestId) {
        if (stored == null) {
            return null;
        }
        int record = Long.BYTES + answerBytes;
        ByteBuffer in = ByteBuffer.wrap(stored);
        for (int at = 0; at + record <= stored.length; at += record) {
            if (in.getLong(at) == requestId) {
                return in.position(at + Long.BYTES).slice().limit(answerBytes);
            }
        }
        return null;
    }

    /** {@code stored} (null: none) with {@code requestId} and the answer {@code writeAnswer} puts added last. */
    byte[] with(byte[] stored, long requestId, Consumer<ByteBuffer> writeAnswer) {
        int record = Long.BYTES + answerBytes;
        int kept = stored == null ? 0 : Math.min(stored.length / record, capacity - 1);
        ByteBuffer out = ByteBuffer.allocate((kept + 1) * record);
        if (kept > 0) {
            out.put(stored, stored.length - kept * record, kept * record);
        }
        out.putLong(requestId);
        writeAnswer.accept(out);
        if (out.hasRemaining()) {
            throw new IllegalArgumentException("an answer of " + answerBytes + " bytes was not written whole");
        }
        return out.array();
    }
}
