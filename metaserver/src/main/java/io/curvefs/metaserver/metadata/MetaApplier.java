package io.curvefs.metaserver.metadata;

import com.google.protobuf.Message;
import io.curvefs.metaserver.storage.KvBatch;
import io.curvefs.metaserver.storage.Table;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
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
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.DentryFlag;
import io.curvefs.proto.metaserver.DentryVec;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoRequest;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoResponse;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.ManageInodeType;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.proto.metaserver.PrepareRenameTxResponse;
import io.curvefs.proto.metaserver.RenameInPartitionRequest;
import io.curvefs.proto.metaserver.RenameInPartitionResponse;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import io.curvefs.proto.metaserver.S3ChunkInfoList;
import io.curvefs.proto.metaserver.Time;
import io.curvefs.proto.metaserver.UpdateInodeRequest;
import io.curvefs.proto.metaserver.UpdateInodeResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies one committed mutation to a copyset's batch and builds its response. Everything here
 * is deterministic: the only clock is the one carried by the log entry, so replicas and
 * replays compute identical results. A refused operation writes nothing, except a CreateInode
 * that runs out of ids, which turns its partition READONLY, and a PrepareRenameTx whose source
 * is gone, which keeps its resolution of the earlier pending rename.
 *
 * <p>A name with a prepared (unresolved) rename version refuses CreateDentry and DeleteDentry
 * with TX_INPROGRESS: if the rename commits it replaces that name, and a change made beside it
 * would be lost or counted twice. The service resolves the rename, and the client retries.
 * RenameInPartition follows the same rule for its two names and for the entries of a directory it
 * would replace; names without a prepared version it changes in its one entry, beside any pending
 * rename of other names (their commit or rollback only rewrites their own names and adds their
 * own nlink and dentry deltas, so the order of the two does not matter).
 *
 * <p>Partition records carry the exact inodeNum, dentryNum, fileType2InodeNum and nextId; every
 * operation that changes them rewrites the record in the same batch.
 *
 * <p>A create and an unlink of a file whose inode lives with its dentry are one entry each
 * (CREATE_INODE_WITH_DENTRY, DELETE_DENTRY_WITH_LINK) rather than two or three: every entry costs
 * a replicated write, and one entry is also all-or-nothing, so a create refused for its name
 * leaves no inode behind. Their resends are recognized by the request ids of CreateInode and
 * DeleteDentry and answered from what the first attempt left.
 */
public final class MetaApplier {

    static final long ROOT_INODE_ID = 1;
    static final long RECYCLE_INODE_ID = 2;
    private static final long FIRST_ORDINARY_INODE_ID = 3;
    private static final long DIRECTORY_LENGTH = 4096;
    /**
     * UpdateInode requests per inode that are not idempotent by themselves (an nlinkDelta, or chunk
     * infos to append) remembered to answer their retries: the nlink after.
     */
    private static final RecentRequests NLINK_REQUESTS = new RecentRequests(Integer.BYTES, 16);
    /** CreateInode/DeleteDentry requests per partition remembered to answer their retries: the inode id. */
    private static final RecentRequests INODE_REQUESTS = new RecentRequests(Long.BYTES, 128);
    /** RenameInPartition requests per partition remembered to answer their retries: what was replaced. */
    private static final RecentRequests RENAMES = new RecentRequests(Long.BYTES + 1 + Integer.BYTES, 128);
    private static final int NO_NLINK = -1;

    /** Applies the command of log entry {@code index}. */
    public Message apply(Command command, KvBatch batch, long index) {
        Round round = new Round(batch, command.proposedAt(), index);
        Message request = command.request();
        return switch (command.operation()) {
            case CREATE_PARTITION -> round.createPartition((CreatePartitionRequest) request);
            case DELETE_PARTITION -> round.deletePartition((DeletePartitionRequest) request);
            case CREATE_ROOT_INODE -> round.createRootInode((CreateRootInodeRequest) request);
            case CREATE_MANAGE_INODE -> round.createManageInode((CreateManageInodeRequest) request);
            case CREATE_INODE -> round.createInode((CreateInodeRequest) request, false);
            case UPDATE_INODE -> round.updateInode((UpdateInodeRequest) request);
            case MODIFY_S3_CHUNK_INFO -> round.modifyS3ChunkInfo((GetOrModifyS3ChunkInfoRequest) request);
            case DELETE_INODE -> round.deleteInode((DeleteInodeRequest) request);
            case CREATE_DENTRY -> round.createDentry((CreateDentryRequest) request);
            case DELETE_DENTRY -> round.deleteDentry((DeleteDentryRequest) request, false);
            case PREPARE_RENAME_TX -> round.prepareRenameTx((PrepareRenameTxRequest) request);
            case COMMIT_RENAME_TX -> round.resolveRenameTx((PrepareRenameTxRequest) request, true);
            case ROLLBACK_RENAME_TX -> round.resolveRenameTx((PrepareRenameTxRequest) request, false);
            case CREATE_INODE_WITH_DENTRY -> round.createInode((CreateInodeRequest) request, true);
            case DELETE_DENTRY_WITH_LINK -> round.deleteDentry((DeleteDentryRequest) request, true);
            case RENAME_IN_PARTITION -> round.renameInPartition((RenameInPartitionRequest) request);
        };
    }

    /** One command's application: the batch, the entry's clock and index. */
    private static final class Round {
        private final KvBatch batch;
        private final MetaReader reader;
        private final Instant now;
        private final long index;

        Round(KvBatch batch, Instant now, long index) {
            this.batch = batch;
            this.reader = new MetaReader(batch);
            this.now = now;
            this.index = index;
        }

        Message createPartition(CreatePartitionRequest r) {
            PartitionInfo p = r.getPartition();
            MetaStatusCode status;
            if (reader.partition(p.getPartitionId()) != null) {
                status = MetaStatusCode.PARTITION_EXIST;
            } else {
                long base = Math.max(FIRST_ORDINARY_INODE_ID, p.getStart());
                long nextId = p.hasNextId() ? Math.max(base, p.getNextId()) : base;
                savePartition(p.toBuilder().setNextId(nextId).setInodeNum(0).setDentryNum(0)
                        .clearFileType2InodeNum().build());
                status = MetaStatusCode.OK;
            }
            return CreatePartitionResponse.newBuilder().setStatusCode(status).setAppliedIndex(index).build();
        }

