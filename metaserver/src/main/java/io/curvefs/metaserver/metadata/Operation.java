package io.curvefs.metaserver.metadata;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
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
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoRequest;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoResponse;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.proto.metaserver.PrepareRenameTxResponse;
import io.curvefs.proto.metaserver.RenameInPartitionRequest;
import io.curvefs.proto.metaserver.RenameInPartitionResponse;
import io.curvefs.proto.metaserver.UpdateInodeRequest;
import io.curvefs.proto.metaserver.UpdateInodeResponse;
import java.util.function.Function;

/** The mutations that go through the Raft log; the code byte is part of the log format. */
public enum Operation {
    CREATE_PARTITION(1, CreatePartitionRequest.parser(),
            s -> CreatePartitionResponse.newBuilder().setStatusCode(s).build()),
    DELETE_PARTITION(2, DeletePartitionRequest.parser(),
            s -> DeletePartitionResponse.newBuilder().setStatusCode(s).build()),
    CREATE_ROOT_INODE(3, CreateRootInodeRequest.parser(),
            s -> CreateRootInodeResponse.newBuilder().setStatusCode(s).build()),
    CREATE_MANAGE_INODE(4, CreateManageInodeRequest.parser(),
            s -> CreateManageInodeResponse.newBuilder().setStatusCode(s).build()),
    CREATE_INODE(5, CreateInodeRequest.parser(),
            s -> CreateInodeResponse.newBuilder().setStatusCode(s).build()),
    UPDATE_INODE(6, UpdateInodeRequest.parser(),
            s -> UpdateInodeResponse.newBuilder().setStatusCode(s).build()),
    MODIFY_S3_CHUNK_INFO(7, GetOrModifyS3ChunkInfoRequest.parser(),
            s -> GetOrModifyS3ChunkInfoResponse.newBuilder().setStatusCode(s).build()),
    DELETE_INODE(8, DeleteInodeRequest.parser(),
            s -> DeleteInodeResponse.newBuilder().setStatusCode(s).build()),
    CREATE_DENTRY(9, CreateDentryRequest.parser(),
            s -> CreateDentryResponse.newBuilder().setStatusCode(s).build()),
    DELETE_DENTRY(10, DeleteDentryRequest.parser(),
            s -> DeleteDentryResponse.newBuilder().setStatusCode(s).build()),
    PREPARE_RENAME_TX(11, PrepareRenameTxRequest.parser(),
            s -> PrepareRenameTxResponse.newBuilder().setStatusCode(s).build()),
    /** Makes the pending rename given (as prepared) permanent: the MDS has committed its txIds. */
    COMMIT_RENAME_TX(12, PrepareRenameTxRequest.parser(),
            s -> PrepareRenameTxResponse.newBuilder().setStatusCode(s).build()),
    /** Drops the pending rename given (as prepared): it can no longer commit. */
    ROLLBACK_RENAME_TX(13, PrepareRenameTxRequest.parser(),
            s -> PrepareRenameTxResponse.newBuilder().setStatusCode(s).build()),
    /**
     * A CreateInode with a dentryName: the inode and its dentry in one entry. A code of its own, so
     * that a replica that does not know it stops at it instead of creating the inode alone.
     */
    CREATE_INODE_WITH_DENTRY(14, CreateInodeRequest.parser(),
            s -> CreateInodeResponse.newBuilder().setStatusCode(s).build()),
    /** A DeleteDentry with an unlinkInodeId: the dentry, the inode's link and maybe the inode in one entry. */
    DELETE_DENTRY_WITH_LINK(15, DeleteDentryRequest.parser(),
            s -> DeleteDentryResponse.newBuilder().setStatusCode(s).build()),
    /** A rename inside one partition, whole in this entry (this project's addition). */
    RENAME_IN_PARTITION(16, RenameInPartitionRequest.parser(),
            s -> RenameInPartitionResponse.newBuilder().setStatusCode(s).build());

    private static final Operation[] BY_CODE = new Operation[Byte.MAX_VALUE + 1];

    static {
        for (Operation op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final byte code;
    private final Parser<? extends Message> parser;
    private final Function<MetaStatusCode, Message> failure;

    Operation(int code, Parser<? extends Message> parser, Function<MetaStatusCode, Message> failure) {
        this.code = (byte) code;
        this.parser = parser;
        this.failure = failure;
    }

    byte code() {
        return code;
    }

    Parser<? extends Message> parser() {
        return parser;
    }

    static Operation ofCode(byte code) {
        Operation op = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (op == null) {
            throw new IllegalArgumentException("unknown operation code " + code + " in the Raft log");
        }
        return op;
    }

    /** The response of this operation carrying only a status code. */
    public Message failure(MetaStatusCode status) {
        return failure.apply(status);
    }
}
