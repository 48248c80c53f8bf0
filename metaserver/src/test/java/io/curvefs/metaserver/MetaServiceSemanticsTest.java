package io.curvefs.metaserver;

import static io.curvefs.metaserver.MetaServerFixture.FS;
import static io.curvefs.metaserver.MetaServerFixture.POOL;
import static io.curvefs.metaserver.MetaServerFixture.COPYSET;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.metaserver.BatchGetInodeAttrRequest;
import io.curvefs.proto.metaserver.BatchGetInodeAttrResponse;
import io.curvefs.proto.metaserver.BatchGetXAttrRequest;
import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.CreateRootInodeRequest;
import io.curvefs.proto.metaserver.DeleteDentryRequest;
import io.curvefs.proto.metaserver.DeleteInodeRequest;
import io.curvefs.proto.metaserver.DeleteInodeResponse;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoRequest;
import io.curvefs.proto.metaserver.GetOrModifyS3ChunkInfoResponse;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.InodeAttr;
import io.curvefs.proto.metaserver.ListDentryRequest;
import io.curvefs.proto.metaserver.ListDentryResponse;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import io.curvefs.proto.metaserver.S3ChunkInfoList;
import io.curvefs.proto.metaserver.Time;
import io.curvefs.proto.metaserver.UpdateInodeRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MetaServerService semantics through gRPC against one real metaserver; each test owns a partition. */
class MetaServiceSemanticsTest extends OnOneMetaserver {

    @Test
    void createCopysetAgainWithSamePeersIsExist() {
        assertThat(f.createCopyset()).isEqualTo(COPYSET_OP_STATUS.COPYSET_OP_STATUS_EXIST);
    }