        Message deletePartition(DeletePartitionRequest r) {
            int pid = r.getPartitionId();
            MetaStatusCode status = MetaStatusCode.PARTITION_NOT_FOUND;
            if (reader.partition(pid) != null) {
                byte[] prefix = MetaKeys.partition(pid);
                for (Table table : List.of(Table.INODE, Table.S3_CHUNK, Table.DENTRY)) {
                    List<byte[]> keys = new ArrayList<>();
                    batch.scan(table, prefix, null, (key, value) -> keys.add(key));
                    keys.forEach(key -> batch.delete(table, key));
                }
                batch.delete(Table.META, MetaKeys.pendingTx(pid));
                batch.delete(Table.META, MetaKeys.recentRequests(pid));
                batch.delete(Table.META, MetaKeys.recentRenames(pid));
                List<byte[]> requestKeys = new ArrayList<>();
                batch.scan(Table.META, MetaKeys.nlinkRequestsOfPartition(pid), null,
                        (key, value) -> requestKeys.add(key));
                requestKeys.forEach(key -> batch.delete(Table.META, key));
                batch.delete(Table.PARTITION, prefix);
                status = MetaStatusCode.OK;
            }
            return DeletePartitionResponse.newBuilder().setStatusCode(status).setAppliedIndex(index).build();
        }

        Message createRootInode(CreateRootInodeRequest r) {
            CreateRootInodeResponse.Builder out = CreateRootInodeResponse.newBuilder().setAppliedIndex(index);
            PartitionInfo p = reader.partition(r.getPartitionId());
            MetaStatusCode status = MetaReader.check(p, r.getFsId(), ROOT_INODE_ID);
            if (status == MetaStatusCode.OK && reader.inode(r.getPartitionId(), ROOT_INODE_ID) != null) {
                status = MetaStatusCode.INODE_EXIST;
            }
            if (status == MetaStatusCode.OK) {
                Instant t = r.hasCreate() ? instantOf(r.getCreate()) : now;
                Inode root = directory(ROOT_INODE_ID, r.getFsId(), r.getUid(), r.getGid(), r.getMode(), t).build();
                insertInode(p.toBuilder(), r.getPartitionId(), root);
            }
            return out.setStatusCode(status).build();
        }

        Message createManageInode(CreateManageInodeRequest r) {
            CreateManageInodeResponse.Builder out = CreateManageInodeResponse.newBuilder().setAppliedIndex(index);
            if (r.getManageType() != ManageInodeType.TYPE_RECYCLE) {
                return out.setStatusCode(MetaStatusCode.PARAM_ERROR).build();
            }
            PartitionInfo p = reader.partition(r.getPartitionId());
            MetaStatusCode status = MetaReader.check(p, r.getFsId(), RECYCLE_INODE_ID);
            if (status != MetaStatusCode.OK) {
                return out.setStatusCode(status).build();
            }
            Inode existing = reader.inode(r.getPartitionId(), RECYCLE_INODE_ID);
            if (existing != null) {
                return out.setStatusCode(MetaStatusCode.INODE_EXIST).setInode(existing).build();
            }
            Inode recycle = directory(RECYCLE_INODE_ID, r.getFsId(), r.getUid(), r.getGid(), r.getMode(), now)
                    .addParent(ROOT_INODE_ID).build();
            insertInode(p.toBuilder().setManageFlag(true), r.getPartitionId(), recycle);
            return out.setStatusCode(MetaStatusCode.OK).setInode(recycle).build();
        }

        /** {@code withDentry}: also adds the dentry {@code r.dentryName} of the parent, or creates nothing. */
        Message createInode(CreateInodeRequest r, boolean withDentry) {
            CreateInodeResponse.Builder out = CreateInodeResponse.newBuilder().setAppliedIndex(index);
            PartitionInfo p = reader.partition(r.getPartitionId());
            MetaStatusCode status = p == null ? MetaStatusCode.PARTITION_NOT_FOUND
                    : p.getStatus() == PartitionStatus.DELETING ? MetaStatusCode.PARTITION_DELETING
                    : p.getFsId() != r.getFsId() ? MetaStatusCode.PARTITION_ID_MISSMATCH
                    : p.getStatus() == PartitionStatus.READONLY ? MetaStatusCode.PARTITION_ALLOC_ID_FAIL
                    : r.getType() == FsFileType.TYPE_SYM_LINK && r.getSymlink().isEmpty()
                            ? MetaStatusCode.SYM_LINK_EMPTY
                    : MetaStatusCode.OK;
            if (status != MetaStatusCode.OK) {
                return out.setStatusCode(status).build();
            }
            if (r.hasRequestId()) {
                Long earlier = answeredRequest(r.getPartitionId(), r.getRequestId());
                Inode created = earlier == null ? null : reader.inode(r.getPartitionId(), earlier);
                if (created != null) {
                    return out.setStatusCode(MetaStatusCode.OK).setInode(created).setDentryCreated(withDentry)
                            .build();
                }
            }
            if (withDentry) {
                status = dentryNameStatus(p, r);
                if (status != MetaStatusCode.OK) {
                    return out.setStatusCode(status).build();
                }
            }
            long id = p.getNextId();
            if (Long.compareUnsigned(id, p.getEnd()) > 0) {
                savePartition(p.toBuilder().setStatus(PartitionStatus.READONLY).build());
                return out.setStatusCode(MetaStatusCode.PARTITION_ALLOC_ID_FAIL).build();
            }
            Instant t = r.hasCreate() ? instantOf(r.getCreate()) : now;
            Inode.Builder inode = Inode.newBuilder().setInodeId(id).setFsId(r.getFsId()).setLength(r.getLength())
                    .setUid(r.getUid()).setGid(r.getGid()).setMode(r.getMode()).setType(r.getType())
                    .setNlink(r.getType() == FsFileType.TYPE_DIRECTORY ? 2 : 1)
                    .addParent(r.getParent());
            stampAllTimes(inode, t);
            if (r.hasRdev()) {
                inode.setRdev(r.getRdev());
            }
            if (r.hasSymlink()) {
                inode.setSymlink(r.getSymlink());
            }
            Inode created = inode.build();
            PartitionInfo.Builder pb = p.toBuilder().setNextId(id + 1);
            if (withDentry) {
                pb.setDentryNum(p.getDentryNum() + 1);
            }
            insertInode(pb, r.getPartitionId(), created);
            if (withDentry) {
                boolean directory = r.getType() == FsFileType.TYPE_DIRECTORY;
                Dentry d = Dentry.newBuilder().setFsId(r.getFsId()).setInodeId(id).setParentInodeId(r.getParent())
                        .setName(r.getDentryName()).setType(r.getType()).setTxId(0)
                        .setFlag(directory ? 0 : DentryFlag.TYPE_FILE_FLAG.getNumber()).build();
                putDentryVec(r.getPartitionId(), r.getParent(), r.getDentryName(),
                        DentryVec.newBuilder().addDentrys(d).build());
                touchParent(r.getPartitionId(), r.getParent(), t, directory ? 1 : 0);
            }
            if (r.hasRequestId()) {
                rememberRequest(r.getPartitionId(), r.getRequestId(), id);
            }
            return out.setStatusCode(MetaStatusCode.OK).setInode(created).setDentryCreated(withDentry).build();
        }

