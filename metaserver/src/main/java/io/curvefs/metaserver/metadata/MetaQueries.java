package io.curvefs.metaserver.metadata;

import io.curvefs.metaserver.storage.KvView;
import io.curvefs.metaserver.storage.Table;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.metaserver.BatchGetInodeAttrRequest;
import io.curvefs.proto.metaserver.BatchGetInodeAttrResponse;
import io.curvefs.proto.metaserver.BatchGetXAttrRequest;
import io.curvefs.proto.metaserver.BatchGetXAttrResponse;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.DentryVec;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.GetInodeResponse;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoRequest;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoResponse;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.InodeAttr;
import io.curvefs.proto.metaserver.ListDentryRequest;
import io.curvefs.proto.metaserver.ListDentryResponse;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.proto.metaserver.XAttr;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The read-only RPCs, answered from one consistent view of a copyset's data. */
public final class MetaQueries {

    private final MetaReader reader;
    private final long appliedIndex;

    /** {@code appliedIndex} is reported back so a client can tell how fresh the answer is. */
    public MetaQueries(KvView view, long appliedIndex) {
        this.reader = new MetaReader(view);
        this.appliedIndex = appliedIndex;
    }

    public List<PartitionInfo> partitions() {
        return reader.partitions();
    }

    /** The rename prepared in this partition and not resolved yet, or null. */
    public PrepareRenameTxRequest pendingTx(int partitionId) {
        return reader.pendingTx(partitionId);
    }

    public GetDentryResponse getDentry(GetDentryRequest r) {
        GetDentryResponse.Builder out = GetDentryResponse.newBuilder().setAppliedIndex(appliedIndex);
        MetaStatusCode status = MetaReader.check(reader.partition(r.getPartitionId()), r.getFsId(),
                r.getParentInodeId());
        if (status != MetaStatusCode.OK) {
            return out.setStatusCode(status).build();
        }
        Dentry dentry = DentryVersions.visible(
                reader.dentryVec(r.getPartitionId(), r.getParentInodeId(), r.getName()),
                r.hasTxId() ? r.getTxId() : null);
        if (dentry == null) {
            return out.setStatusCode(MetaStatusCode.NOT_FOUND).build();
        }
        out.setStatusCode(MetaStatusCode.OK).setDentry(dentry);
        if (r.getReturnInodeAttr()) {
            attrInSamePartition(r.getPartitionId(), r.getFsId(), dentry.getInodeId()).ifPresent(out::setInodeAttr);
        }
        return out.build();
    }

    /** From the same view as the dentry, when the inode's id lies in this partition's range. */
    private Optional<InodeAttr> attrInSamePartition(int partitionId, int fsId, long inodeId) {
        if (MetaReader.check(reader.partition(partitionId), fsId, inodeId) != MetaStatusCode.OK) {
            return Optional.empty();
        }
        return Optional.ofNullable(reader.inode(partitionId, inodeId)).map(MetaQueries::attrOf);
    }

    public ListDentryResponse listDentry(ListDentryRequest r) {
        ListDentryResponse.Builder out = ListDentryResponse.newBuilder().setAppliedIndex(appliedIndex);
        MetaStatusCode status = MetaReader.check(reader.partition(r.getPartitionId()), r.getFsId(),
                r.getDirInodeId());
        if (status != MetaStatusCode.OK) {
            return out.setStatusCode(status).build();
        }
        int limit = r.hasCount() && r.getCount() > 0 ? r.getCount() : Integer.MAX_VALUE;
        Long txId = r.hasTxId() ? r.getTxId() : null;
        byte[] prefix = MetaKeys.ofInode(r.getPartitionId(), r.getDirInodeId());
        byte[] lastKey = r.hasLast() && !r.getLast().isEmpty()
                ? MetaKeys.dentry(r.getPartitionId(), r.getDirInodeId(), r.getLast()) : null;
        reader.view.scan(Table.DENTRY, prefix, lastKey, (key, value) -> {
            if (lastKey != null && Arrays.equals(key, lastKey)) {
                return true;
            }
            Dentry d = DentryVersions.visible(MetaReader.parse(() -> DentryVec.parseFrom(value)), txId);
            if (d != null && (!r.getOnlyDir() || d.getType() == FsFileType.TYPE_DIRECTORY)) {
                out.addDentrys(d);
            }
            return out.getDentrysCount() < limit;
        });
        if (r.getReturnInodeAttr()) {
            for (Dentry d : out.getDentrysList()) {
                attrInSamePartition(r.getPartitionId(), r.getFsId(), d.getInodeId()).ifPresent(out::addInodeAttr);
            }
        }
        return out.setStatusCode(MetaStatusCode.OK).build();
    }

