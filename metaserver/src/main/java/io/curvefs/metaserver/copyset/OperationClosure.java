package io.curvefs.metaserver.copyset;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import com.google.protobuf.Message;
import io.curvefs.metaserver.metadata.Operation;
import io.curvefs.proto.metaserver.MetaStatusCode;
import java.util.function.Consumer;

/**
 * Carries a proposed mutation's answer back to its caller: the state machine completes it with
 * the response once the batch is committed; jraft runs it with an error status when the entry
 * could not be committed (no longer leader: REDIRECTED; queue full: OVERLOAD).
 */
final class OperationClosure implements Closure {

    private final Operation operation;
    private final Consumer<Message> reply;
    private Message response;

    OperationClosure(Operation operation, Consumer<Message> reply) {
        this.operation = operation;
        this.reply = reply;
    }

    void complete(Message response) {
        this.response = response;
    }

    @Override
    public void run(Status status) {
        if (status.isOk() && response != null) {
            reply.accept(response);
        } else if (status.isOk()) {
            reply.accept(operation.failure(MetaStatusCode.REDIRECTED));
        } else {
            reply.accept(operation.failure(status.getRaftError() == RaftError.EBUSY
                    ? MetaStatusCode.OVERLOAD : MetaStatusCode.REDIRECTED));
        }
    }
}