        /** Whether the dentry a create names may be added, with CreateDentry's statuses when not. */
        private MetaStatusCode dentryNameStatus(PartitionInfo p, CreateInodeRequest r) {
            MetaStatusCode status = MetaReader.check(p, r.getFsId(), r.getParent());
            if (status != MetaStatusCode.OK) {
                return status;
            }
            if (r.getDentryName().isEmpty()) {
                return MetaStatusCode.PARAM_ERROR;
            }
            DentryVec vec = reader.dentryVec(r.getPartitionId(), r.getParent(), r.getDentryName());
            if (DentryVersions.isPending(vec)) {
                return MetaStatusCode.TX_INPROGRESS;
            }
            return DentryVersions.visible(vec, null) != null ? MetaStatusCode.DENTRY_EXIST : MetaStatusCode.OK;
        }

        Message updateInode(UpdateInodeRequest r) {
            UpdateInodeResponse.Builder out = UpdateInodeResponse.newBuilder().setAppliedIndex(index);
            int pid = r.getPartitionId();
            MetaStatusCode status = MetaReader.check(reader.partition(pid), r.getFsId(), r.getInodeId());
            Inode old = status == MetaStatusCode.OK ? reader.inode(pid, r.getInodeId()) : null;
            if (old == null) {
                return out.setStatusCode(status == MetaStatusCode.OK ? MetaStatusCode.NOT_FOUND : status).build();
            }
            byte[] requestsKey = MetaKeys.nlinkRequests(pid, r.getInodeId());
            byte[] requests = batch.get(Table.META, requestsKey);
            boolean counted = r.hasRequestId() && (r.hasNlinkDelta() || r.getS3ChunkInfoAddCount() > 0);
            if (counted) {
                ByteBuffer answered = NLINK_REQUESTS.answerOf(requests, r.getRequestId());
                if (answered != null) {
                    return out.setStatusCode(MetaStatusCode.OK).setNlink(answered.getInt()).build();
                }
            }
            Inode.Builder b = old.toBuilder();
            if (r.hasLength()) {
                b.setLength(r.getLength());
            }
            if (r.hasCtime()) {
                b.setCtime(r.getCtime());
            }
            if (r.hasCtimeNs()) {
                b.setCtimeNs(r.getCtimeNs());
            }
            if (r.hasMtime()) {
                b.setMtime(r.getMtime());
            }
            if (r.hasMtimeNs()) {
                b.setMtimeNs(r.getMtimeNs());
            }
            if (r.hasAtime()) {
                b.setAtime(r.getAtime());
            }
            if (r.hasAtimeNs()) {
                b.setAtimeNs(r.getAtimeNs());
            }
            if (r.hasUid()) {
                b.setUid(r.getUid());
            }
            if (r.hasGid()) {
                b.setGid(r.getGid());
            }
            if (r.hasMode()) {
                b.setMode(r.getMode());
            }
            if (r.hasNlink()) {
                b.setNlink(r.getNlink());
                if (r.getNlink() == 0) {
                    b.setDtime(now.getEpochSecond());
                }
            }
            if (r.hasNlinkDelta()) {
                int nlink = (int) Math.max(0, Integer.toUnsignedLong(b.getNlink()) + r.getNlinkDelta());
                b.setNlink(nlink);
                if (nlink == 0) {
                    b.setDtime(now.getEpochSecond());
                }
            }
            if (counted) {
                int nlink = b.getNlink();
                batch.put(Table.META, requestsKey,
                        NLINK_REQUESTS.with(requests, r.getRequestId(), a -> a.putInt(nlink)));
            }
            if (r.getXattrCount() > 0) {
                b.clearXattr().putAllXattr(r.getXattrMap());
            }
            if (r.getParentCount() > 0) {
                b.clearParent().addAllParent(r.getParentList());
            }
            saveInode(pid, b.build());
            appendChunks(pid, r.getInodeId(), r.getS3ChunkInfoMapMap());
            appendChunks(pid, r.getInodeId(), r.getS3ChunkInfoAddMap());
            return out.setStatusCode(MetaStatusCode.OK).setNlink(b.getNlink()).build();
        }

        /** The inode id recorded for an applied CreateInode/DeleteDentry request, or null. */
        private Long answeredRequest(int pid, long requestId) {
            ByteBuffer answer = INODE_REQUESTS.answerOf(batch.get(Table.META, MetaKeys.recentRequests(pid)), requestId);
            return answer == null ? null : answer.getLong();
        }

        private void rememberRequest(int pid, long requestId, long inodeId) {
            byte[] key = MetaKeys.recentRequests(pid);
            batch.put(Table.META, key,
                    INODE_REQUESTS.with(batch.get(Table.META, key), requestId, b -> b.putLong(inodeId)));
        }

        Message modifyS3ChunkInfo(GetOrModifyS3ChunkInfoRequest r) {
            GetOrModifyS3ChunkInfoResponse.Builder out = GetOrModifyS3ChunkInfoResponse.newBuilder()
                    .setAppliedIndex(index);
            int pid = r.getPartitionId();
            MetaStatusCode status = MetaReader.check(reader.partition(pid), r.getFsId(), r.getInodeId());
            if (status == MetaStatusCode.OK && reader.inode(pid, r.getInodeId()) == null) {
                status = MetaStatusCode.NOT_FOUND;
            }
            if (status != MetaStatusCode.OK) {
                return out.setStatusCode(status).build();
            }
            appendChunks(pid, r.getInodeId(), r.getS3ChunkInfoAddMap());
            removeChunks(pid, r.getInodeId(), r.getS3ChunkInfoRemoveMap());
            if (r.getReturnS3ChunkInfoMap()) {
                out.putAllS3ChunkInfoMap(reader.chunkMap(pid, r.getInodeId()));
            }
            return out.setStatusCode(MetaStatusCode.OK).build();
        }