    @Test
    void partitionsAndRootInode() {
        assertThat(f.createPartition(10, 0, 999)).isEqualTo(MetaStatusCode.OK);
        assertThat(f.createPartition(10, 0, 999)).isEqualTo(MetaStatusCode.PARTITION_EXIST);
        assertThat(createRoot(10)).isEqualTo(MetaStatusCode.OK);
        assertThat(createRoot(10)).isEqualTo(MetaStatusCode.INODE_EXIST);
        Inode root = getInode(10, 1).getInode();
        assertThat(root.getType()).isEqualTo(FsFileType.TYPE_DIRECTORY);
        assertThat(root.getNlink()).isEqualTo(2);
        assertThat(root.getLength()).isEqualTo(4096);
        assertThat(root.getCtime()).isEqualTo(100);

        CreateInodeResponse first = createInode(10, FsFileType.TYPE_S3, 1);
        assertThat(first.getInode().getInodeId()).isEqualTo(3);
        assertThat(first.getInode().getNlink()).isEqualTo(1);
        assertThat(first.getInode().getParentList()).containsExactly(1L);
        assertThat(f.partition(10).getNextId()).isEqualTo(4);
        assertThat(f.partition(10).getInodeNum()).isEqualTo(2);

        assertThat(f.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(99).setFsId(FS).setInodeId(1).build()).getStatusCode())
                .isEqualTo(MetaStatusCode.PARTITION_NOT_FOUND);
        assertThat(f.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(42)
                .setPartitionId(10).setFsId(FS).setInodeId(1).build()).getStatusCode())
                .isEqualTo(MetaStatusCode.COPYSET_NOTEXIST);
        assertThat(getInode(10, 77).getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
    }

    @Test
    void dentriesKeepParentNlinkAndTimesAndRetriesAreIdempotent() {
        f.createPartition(11, 1000, 1999);
        long dirId = createInode(11, FsFileType.TYPE_DIRECTORY, 1).getInode().getInodeId();
        assertThat(dirId).isEqualTo(1000);
        assertThat(getInode(11, dirId).getInode().getNlink()).isEqualTo(2);

        long sub = createInode(11, FsFileType.TYPE_DIRECTORY, dirId).getInode().getInodeId();
        long file = createInode(11, FsFileType.TYPE_S3, dirId).getInode().getInodeId();
        assertThat(createDentry(11, dirId, "sub", sub, FsFileType.TYPE_DIRECTORY, 500)).isEqualTo(MetaStatusCode.OK);
        assertThat(createDentry(11, dirId, "file", file, FsFileType.TYPE_S3, 600)).isEqualTo(MetaStatusCode.OK);
        assertThat(createDentry(11, dirId, "sub", sub, FsFileType.TYPE_DIRECTORY, 700)).isEqualTo(MetaStatusCode.OK);
        assertThat(createDentry(11, dirId, "sub", file, FsFileType.TYPE_S3, 700))
                .isEqualTo(MetaStatusCode.DENTRY_EXIST);

        Inode parent = getInode(11, dirId).getInode();
        assertThat(parent.getNlink()).isEqualTo(3);
        assertThat(parent.getMtime()).isEqualTo(600);
        assertThat(parent.getCtime()).isEqualTo(600);
        assertThat(f.partition(11).getDentryNum()).isEqualTo(2);

        GetDentryResponse got = getDentry(11, dirId, "file");
        assertThat(got.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(got.getDentry().getInodeId()).isEqualTo(file);
        assertThat(list(11, dirId, null, 0, false)).containsExactly("file", "sub");
        assertThat(list(11, dirId, null, 0, true)).containsExactly("sub");

        assertThat(deleteDentry(11, dirId, "sub", 800)).isEqualTo(MetaStatusCode.OK);
        assertThat(deleteDentry(11, dirId, "sub", 800)).isEqualTo(MetaStatusCode.NOT_FOUND);
        parent = getInode(11, dirId).getInode();
        assertThat(parent.getNlink()).isEqualTo(2);
        assertThat(parent.getMtime()).isEqualTo(800);
        assertThat(getDentry(11, dirId, "sub").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(f.partition(11).getDentryNum()).isEqualTo(1);

        assertThat(createDentry(11, 5000, "elsewhere", file, FsFileType.TYPE_S3, 900))
                .isEqualTo(MetaStatusCode.PARTITION_ID_MISSMATCH);
    }

    @Test
    void getDentryAnswersWithTheAttrOnlyWhenAskedAndTheInodeIsInThePartition() {
        f.createPartition(14, 4000, 4999);
        DirWithTwoNames d = dirWithTwoNames(14);
        long dirId = d.dir();
        long file = d.here();

        GetDentryResponse here = getDentryWithAttr(14, dirId, "here");
        assertThat(here.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(here.getDentry().getInodeId()).isEqualTo(file);
        assertThat(here.hasInodeAttr()).isTrue();
        assertThat(here.getInodeAttr().getInodeId()).isEqualTo(file);
        assertThat(here.getInodeAttr().getMode()).isEqualTo(0100644);
        assertThat(here.getInodeAttr().getNlink()).isEqualTo(1);
        assertThat(here.getInodeAttr().getParentList()).containsExactly(dirId);

        assertThat(getDentry(14, dirId, "here").hasInodeAttr()).isFalse();
        GetDentryResponse away = getDentryWithAttr(14, dirId, "away");
        assertThat(away.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(away.getDentry().getInodeId()).isEqualTo(9000);
        assertThat(away.hasInodeAttr()).isFalse();
        assertThat(getDentryWithAttr(14, dirId, "missing").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
    }

    @Test
    void tinyPartitionRunsOutOfIdsAndTurnsReadonly() {
        f.createPartition(12, 2000, 2001);
        assertThat(createInode(12, FsFileType.TYPE_S3, 1).getInode().getInodeId()).isEqualTo(2000);
        assertThat(createInode(12, FsFileType.TYPE_S3, 1).getInode().getInodeId()).isEqualTo(2001);
        assertThat(createInode(12, FsFileType.TYPE_S3, 1).getStatusCode())
                .isEqualTo(MetaStatusCode.PARTITION_ALLOC_ID_FAIL);
        PartitionInfo p = f.partition(12);
        assertThat(p.getStatus()).isEqualTo(PartitionStatus.READONLY);
        assertThat(p.getInodeNum()).isEqualTo(2);
        assertThat(createInode(12, FsFileType.TYPE_S3, 1).getStatusCode())
                .isEqualTo(MetaStatusCode.PARTITION_ALLOC_ID_FAIL);
    }

    @Test
    void updateInodeChunksXattrsAndDelete() {
        f.createPartition(13, 3000, 3999);
        long id = createInode(13, FsFileType.TYPE_S3, 1).getInode().getInodeId();
        S3ChunkInfo a = chunk(1, 0);
        S3ChunkInfo b = chunk(2, 0);
        assertThat(f.meta.updateInode(UpdateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(13).setFsId(FS).setInodeId(id).setLength(8192).setMode(0100600)
                .putXattr("user.a", ByteString.copyFromUtf8("1"))
                .putS3ChunkInfoAdd(0, S3ChunkInfoList.newBuilder().addS3Chunks(a).build())
                .build()).getStatusCode()).isEqualTo(MetaStatusCode.OK);
        GetOrModifyS3ChunkInfoResponse modified = f.meta.getOrModifyS3ChunkInfo(
                GetOrModifyS3ChunkInfoRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                        .setPartitionId(13).setFsId(FS).setInodeId(id).setReturnS3ChunkInfoMap(true)
                        .putS3ChunkInfoAdd(0, S3ChunkInfoList.newBuilder().addS3Chunks(b).build())
                        .putS3ChunkInfoRemove(0, S3ChunkInfoList.newBuilder().addS3Chunks(a).build())
                        .build());
        assertThat(modified.getS3ChunkInfoMapMap().get(0L).getS3ChunksList()).containsExactly(b);

        Inode inode = getInode(13, id).getInode();
        assertThat(inode.getLength()).isEqualTo(8192);
        assertThat(inode.getMode()).isEqualTo(0100600);
        assertThat(inode.getUid()).isEqualTo(1000);
        assertThat(inode.getS3ChunkInfoMapMap().get(0L).getS3ChunksList()).containsExactly(b);

        BatchGetInodeAttrResponse attrs = f.meta.batchGetInodeAttr(BatchGetInodeAttrRequest.newBuilder()
                .setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(13).setFsId(FS).addInodeId(id).build());
        assertThat(attrs.getAttr(0).getLength()).isEqualTo(8192);
        assertThat(f.meta.batchGetXAttr(BatchGetXAttrRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(13).setFsId(FS).addInodeId(id).build()).getXattr(0).getXAttrInfosMap())
                .containsKey("user.a");

        f.meta.updateInode(UpdateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(13).setFsId(FS).setInodeId(id).setNlink(0).build());
        assertThat(getInode(13, id).getInode().getDtime()).isPositive();

        assertThat(f.meta.deleteInode(DeleteInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(13).setFsId(FS).setInodeId(id).build()).getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(getInode(13, id).getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(f.partition(13).getInodeNum()).isZero();
    }

    @Test
    void nlinkDeltasAllCountAndARetriedRequestCountsOnce() {
        f.createPartition(15, 5000, 5999);
        long file = createInode(15, FsFileType.TYPE_S3, 1).getInode().getInodeId();
        UpdateInodeRequest plusOne = UpdateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(15).setFsId(FS).setInodeId(file).setNlinkDelta(1).setRequestId(11).build();
        assertThat(f.meta.updateInode(plusOne).getNlink()).isEqualTo(2);
        assertThat(f.meta.updateInode(plusOne).getNlink()).as("the retry is answered, not applied").isEqualTo(2);
        assertThat(f.meta.updateInode(plusOne.toBuilder().setRequestId(12).build()).getNlink()).isEqualTo(3);
        for (long id = 13; id < 13 + 20; id++) {
            f.meta.updateInode(plusOne.toBuilder().setRequestId(id).setNlinkDelta(id % 2 == 0 ? 1 : -1).build());
        }
        assertThat(getInode(15, file).getInode().getNlink()).isEqualTo(3);
        UpdateInodeRequest down = plusOne.toBuilder().setRequestId(40).setNlinkDelta(-5).build();
        assertThat(f.meta.updateInode(down).getNlink()).isZero();
        assertThat(getInode(15, file).getInode().getDtime()).isPositive();
    }

    @Test
    void aRetriedUpdateInodeWithChunkInfosAppendsThemOnce() {
        f.createPartition(17, 7000, 7999);
        long file = createInode(17, FsFileType.TYPE_S3, 1).getInode().getInodeId();
        UpdateInodeRequest close = UpdateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(17).setFsId(FS).setInodeId(file).setLength(4096).setMtime(5).setRequestId(21)
                .putS3ChunkInfoAdd(0, S3ChunkInfoList.newBuilder().addS3Chunks(chunk(7, 0)).build()).build();
        assertThat(f.meta.updateInode(close).getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(f.meta.updateInode(close).getStatusCode()).as("the retry is answered").isEqualTo(MetaStatusCode.OK);
        f.meta.updateInode(close.toBuilder().setRequestId(22).setLength(8192).clearS3ChunkInfoAdd()
                .putS3ChunkInfoAdd(0, S3ChunkInfoList.newBuilder().addS3Chunks(chunk(8, 4096)).build()).build());

        Inode inode = getInode(17, file).getInode();
        assertThat(inode.getLength()).isEqualTo(8192);
        assertThat(inode.getMtime()).isEqualTo(5);
        assertThat(inode.getS3ChunkInfoMapMap().get(0L).getS3ChunksList()).containsExactly(chunk(7, 0), chunk(8, 4096));

        DeleteInodeResponse deleted = f.meta.deleteInode(DeleteInodeRequest.newBuilder().setPoolId(POOL)
                .setCopysetId(COPYSET).setPartitionId(17).setFsId(FS).setInodeId(file).setReturnS3ChunkInfoMap(true)
                .build());
        assertThat(deleted.getS3ChunkInfoMapMap().get(0L).getS3ChunksList())
                .as("the chunk lists come back with the deletion").containsExactly(chunk(7, 0), chunk(8, 4096));
        assertThat(getInode(17, file).getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
    }

    @Test
    void retriesOfCreateInodeAndDeleteDentryAreAnsweredNotReapplied() {
        f.createPartition(16, 6000, 6999);
        CreateInodeRequest create = CreateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(16).setFsId(FS).setLength(0).setUid(0).setGid(0).setMode(0100644)
                .setType(FsFileType.TYPE_S3).setParent(1).setRequestId(77).build();
        long first = f.meta.createInode(create).getInode().getInodeId();
        assertThat(f.meta.createInode(create).getInode().getInodeId()).isEqualTo(first);
        assertThat(f.partition(16).getInodeNum()).isEqualTo(1);
        assertThat(f.meta.createInode(create.toBuilder().setRequestId(78).build()).getInode().getInodeId())
                .isEqualTo(first + 1);

        createDentry(16, 6000, "gone", first, FsFileType.TYPE_S3, 5);
        DeleteDentryRequest delete = DeleteDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(16).setFsId(FS).setParentInodeId(6000).setName("gone").setRequestId(90).build();
        assertThat(f.meta.deleteDentry(delete).getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(f.meta.deleteDentry(delete).getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(f.meta.deleteDentry(delete.toBuilder().setRequestId(91).build()).getStatusCode())
                .isEqualTo(MetaStatusCode.NOT_FOUND);
    }

    @Test
    void aListingWithAttributesCarriesThoseOfTheInodesInItsPartition() {
        f.createPartition(18, 8000, 8999);
        DirWithTwoNames d = dirWithTwoNames(18);
        ListDentryRequest.Builder listing = ListDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(18).setFsId(FS).setDirInodeId(d.dir()).setCount(10);

        ListDentryResponse with = f.meta.listDentry(listing.setReturnInodeAttr(true).build());
        assertThat(with.getDentrysList()).extracting(Dentry::getName).containsExactly("away", "here");
        assertThat(with.getInodeAttrList()).as("only the inode in this partition's id range")
                .extracting(InodeAttr::getInodeId).containsExactly(d.here());
        assertThat(with.getInodeAttr(0).getMode()).isEqualTo(0100644);
        assertThat(f.meta.listDentry(listing.setReturnInodeAttr(false).build()).getInodeAttrCount()).isZero();
    }

    /** A directory holding "here", a file of the partition, and "away", naming inode 9000 outside it. */
    private record DirWithTwoNames(long dir, long here) {
    }

    private static DirWithTwoNames dirWithTwoNames(int partition) {
        long dir = createInode(partition, FsFileType.TYPE_DIRECTORY, 1).getInode().getInodeId();
        long file = createInode(partition, FsFileType.TYPE_S3, dir).getInode().getInodeId();
        assertThat(createDentry(partition, dir, "here", file, FsFileType.TYPE_S3, 500)).isEqualTo(MetaStatusCode.OK);
        assertThat(createDentry(partition, dir, "away", 9000, FsFileType.TYPE_S3, 500)).isEqualTo(MetaStatusCode.OK);
        return new DirWithTwoNames(dir, file);
    }

    private static S3ChunkInfo chunk(long chunkId, long offset) {
        return S3ChunkInfo.newBuilder().setChunkId(chunkId).setCompaction(0).setOffset(offset).setLen(4096)
                .setSize(4096).setZero(false).build();
    }

    private static MetaStatusCode createRoot(int partition) {
        return f.meta.createRootInode(CreateRootInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setUid(0).setGid(0).setMode(040755)
                .setCreate(Time.newBuilder().setSec(100).setNsec(0)).build()).getStatusCode();
    }

    static CreateInodeResponse createInode(int partition, FsFileType type, long parent) {
        return f.meta.createInode(CreateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setLength(0).setUid(1000).setGid(1000)
                .setMode(type == FsFileType.TYPE_DIRECTORY ? 040755 : 0100644).setType(type).setParent(parent)
                .build());
    }

    private static io.curvefs.proto.metaserver.GetInodeResponse getInode(int partition, long id) {
        return f.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setInodeId(id).build());
    }

    private static Dentry.Builder dentry(long parent, String name, long inode) {
        return Dentry.newBuilder().setFsId(FS).setParentInodeId(parent).setName(name).setInodeId(inode);
    }

    private static MetaStatusCode createDentry(int partition, long parent, String name, long inode,
            FsFileType type, long sec) {
        return f.meta.createDentry(CreateDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setDentry(dentry(parent, name, inode).setType(type))
                .setCreate(Time.newBuilder().setSec(sec).setNsec(0)).build()).getStatusCode();
    }

    private static MetaStatusCode deleteDentry(int partition, long parent, String name, long sec) {
        return f.meta.deleteDentry(DeleteDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setParentInodeId(parent).setName(name)
                .setCreate(Time.newBuilder().setSec(sec).setNsec(0)).build()).getStatusCode();
    }

    private static GetDentryResponse getDentryWithAttr(int partition, long parent, String name) {
        return f.meta.getDentry(GetDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setParentInodeId(parent).setName(name)
                .setReturnInodeAttr(true).build());
    }

    static List<String> list(int partition, long dir, String last, int count, boolean onlyDir) {
        ListDentryRequest.Builder r = ListDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setDirInodeId(dir).setCount(count).setOnlyDir(onlyDir);
        if (last != null) {
            r.setLast(last);
        }
        return f.meta.listDentry(r.build()).getDentrysList().stream().map(Dentry::getName).toList();
    }
}
