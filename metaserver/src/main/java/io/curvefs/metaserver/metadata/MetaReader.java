package io.curvefs.metaserver.metadata;

import com.google.protobuf.InvalidProtocolBufferException;
import io.curvefs.metaserver.storage.KvView;
import io.curvefs.metaserver.storage.StorageException;
import io.curvefs.metaserver.storage.Table;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.metaserver.DentryVec;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.proto.metaserver.S3ChunkInfoList;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decoded reads of the copyset tables, shared by queries and by the state machine. */
class MetaReader {

    final KvView view;

    MetaReader(KvView view) {
        this.view = view;
    }

    PartitionInfo partition(int partitionId) {
        byte[] value = view.get(Table.PARTITION, MetaKeys.partition(partitionId));
        return value == null ? null : parse(() -> PartitionInfo.parseFrom(value));
    }

    List<PartitionInfo> partitions() {
        List<PartitionInfo> out = new ArrayList<>();
        view.scan(Table.PARTITION, new byte[0], null, (key, value) -> {
            out.add(parse(() -> PartitionInfo.parseFrom(value)));
            return true;
        });
        return out;
    }

    Inode inode(int partitionId, long inodeId) {
        byte[] value = view.get(Table.INODE, MetaKeys.inode(partitionId, inodeId));
        return value == null ? null : parse(() -> Inode.parseFrom(value));
    }

    Map<Long, S3ChunkInfoList> chunkMap(int partitionId, long inodeId) {
        Map<Long, S3ChunkInfoList> out = new LinkedHashMap<>();
        view.scan(Table.S3_CHUNK, MetaKeys.ofInode(partitionId, inodeId), null, (key, value) -> {
            out.put(MetaKeys.chunkIndexOf(key), parse(() -> S3ChunkInfoList.parseFrom(value)));
            return true;
        });
        return out;
    }

    DentryVec dentryVec(int partitionId, long parentInodeId, String name) {
        byte[] value = view.get(Table.DENTRY, MetaKeys.dentry(partitionId, parentInodeId, name));
        return value == null ? null : parse(() -> DentryVec.parseFrom(value));
    }

    /**
     * What no rename prepare of this partition may fall below: {highest txSequence a prepare was
     * accepted under, highest txId committed here}; zeros before the first rename.
     */
    long[] txFloor(int partitionId) {
        byte[] value = view.get(Table.META, MetaKeys.txFloor(partitionId));
        if (value == null) {
            return new long[] {0, 0};
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new long[] {b.getLong(), b.getLong()};
    }

    PrepareRenameTxRequest pendingTx(int partitionId) {
        byte[] value = view.get(Table.META, MetaKeys.pendingTx(partitionId));
        return value == null ? null : parse(() -> PrepareRenameTxRequest.parseFrom(value));
    }

    /**
     * Why an operation on {@code inodeId} of file system {@code fsId} may not run in this
     * partition, or OK. A partition owns the inode ids of its range for one file system.
     */
    static MetaStatusCode check(PartitionInfo partition, int fsId, long inodeId) {
        if (partition == null) {
            return MetaStatusCode.PARTITION_NOT_FOUND;
        }
        if (partition.getStatus() == PartitionStatus.DELETING) {
            return MetaStatusCode.PARTITION_DELETING;
        }
        if (partition.getFsId() != fsId
                || Long.compareUnsigned(inodeId, partition.getStart()) < 0
                || Long.compareUnsigned(inodeId, partition.getEnd()) > 0) {
            return MetaStatusCode.PARTITION_ID_MISSMATCH;
        }
        return MetaStatusCode.OK;
    }

    interface ProtoParse<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    static <T> T parse(ProtoParse<T> parse) {
        try {
            return parse.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new StorageException("corrupt record in the metadata store", e);
        }
    }
}