        Message deleteInode(DeleteInodeRequest r) {
            DeleteInodeResponse.Builder out = DeleteInodeResponse.newBuilder().setAppliedIndex(index);
            int pid = r.getPartitionId();
            PartitionInfo p = reader.partition(pid);
            MetaStatusCode status = MetaReader.check(p, r.getFsId(), r.getInodeId());
            Inode old = status == MetaStatusCode.OK ? reader.inode(pid, r.getInodeId()) : null;
            if (old == null) {
                return out.setStatusCode(status == MetaStatusCode.OK ? MetaStatusCode.NOT_FOUND : status).build();
            }
            if (r.getReturnS3ChunkInfoMap()) {
                out.putAllS3ChunkInfoMap(reader.chunkMap(pid, r.getInodeId()));
            }
            PartitionInfo.Builder pb = p.toBuilder();
            removeInode(pid, pb, old);
            savePartition(pb.build());
            return out.setStatusCode(MetaStatusCode.OK).build();
        }

        /** Deletes the inode with its chunk lists and remembered requests; counts it out of {@code partition}. */
        private void removeInode(int pid, PartitionInfo.Builder partition, Inode inode) {
            long id = inode.getInodeId();
            batch.delete(Table.INODE, MetaKeys.inode(pid, id));
            batch.delete(Table.META, MetaKeys.nlinkRequests(pid, id));
            List<byte[]> chunkKeys = new ArrayList<>();
            batch.scan(Table.S3_CHUNK, MetaKeys.ofInode(pid, id), null, (k, v) -> chunkKeys.add(k));
            chunkKeys.forEach(k -> batch.delete(Table.S3_CHUNK, k));
            int type = inode.getType().getNumber();
            partition.setInodeNum(partition.getInodeNum() - 1)
                    .putFileType2InodeNum(type, Math.max(0, partition.getFileType2InodeNumOrDefault(type, 0) - 1));
        }

        Message createDentry(CreateDentryRequest r) {
            CreateDentryResponse.Builder out = CreateDentryResponse.newBuilder().setAppliedIndex(index);
            Dentry d = r.getDentry();
            int pid = r.getPartitionId();
            PartitionInfo p = reader.partition(pid);
            MetaStatusCode status = MetaReader.check(p, d.getFsId(), d.getParentInodeId());
            if (status == MetaStatusCode.OK && d.getName().isEmpty()) {
                status = MetaStatusCode.PARAM_ERROR;
            }
            if (status != MetaStatusCode.OK) {
                return out.setStatusCode(status).build();
            }
            DentryVec vec = reader.dentryVec(pid, d.getParentInodeId(), d.getName());
            if (DentryVersions.isPending(vec)) {
                return out.setStatusCode(MetaStatusCode.TX_INPROGRESS).build();
            }
            Dentry existing = DentryVersions.visible(vec, null);
            if (existing != null) {
                return out.setStatusCode(existing.getInodeId() == d.getInodeId()
                        ? MetaStatusCode.OK : MetaStatusCode.DENTRY_EXIST).build();
            }
            putDentryVec(pid, d.getParentInodeId(), d.getName(), DentryVec.newBuilder().addDentrys(d).build());
            PartitionInfo.Builder pb = p.toBuilder().setDentryNum(p.getDentryNum() + 1);
            savePartition(pb.build());
            touchParent(pid, d.getParentInodeId(), r.hasCreate() ? instantOf(r.getCreate()) : now,
                    d.getType() == FsFileType.TYPE_DIRECTORY ? 1 : 0);
            return out.setStatusCode(MetaStatusCode.OK).build();
        }

        /** {@code withLink}: also drops the link of {@code r.unlinkInodeId}, see {@link #dropLink}. */
        Message deleteDentry(DeleteDentryRequest r, boolean withLink) {
            DeleteDentryResponse.Builder out = DeleteDentryResponse.newBuilder().setAppliedIndex(index);
            int pid = r.getPartitionId();
            PartitionInfo p = reader.partition(pid);
            MetaStatusCode status = MetaReader.check(p, r.getFsId(), r.getParentInodeId());
            if (status != MetaStatusCode.OK) {
                return out.setStatusCode(status).build();
            }
            Long answered = r.hasRequestId() ? answeredRequest(pid, r.getRequestId()) : null;
            if (answered != null) {
                if (withLink) {
                    answerDroppedLink(out, p, r, answered);
                }
                return out.setStatusCode(MetaStatusCode.OK).build();
            }
            DentryVec vec = reader.dentryVec(pid, r.getParentInodeId(), r.getName());
            if (DentryVersions.isPending(vec)) {
                return out.setStatusCode(MetaStatusCode.TX_INPROGRESS).build();
            }
            Dentry victim = DentryVersions.visible(vec, r.hasTxId() ? r.getTxId() : null);
            if (victim == null) {
                return out.setStatusCode(MetaStatusCode.NOT_FOUND).build();
            }
            if (withLink && removesDirectoryHere(p, r, victim)) {
                MetaStatusCode empty = emptiness(pid, p, r.getFsId(), victim.getInodeId());
                if (empty != MetaStatusCode.OK) {
                    return out.setStatusCode(empty).build();
                }
            }
            DentryVec.Builder rest = DentryVec.newBuilder();
            vec.getDentrysList().stream().filter(v -> !v.equals(victim)).forEach(rest::addDentrys);
            putDentryVec(pid, r.getParentInodeId(), r.getName(), rest.build());
            PartitionInfo.Builder pb = p.toBuilder().setDentryNum(p.getDentryNum() - 1);
            FsFileType type = victim.hasType() ? victim.getType() : r.getType();
            Instant t = r.hasCreate() ? instantOf(r.getCreate()) : now;
            touchParent(pid, r.getParentInodeId(), t, type == FsFileType.TYPE_DIRECTORY ? -1 : 0);
            if (withLink) {
                dropLink(out, p, pb, r, victim.getInodeId(), t);
            }
            savePartition(pb.build());
            if (r.hasRequestId()) {
                rememberRequest(pid, r.getRequestId(), victim.getInodeId());
            }
            return out.setStatusCode(MetaStatusCode.OK).build();
        }