    public GetInodeResponse getInode(GetInodeRequest r) {
        GetInodeResponse.Builder out = GetInodeResponse.newBuilder().setAppliedIndex(appliedIndex);
        MetaStatusCode status = MetaReader.check(reader.partition(r.getPartitionId()), r.getFsId(), r.getInodeId());
        if (status != MetaStatusCode.OK) {
            return out.setStatusCode(status).build();
        }
        Inode inode = reader.inode(r.getPartitionId(), r.getInodeId());
        if (inode == null) {
            return out.setStatusCode(MetaStatusCode.NOT_FOUND).build();
        }
        Inode full = inode.toBuilder().putAllS3ChunkInfoMap(reader.chunkMap(r.getPartitionId(), r.getInodeId()))
                .build();
        return out.setStatusCode(MetaStatusCode.OK).setInode(full).setStreaming(false).build();
    }

    /** All or nothing: an id outside the partition or without an inode fails the whole batch. */
    public BatchGetInodeAttrResponse batchGetInodeAttr(BatchGetInodeAttrRequest r) {
        BatchGetInodeAttrResponse.Builder out = BatchGetInodeAttrResponse.newBuilder().setAppliedIndex(appliedIndex);
        PartitionInfo partition = reader.partition(r.getPartitionId());
        for (long inodeId : r.getInodeIdList()) {
            MetaStatusCode status = MetaReader.check(partition, r.getFsId(), inodeId);
            Inode inode = status == MetaStatusCode.OK ? reader.inode(r.getPartitionId(), inodeId) : null;
            if (inode == null) {
                return out.clearAttr().setStatusCode(status == MetaStatusCode.OK ? MetaStatusCode.NOT_FOUND : status)
                        .build();
            }
            out.addAttr(attrOf(inode));
        }
        if (partition == null) {
            return out.setStatusCode(MetaStatusCode.PARTITION_NOT_FOUND).build();
        }
        return out.setStatusCode(MetaStatusCode.OK).build();
    }

    /** All or nothing, like {@link #batchGetInodeAttr}. */
    public BatchGetXAttrResponse batchGetXAttr(BatchGetXAttrRequest r) {
        BatchGetXAttrResponse.Builder out = BatchGetXAttrResponse.newBuilder().setAppliedIndex(appliedIndex);
        PartitionInfo partition = reader.partition(r.getPartitionId());
        for (long inodeId : r.getInodeIdList()) {
            MetaStatusCode status = MetaReader.check(partition, r.getFsId(), inodeId);
            Inode inode = status == MetaStatusCode.OK ? reader.inode(r.getPartitionId(), inodeId) : null;
            if (inode == null) {
                return out.clearXattr().setStatusCode(status == MetaStatusCode.OK ? MetaStatusCode.NOT_FOUND : status)
                        .build();
            }
            out.addXattr(XAttr.newBuilder().setInodeId(inodeId).setFsId(inode.getFsId())
                    .putAllXAttrInfos(inode.getXattrMap()));
        }
        if (partition == null) {
            return out.setStatusCode(MetaStatusCode.PARTITION_NOT_FOUND).build();
        }
        return out.setStatusCode(MetaStatusCode.OK).build();
    }

    /** The read-only form (nothing to add or remove). */
    public GetOrModifyS3ChunkInfoResponse getS3ChunkInfo(GetOrModifyS3ChunkInfoRequest r) {
        GetOrModifyS3ChunkInfoResponse.Builder out = GetOrModifyS3ChunkInfoResponse.newBuilder()
                .setAppliedIndex(appliedIndex);
        MetaStatusCode status = MetaReader.check(reader.partition(r.getPartitionId()), r.getFsId(), r.getInodeId());
        if (status == MetaStatusCode.OK && reader.inode(r.getPartitionId(), r.getInodeId()) == null) {
            status = MetaStatusCode.NOT_FOUND;
        }
        if (status == MetaStatusCode.OK && r.getReturnS3ChunkInfoMap()) {
            out.putAllS3ChunkInfoMap(reader.chunkMap(r.getPartitionId(), r.getInodeId()));
        }
        return out.setStatusCode(status).build();
    }

    static InodeAttr attrOf(Inode i) {
        InodeAttr.Builder a = InodeAttr.newBuilder()
                .setInodeId(i.getInodeId()).setFsId(i.getFsId()).setLength(i.getLength())
                .setCtime(i.getCtime()).setCtimeNs(i.getCtimeNs())
                .setMtime(i.getMtime()).setMtimeNs(i.getMtimeNs())
                .setAtime(i.getAtime()).setAtimeNs(i.getAtimeNs())
                .setUid(i.getUid()).setGid(i.getGid()).setMode(i.getMode()).setNlink(i.getNlink())
                .setType(i.getType())
                .putAllXattr(i.getXattrMap()).addAllParent(i.getParentList());
        if (i.hasSymlink()) {
            a.setSymlink(i.getSymlink());
        }
        if (i.hasRdev()) {
            a.setRdev(i.getRdev());
        }
        if (i.hasDtime()) {
            a.setDtime((int) i.getDtime());
        }
        if (i.hasOpenmpcount()) {
            a.setOpenmpcount(i.getOpenmpcount());
        }
        return a.build();
    }
}
