package io.curvefs.metaserver.metadata;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One Raft log entry: the operation, the leader's clock when it was proposed, and the request.
 * The clock travels in the entry so that every replica (and every replay) stamps the same times
 * where a request gives none.
 *
 * <p>Layout: [1 byte operation code][8 bytes seconds][4 bytes nanos][protobuf request].
 */
public record Command(Operation operation, Instant proposedAt, Message request) {

    private static final int HEADER = 13;

    public static Command of(Operation operation, Message request) {
        return new Command(operation, Instant.now(), request);
    }

    public ByteBuffer encode() {
        byte[] body = request.toByteArray();
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + body.length);
        buffer.put(operation.code()).putLong(proposedAt.getEpochSecond()).putInt(proposedAt.getNano()).put(body);
        return buffer.flip();
    }

    public static Command decode(ByteBuffer data) {
        ByteBuffer in = data.duplicate();
        Operation operation = Operation.ofCode(in.get());
        Instant at = Instant.ofEpochSecond(in.getLong(), in.getInt());
        try {
            return new Command(operation, at, operation.parser().parseFrom(in));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("corrupt " + operation + " entry in the Raft log", e);
        }
    }
}