        /**
         * Whether the dentry names the directory the client meant ({@code unlinkInodeId}) and that
         * directory lives in this partition: then all its entries are here too, so emptiness is
         * checked in the same step as the removal (an rmdir cannot race another mount's create).
         */
        private boolean removesDirectoryHere(PartitionInfo p, DeleteDentryRequest r, Dentry victim) {
            return victim.getInodeId() == r.getUnlinkInodeId() && isDirectory(victim)
                    && MetaReader.check(p, r.getFsId(), victim.getInodeId()) == MetaStatusCode.OK;
        }

        /**
         * The link the removed dentry held is dropped here when that dentry named the inode the
         * client meant ({@code unlinkInodeId}) in this partition; the client drops any other link
         * itself. A directory (found empty before) is deleted with its name. An inode of this
         * partition that is missing counts as dropped and deleted (nothing is left to do). Decided
         * from the inode, which a resend still finds (see {@link #answerDroppedLink}).
         */
        private void dropLink(DeleteDentryResponse.Builder out, PartitionInfo p, PartitionInfo.Builder partition,
                              DeleteDentryRequest r, long inodeId, Instant t) {
            out.setInodeId(inodeId);
            int pid = r.getPartitionId();
            if (inodeId != r.getUnlinkInodeId() || MetaReader.check(p, r.getFsId(), inodeId) != MetaStatusCode.OK) {
                return;
            }
            Inode child = reader.inode(pid, inodeId);
            if (child == null) {
                out.setLinkDropped(true).setInodeDeleted(true);
                return;
            }
            if (child.getType() == FsFileType.TYPE_DIRECTORY) {
                out.setLinkDropped(true).setInodeDeleted(true);
                removeInode(pid, partition, child);
                return;
            }
            int nlink = Math.max(0, child.getNlink() - 1);
            List<Long> parents = new ArrayList<>(child.getParentList());
            parents.remove(Long.valueOf(r.getParentInodeId()));
            Inode.Builder b = child.toBuilder().setNlink(nlink).setCtime(t.getEpochSecond()).setCtimeNs(t.getNano())
                    .clearParent().addAllParent(parents);
            if (nlink == 0) {
                b.setDtime(now.getEpochSecond());
            }
            Inode after = b.build();
            out.setLinkDropped(true).setUnlinkedInode(after);
            if (nlink == 0 && r.getDeleteAtLastLink()) {
                out.setInodeDeleted(true).putAllS3ChunkInfoMap(reader.chunkMap(pid, inodeId));
                removeInode(pid, partition, after);
            } else {
                saveInode(pid, after);
            }
        }

        /**
         * A resent DELETE_DENTRY_WITH_LINK: the decision {@link #dropLink} made, from the inode as
         * it is now (a deleted inode's chunk lists are gone, as with a resent DeleteInode).
         */
        private void answerDroppedLink(DeleteDentryResponse.Builder out, PartitionInfo p, DeleteDentryRequest r,
                                       long inodeId) {
            out.setInodeId(inodeId);
            if (inodeId != r.getUnlinkInodeId() || MetaReader.check(p, r.getFsId(), inodeId) != MetaStatusCode.OK) {
                return;
            }
            Inode child = reader.inode(r.getPartitionId(), inodeId);
            if (child == null) {
                out.setLinkDropped(true).setInodeDeleted(true);
            } else if (child.getType() != FsFileType.TYPE_DIRECTORY) {
                out.setLinkDropped(true).setUnlinkedInode(child);
            }
        }

        /**
         * Rename v1, one partition's half. A pending rename is resolved first: a request carrying
         * a newer txId proves the MDS committed it (the client read the bumped txId), anything else
         * means it was abandoned (the caller holds the MDS rename lock, so its owner cannot commit
         * any more). Then each source (DELETE_MARK) must still name the same inode, else NOT_FOUND
         * (the resolution stays written); the new versions are written and remembered as pending.
         */
        Message prepareRenameTx(PrepareRenameTxRequest r) {
            PrepareRenameTxResponse.Builder out = PrepareRenameTxResponse.newBuilder().setAppliedIndex(index);
            int pid = r.getPartitionId();
            PartitionInfo p = reader.partition(pid);
            if (p == null) {
                return out.setStatusCode(MetaStatusCode.PARTITION_NOT_FOUND).build();
            }
            if (r.getDentrysCount() == 0) {
                return out.setStatusCode(MetaStatusCode.PARAM_ERROR).build();
            }
            for (Dentry d : r.getDentrysList()) {
                MetaStatusCode status = MetaReader.check(p, d.getFsId(), d.getParentInodeId());
                if (status != MetaStatusCode.OK) {
                    return out.setStatusCode(status).build();
                }
            }
            PrepareRenameTxRequest pending = reader.pendingTx(pid);
            if (pending != null) {
                if (pending.getDentrysList().equals(r.getDentrysList())) {
                    return out.setStatusCode(MetaStatusCode.OK).build();
                }
                Dentry pendingFirst = pending.getDentrys(0);
                Dentry first = r.getDentrys(0);
                if (first.hasTxSequence() && pendingFirst.hasTxSequence()
                        && Long.compareUnsigned(first.getTxSequence(), pendingFirst.getTxSequence()) < 0) {
                    return out.setStatusCode(MetaStatusCode.HANDLE_PENDING_TX_FAILED).build();
                }
                if (Long.compareUnsigned(first.getTxId(), pendingFirst.getTxId()) > 0) {
                    commitPending(pid, pending);
                } else {
                    rollbackPending(pid, pending);
                }
            }
            Dentry first = r.getDentrys(0);
            long[] floor = reader.txFloor(pid);
            if ((first.hasTxSequence() && Long.compareUnsigned(first.getTxSequence(), floor[0]) < 0)
                    || (floor[1] != 0 && Long.compareUnsigned(first.getTxId(), floor[1]) <= 0)) {
                // Prepared under a lock grant older than one already seen here, or at a txId
                // already committed: a late or resent prepare of a rename that cannot commit.
                return out.setStatusCode(MetaStatusCode.HANDLE_PENDING_TX_FAILED).build();
            }
            for (Dentry d : r.getDentrysList()) {
                if (DentryVersions.hasFlag(d, DentryFlag.DELETE_MARK_FLAG)) {
                    Dentry live = DentryVersions.visible(reader.dentryVec(pid, d.getParentInodeId(), d.getName()),
                            null);
                    if (live == null || live.getInodeId() != d.getInodeId()) {
                        return out.setStatusCode(MetaStatusCode.NOT_FOUND).build();
                    }
                }
            }
            for (Dentry d : r.getDentrysList()) {
                Dentry prepared = d.toBuilder()
                        .setFlag(d.getFlag() | DentryFlag.TRANSACTION_PREPARE_FLAG.getNumber()).build();
                DentryVec vec = reader.dentryVec(pid, d.getParentInodeId(), d.getName());
                DentryVec.Builder next = DentryVec.newBuilder();
                if (vec != null) {
                    vec.getDentrysList().stream().filter(v -> v.getTxId() != d.getTxId()).forEach(next::addDentrys);
                }
                putDentryVec(pid, d.getParentInodeId(), d.getName(), next.addDentrys(prepared).build());
            }
            if (first.hasTxSequence()) {
                saveTxFloor(pid, first.getTxSequence(), reader.txFloor(pid)[1]);
            }
            batch.put(Table.META, MetaKeys.pendingTx(pid), r.toByteArray());
            return out.setStatusCode(MetaStatusCode.OK).build();
        }

        /**
         * A rename whose two parents keep their dentries here, whole in this entry: the old name
         * goes, the new one names the moved inode (keeping the source's txId, so a reader that
         * sends a txId sees it wherever it saw the old name), the parents get the request's time
         * and their nlink when a directory moves, and the moved inode and a replaced file, when
         * they live here, their ctime and parent list, and the replaced file one link less. A
         * directory it replaces must be empty when its entries live here (elsewhere the client
         * checked). The replaced entry is remembered under the request id: a retry is answered
         * with it, with the attributes as they are now.
         */
        Message renameInPartition(RenameInPartitionRequest r) {
            RenameInPartitionResponse.Builder out = RenameInPartitionResponse.newBuilder().setAppliedIndex(index);
            int pid = r.getPartitionId();
            PartitionInfo p = reader.partition(pid);
            MetaStatusCode status = MetaReader.check(p, r.getFsId(), r.getOldParentInodeId());
            if (status == MetaStatusCode.OK) {
                status = MetaReader.check(p, r.getFsId(), r.getNewParentInodeId());
            }
            if (status == MetaStatusCode.OK && (r.getOldName().isEmpty() || r.getNewName().isEmpty())) {
                status = MetaStatusCode.PARAM_ERROR;
            }
            if (status != MetaStatusCode.OK) {
                return out.setStatusCode(status).build();
            }
            Replacement earlier = answeredRename(pid, r.getRequestId());
            if (earlier != null) {
                return renamed(out, r, earlier);
            }
            DentryVec oldVec = reader.dentryVec(pid, r.getOldParentInodeId(), r.getOldName());
            DentryVec newVec = reader.dentryVec(pid, r.getNewParentInodeId(), r.getNewName());
            if (DentryVersions.isPending(oldVec) || DentryVersions.isPending(newVec)) {
                return out.setStatusCode(MetaStatusCode.TX_INPROGRESS).build();
            }
            Dentry source = DentryVersions.visible(oldVec, null);
            if (source == null || source.getInodeId() != r.getInodeId()) {
                return out.setStatusCode(MetaStatusCode.NOT_FOUND).build();
            }
            Dentry target = DentryVersions.visible(newVec, null);
            if (target != null && target.getInodeId() == source.getInodeId()) {
                // Two names of one inode: POSIX leaves both; the answer names the inode itself as replaced.
                return renamed(out, r, new Replacement(target.getInodeId(), typeOf(target), NO_NLINK));
            }
            boolean sourceIsDir = isDirectory(source);
            boolean targetIsDir = target != null && isDirectory(target);
            if (targetIsDir) {
                MetaStatusCode emptiness = emptiness(pid, p, r.getFsId(), target.getInodeId());
                if (emptiness != MetaStatusCode.OK) {
                    return out.setStatusCode(emptiness).build();
                }
            }
            batch.delete(Table.DENTRY, MetaKeys.dentry(pid, r.getOldParentInodeId(), r.getOldName()));
            Dentry moved = source.toBuilder().setParentInodeId(r.getNewParentInodeId()).setName(r.getNewName())
                    .build();
            putDentryVec(pid, r.getNewParentInodeId(), r.getNewName(),
                    DentryVec.newBuilder().addDentrys(moved).build());
            if (target != null) {
                savePartition(p.toBuilder().setDentryNum(p.getDentryNum() - 1).build());
            }
            Instant t = instantOf(r.getTime());
            int movedDir = sourceIsDir ? 1 : 0;
            int replacedDir = targetIsDir ? 1 : 0;
            if (r.getOldParentInodeId() == r.getNewParentInodeId()) {
                touchParent(pid, r.getOldParentInodeId(), t, -replacedDir);
            } else {
                touchParent(pid, r.getOldParentInodeId(), t, -movedDir);
                touchParent(pid, r.getNewParentInodeId(), t, movedDir - replacedDir);
            }
            moveInode(pid, source.getInodeId(), r.getOldParentInodeId(), r.getNewParentInodeId(), t);
            Replacement replacement = target == null ? Replacement.NONE
                    : new Replacement(target.getInodeId(), typeOf(target),
                            targetIsDir ? NO_NLINK : dropLink(pid, target.getInodeId(), r.getNewParentInodeId(), t));
            rememberRename(pid, r.getRequestId(), replacement);
            return renamed(out, r, replacement);
        }

        /** What a rename replaced: an inode (0: nothing), its type, and its nlink after (NO_NLINK: not taken here). */
        private record Replacement(long inodeId, FsFileType type, int nlinkAfter) {
            static final Replacement NONE = new Replacement(0, FsFileType.TYPE_FILE, NO_NLINK);
        }

        private Message renamed(RenameInPartitionResponse.Builder out, RenameInPartitionRequest r,
                Replacement replaced) {
            int pid = r.getPartitionId();
            List<Long> touched = new ArrayList<>(List.of(r.getOldParentInodeId(), r.getNewParentInodeId(),
                    r.getInodeId()));
            if (replaced.inodeId() != 0) {
                out.setReplaced(Dentry.newBuilder().setFsId(r.getFsId()).setInodeId(replaced.inodeId())
                        .setParentInodeId(r.getNewParentInodeId()).setName(r.getNewName()).setType(replaced.type())
                        .setFlag(replaced.type() == FsFileType.TYPE_DIRECTORY ? 0
                                : DentryFlag.TYPE_FILE_FLAG.getNumber()));
                if (replaced.nlinkAfter() != NO_NLINK) {
                    out.setReplacedNlink(replaced.nlinkAfter());
                }
                touched.add(replaced.inodeId());
            }
            touched.stream().distinct().map(ino -> reader.inode(pid, ino)).filter(inode -> inode != null)
                    .forEach(inode -> out.addAttrs(MetaQueries.attrOf(inode)));
            return out.setStatusCode(MetaStatusCode.OK).build();
        }

        /** OK when directory {@code dirId} has no entry here; TX_INPROGRESS when a rename is preparing one. */
        private MetaStatusCode emptiness(int pid, PartitionInfo p, int fsId, long dirId) {
            if (MetaReader.check(p, fsId, dirId) != MetaStatusCode.OK) {
                return MetaStatusCode.OK;
            }
            MetaStatusCode[] found = {MetaStatusCode.OK};
            batch.scan(Table.DENTRY, MetaKeys.ofInode(pid, dirId), null, (key, value) -> {
                DentryVec vec = MetaReader.parse(() -> DentryVec.parseFrom(value));
                if (DentryVersions.isPending(vec)) {
                    found[0] = MetaStatusCode.TX_INPROGRESS;
                } else if (DentryVersions.visible(vec, null) != null) {
                    found[0] = MetaStatusCode.DIRECTORY_NOT_EMPTY;
                }
                return found[0] == MetaStatusCode.OK;
            });
            return found[0];
        }

        /** The moved inode, if it lives here: ctime, and {@code newParent} in place of {@code oldParent}. */
        private void moveInode(int pid, long inodeId, long oldParent, long newParent, Instant t) {
            Inode inode = reader.inode(pid, inodeId);
            if (inode == null) {
                return;
            }
            Inode.Builder b = inode.toBuilder().setCtime(t.getEpochSecond()).setCtimeNs(t.getNano());
            if (oldParent != newParent) {
                List<Long> parents = new ArrayList<>(inode.getParentList());
                int at = parents.indexOf(oldParent);
                if (at >= 0) {
                    parents.set(at, newParent);
                } else {
                    parents.add(newParent);
                }
                b.clearParent().addAllParent(parents);
            }
            saveInode(pid, b.build());
        }

        /** A replaced file, if it lives here, loses the link from {@code parent}; its nlink after, or NO_NLINK. */
        private int dropLink(int pid, long inodeId, long parent, Instant t) {
            Inode inode = reader.inode(pid, inodeId);
            if (inode == null) {
                return NO_NLINK;
            }
            int nlink = Math.max(0, inode.getNlink() - 1);
            List<Long> parents = new ArrayList<>(inode.getParentList());
            parents.remove(Long.valueOf(parent));
            Inode.Builder b = inode.toBuilder().setNlink(nlink).clearParent().addAllParent(parents)
                    .setCtime(t.getEpochSecond()).setCtimeNs(t.getNano());
            if (nlink == 0) {
                b.setDtime(now.getEpochSecond());
            }
            saveInode(pid, b.build());
            return nlink;
        }

        private Replacement answeredRename(int pid, long requestId) {
            ByteBuffer in = RENAMES.answerOf(batch.get(Table.META, MetaKeys.recentRenames(pid)), requestId);
            return in == null ? null : new Replacement(in.getLong(), FsFileType.forNumber(in.get()), in.getInt());
        }

        private void rememberRename(int pid, long requestId, Replacement replaced) {
            byte[] key = MetaKeys.recentRenames(pid);
            batch.put(Table.META, key, RENAMES.with(batch.get(Table.META, key), requestId, b -> b.putLong(
                    replaced.inodeId()).put((byte) replaced.type().getNumber()).putInt(replaced.nlinkAfter())));
        }

        private static FsFileType typeOf(Dentry d) {
            return d.hasType() ? d.getType()
                    : DentryVersions.hasFlag(d, DentryFlag.TYPE_FILE_FLAG) ? FsFileType.TYPE_FILE
                    : FsFileType.TYPE_DIRECTORY;
        }

        private static boolean isDirectory(Dentry d) {
            return typeOf(d) == FsFileType.TYPE_DIRECTORY;
        }

        /** COMMIT_RENAME_TX / ROLLBACK_RENAME_TX: a no-op unless {@code r} is still the pending rename. */
        Message resolveRenameTx(PrepareRenameTxRequest r, boolean commit) {
            PrepareRenameTxResponse.Builder out = PrepareRenameTxResponse.newBuilder().setAppliedIndex(index);
            int pid = r.getPartitionId();
            if (reader.partition(pid) == null) {
                return out.setStatusCode(MetaStatusCode.PARTITION_NOT_FOUND).build();
            }
            PrepareRenameTxRequest pending = reader.pendingTx(pid);
            if (pending != null && pending.getDentrysList().equals(r.getDentrysList())) {
                if (commit) {
                    commitPending(pid, pending);
                } else {
                    rollbackPending(pid, pending);
                }
            }
            return out.setStatusCode(MetaStatusCode.OK).build();
        }

        /**
         * The prepared versions become the only ones. The parents (whose inodes live in this
         * partition with their dentries) get their times, and their nlink when a directory moves
         * in or out, in the same batch, so a rename's nlink changes are exactly as durable as it.
         */
        private void commitPending(int pid, PrepareRenameTxRequest pending) {
            long dentryDelta = 0;
            for (Dentry d : pending.getDentrysList()) {
                DentryVec vec = reader.dentryVec(pid, d.getParentInodeId(), d.getName());
                Dentry prepared = vec == null ? null : vec.getDentrysList().stream()
                        .filter(v -> v.getTxId() == d.getTxId()
                                && DentryVersions.hasFlag(v, DentryFlag.TRANSACTION_PREPARE_FLAG))
                        .findFirst().orElse(null);
                if (prepared == null) {
                    continue;
                }
                Dentry before = DentryVersions.visible(vec, null);
                int dirBefore = before != null && before.getType() == FsFileType.TYPE_DIRECTORY ? 1 : 0;
                if (DentryVersions.hasFlag(prepared, DentryFlag.DELETE_MARK_FLAG)) {
                    batch.delete(Table.DENTRY, MetaKeys.dentry(pid, d.getParentInodeId(), d.getName()));
                    dentryDelta -= before != null ? 1 : 0;
                    touchParent(pid, d.getParentInodeId(), now, -dirBefore);
                } else {
                    Dentry committed = prepared.toBuilder().setFlag(prepared.getFlag()
                            & ~DentryFlag.TRANSACTION_PREPARE_FLAG.getNumber()).build();
                    putDentryVec(pid, d.getParentInodeId(), d.getName(),
                            DentryVec.newBuilder().addDentrys(committed).build());
                    dentryDelta += before != null ? 0 : 1;
                    int dirAfter = committed.getType() == FsFileType.TYPE_DIRECTORY ? 1 : 0;
                    touchParent(pid, d.getParentInodeId(), now, dirAfter - dirBefore);
                }
            }
            PartitionInfo p = reader.partition(pid);
            savePartition(p.toBuilder().setDentryNum(p.getDentryNum() + dentryDelta).build());
            saveTxFloor(pid, 0, pending.getDentrys(0).getTxId());
            batch.delete(Table.META, MetaKeys.pendingTx(pid));
        }

        private void saveTxFloor(int pid, long txSequence, long committedTxId) {
            long[] floor = reader.txFloor(pid);
            long seq = Long.compareUnsigned(txSequence, floor[0]) > 0 ? txSequence : floor[0];
            long txId = Long.compareUnsigned(committedTxId, floor[1]) > 0 ? committedTxId : floor[1];
            batch.put(Table.META, MetaKeys.txFloor(pid),
                    ByteBuffer.allocate(16).putLong(seq).putLong(txId).array());
        }

        private void rollbackPending(int pid, PrepareRenameTxRequest pending) {
            for (Dentry d : pending.getDentrysList()) {
                DentryVec vec = reader.dentryVec(pid, d.getParentInodeId(), d.getName());
                if (vec == null) {
                    continue;
                }
                DentryVec.Builder rest = DentryVec.newBuilder();
                vec.getDentrysList().stream()
                        .filter(v -> v.getTxId() != d.getTxId()
                                || !DentryVersions.hasFlag(v, DentryFlag.TRANSACTION_PREPARE_FLAG))
                        .forEach(rest::addDentrys);
                putDentryVec(pid, d.getParentInodeId(), d.getName(), rest.build());
            }
            batch.delete(Table.META, MetaKeys.pendingTx(pid));
        }

        private void touchParent(int pid, long parentId, Instant t, int nlinkDelta) {
            Inode parent = reader.inode(pid, parentId);
            if (parent == null) {
                return;
            }
            Inode.Builder b = parent.toBuilder()
                    .setMtime(t.getEpochSecond()).setMtimeNs(t.getNano())
                    .setCtime(t.getEpochSecond()).setCtimeNs(t.getNano());
            b.setNlink(Math.max(0, parent.getNlink() + nlinkDelta));
            saveInode(pid, b.build());
        }

        private void appendChunks(int pid, long inodeId, Map<Long, S3ChunkInfoList> add) {
            for (Map.Entry<Long, S3ChunkInfoList> e : add.entrySet()) {
                byte[] key = MetaKeys.chunk(pid, inodeId, e.getKey());
                S3ChunkInfoList.Builder list = S3ChunkInfoList.newBuilder();
                byte[] old = batch.get(Table.S3_CHUNK, key);
                if (old != null) {
                    list.mergeFrom(MetaReader.parse(() -> S3ChunkInfoList.parseFrom(old)));
                }
                batch.put(Table.S3_CHUNK, key, list.addAllS3Chunks(e.getValue().getS3ChunksList()).build()
                        .toByteArray());
            }
        }

        /** Removes the entries equal in chunkId and compaction to the given ones. */
        private void removeChunks(int pid, long inodeId, Map<Long, S3ChunkInfoList> remove) {
            for (Map.Entry<Long, S3ChunkInfoList> e : remove.entrySet()) {
                byte[] key = MetaKeys.chunk(pid, inodeId, e.getKey());
                byte[] old = batch.get(Table.S3_CHUNK, key);
                if (old == null) {
                    continue;
                }
                List<S3ChunkInfo> gone = e.getValue().getS3ChunksList();
                S3ChunkInfoList.Builder kept = S3ChunkInfoList.newBuilder();
                for (S3ChunkInfo c : MetaReader.parse(() -> S3ChunkInfoList.parseFrom(old)).getS3ChunksList()) {
                    boolean removed = gone.stream().anyMatch(
                            g -> g.getChunkId() == c.getChunkId() && g.getCompaction() == c.getCompaction());
                    if (!removed) {
                        kept.addS3Chunks(c);
                    }
                }
                if (kept.getS3ChunksCount() == 0) {
                    batch.delete(Table.S3_CHUNK, key);
                } else {
                    batch.put(Table.S3_CHUNK, key, kept.build().toByteArray());
                }
            }
        }

        private void insertInode(PartitionInfo.Builder partition, int pid, Inode inode) {
            saveInode(pid, inode);
            int type = inode.getType().getNumber();
            partition.setInodeNum(partition.getInodeNum() + 1)
                    .putFileType2InodeNum(type, partition.getFileType2InodeNumOrDefault(type, 0) + 1);
            savePartition(partition.build());
        }

        private void saveInode(int pid, Inode inode) {
            batch.put(Table.INODE, MetaKeys.inode(pid, inode.getInodeId()),
                    inode.toBuilder().clearS3ChunkInfoMap().build().toByteArray());
        }

        private void savePartition(PartitionInfo p) {
            batch.put(Table.PARTITION, MetaKeys.partition(p.getPartitionId()), p.toByteArray());
        }

        private void putDentryVec(int pid, long parentId, String name, DentryVec vec) {
            byte[] key = MetaKeys.dentry(pid, parentId, name);
            if (vec.getDentrysCount() == 0) {
                batch.delete(Table.DENTRY, key);
            } else {
                batch.put(Table.DENTRY, key, vec.toByteArray());
            }
        }

        private static Inode.Builder directory(long id, int fsId, int uid, int gid, int mode, Instant t) {
            Inode.Builder b = Inode.newBuilder().setInodeId(id).setFsId(fsId).setLength(DIRECTORY_LENGTH)
                    .setUid(uid).setGid(gid).setMode(mode).setNlink(2).setType(FsFileType.TYPE_DIRECTORY);
            stampAllTimes(b, t);
            return b;
        }

        private static void stampAllTimes(Inode.Builder b, Instant t) {
            b.setCtime(t.getEpochSecond()).setCtimeNs(t.getNano())
                    .setMtime(t.getEpochSecond()).setMtimeNs(t.getNano())
                    .setAtime(t.getEpochSecond()).setAtimeNs(t.getNano());
        }

        private static Instant instantOf(Time time) {
            return Instant.ofEpochSecond(time.getSec(), time.getNsec());
        }
    }
}
