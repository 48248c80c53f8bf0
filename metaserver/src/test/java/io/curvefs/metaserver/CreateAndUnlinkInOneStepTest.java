package io.curvefs.metaserver;

import static io.curvefs.metaserver.MetaServerFixture.COPYSET;
import static io.curvefs.metaserver.MetaServerFixture.FS;
import static io.curvefs.metaserver.MetaServerFixture.POOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.DeleteDentryRequest;
import io.curvefs.proto.metaserver.DeleteDentryResponse;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.DentryFlag;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.GetInodeResponse;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import io.curvefs.proto.metaserver.S3ChunkInfoList;
import io.curvefs.proto.metaserver.Time;
import io.curvefs.proto.metaserver.UpdateInodeRequest;
import org.junit.jupiter.api.Test;

/**
 * A CreateInode with a dentryName and a DeleteDentry with an unlinkInodeId, each applied as one
 * step on a real metaserver: what they write, what a resend is answered, and that a refused one
 * writes nothing. Each test owns a partition.
 */
class CreateAndUnlinkInOneStepTest extends OnOneMetaserver {

    @Test
    void aCreateAddsInodeAndDentryAndItsResendGetsTheSameInode() {
        f.createPartition(40, 40_000, 40_999);
        long parent = createDirectory(40);
        CreateInodeRequest create = create(40, parent, "file", FsFileType.TYPE_S3, 700).setRequestId(5).build();
        CreateInodeResponse first = f.meta.createInode(create);
        assertThat(first.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(first.getDentryCreated()).isTrue();
        Inode file = first.getInode();
        assertThat(file.getParentList()).containsExactly(parent);
        assertThat(file.getNlink()).isEqualTo(1);
        assertThat(file.getCtime()).isEqualTo(700);

        Dentry dentry = getDentry(40, parent, "file").getDentry();
        assertThat(dentry.getInodeId()).isEqualTo(file.getInodeId());
        assertThat(dentry.getType()).isEqualTo(FsFileType.TYPE_S3);
        assertThat(dentry.getFlag()).isEqualTo(DentryFlag.TYPE_FILE_FLAG.getNumber());
        Inode dir = getInode(40, parent).getInode();
        assertThat(dir.getNlink()).as("a file does not count in its parent's nlink").isEqualTo(2);
        assertThat(dir.getMtime()).isEqualTo(700);
        assertThat(dir.getCtime()).isEqualTo(700);
        PartitionInfo after = f.partition(40);
        assertThat(after.getInodeNum()).isEqualTo(2);
        assertThat(after.getDentryNum()).isEqualTo(1);
        assertThat(after.getFileType2InodeNumMap()).containsEntry(FsFileType.TYPE_S3.getNumber(), 1L);
        assertThat(after.getNextId()).isEqualTo(file.getInodeId() + 1);

        CreateInodeResponse resent = f.meta.createInode(create);
        assertThat(resent.getStatusCode()).as("not EXISTS because of its own first attempt")
                .isEqualTo(MetaStatusCode.OK);
        assertThat(resent.getInode()).isEqualTo(file);
        assertThat(resent.getDentryCreated()).isTrue();
        assertThat(f.partition(40)).isEqualTo(after);
    }

    @Test
    void aDirectoryCreatedWithItsDentryCountsInItsParentsNlink() {
        f.createPartition(41, 41_000, 41_999);
        long parent = createDirectory(41);
        Inode sub = f.meta.createInode(create(41, parent, "sub", FsFileType.TYPE_DIRECTORY, 800).build()).getInode();
        assertThat(sub.getNlink()).isEqualTo(2);
        assertThat(getDentry(41, parent, "sub").getDentry().getFlag()).isZero();
        assertThat(getInode(41, parent).getInode().getNlink()).isEqualTo(3);
        assertThat(f.partition(41).getFileType2InodeNumMap())
                .containsEntry(FsFileType.TYPE_DIRECTORY.getNumber(), 2L);
    }

    @Test
    void aCreateOfATakenNameIsExistsAndWritesNothing() {
        f.createPartition(42, 42_000, 42_999);
        long parent = createDirectory(42);
        f.meta.createInode(create(42, parent, "taken", FsFileType.TYPE_S3, 700).build());
        PartitionInfo before = f.partition(42);
        Inode dirBefore = getInode(42, parent).getInode();

        CreateInodeResponse refused = f.meta.createInode(create(42, parent, "taken", FsFileType.TYPE_S3, 900)
                .setRequestId(6).build());
        assertThat(refused.getStatusCode()).isEqualTo(MetaStatusCode.DENTRY_EXIST);
        assertThat(refused.hasInode()).isFalse();
        assertThat(f.partition(42)).as("no id used, nothing counted").isEqualTo(before);
        assertThat(getInode(42, before.getNextId()).getStatusCode()).as("no orphan inode")
                .isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(getInode(42, parent).getInode()).isEqualTo(dirBefore);
    }

    @Test
    void namesOfAPendingRenameAreRefusedWithTxInProgressAndNothingIsWritten() {
        f.createPartition(43, 43_000, 43_999);
        mds.txIds.put(43, 0L);
        long parent = createDirectory(43);
        long a = created(43, parent, "a", FsFileType.TYPE_S3, 700);
        long sequence = mds.txSequence.get();
        Dentry source = Dentry.newBuilder().setFsId(FS).setParentInodeId(parent).setName("a").setInodeId(a)
                .setType(FsFileType.TYPE_S3).setTxId(1).setTxSequence(sequence)
                .setFlag(DentryFlag.DELETE_MARK_FLAG.getNumber()).build();
        Dentry target = source.toBuilder().setName("b").setFlag(DentryFlag.TYPE_FILE_FLAG.getNumber()).build();
        assertThat(f.meta.prepareRenameTx(PrepareRenameTxRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(43).addDentrys(source).addDentrys(target).build()).getStatusCode())
                .isEqualTo(MetaStatusCode.OK);
        PartitionInfo before = f.partition(43);

        assertThat(f.meta.createInode(create(43, parent, "b", FsFileType.TYPE_S3, 800).build()).getStatusCode())
                .isEqualTo(MetaStatusCode.TX_INPROGRESS);
        assertThat(f.meta.deleteDentry(unlink(43, parent, "a", a, true).build()).getStatusCode())
                .isEqualTo(MetaStatusCode.TX_INPROGRESS);
        assertThat(f.partition(43)).isEqualTo(before);
        assertThat(getInode(43, a).getInode().getNlink()).isEqualTo(1);
    }

    @Test
    void anUnlinkOfTheLastLinkDeletesTheInodeAndAnswersItsChunks() {
        f.createPartition(44, 44_000, 44_999);
        long parent = createDirectory(44);
        long file = created(44, parent, "f", FsFileType.TYPE_S3, 700);
        f.meta.updateInode(UpdateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(44)
                .setFsId(FS).setInodeId(file).setLength(4096)
                .putS3ChunkInfoAdd(0, S3ChunkInfoList.newBuilder().addS3Chunks(chunk(7)).build()).build());

        DeleteDentryRequest unlink = unlink(44, parent, "f", file, true).setRequestId(31).build();
        DeleteDentryResponse first = f.meta.deleteDentry(unlink);
        assertThat(first.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(first.getInodeId()).isEqualTo(file);
        assertThat(first.getLinkDropped()).isTrue();
        assertThat(first.getInodeDeleted()).isTrue();
        assertThat(first.getUnlinkedInode().getNlink()).isZero();
        assertThat(first.getUnlinkedInode().getLength()).isEqualTo(4096);
        assertThat(first.getS3ChunkInfoMapMap().get(0L).getS3ChunksList()).containsExactly(chunk(7));
        assertThat(getInode(44, file).getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(getDentry(44, parent, "f").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(getInode(44, parent).getInode().getMtime()).isEqualTo(900);
        PartitionInfo after = f.partition(44);
        assertThat(after.getInodeNum()).isEqualTo(1);
        assertThat(after.getDentryNum()).isZero();
        assertThat(after.getFileType2InodeNumMap()).containsEntry(FsFileType.TYPE_S3.getNumber(), 0L);

        DeleteDentryResponse resent = f.meta.deleteDentry(unlink);
        assertThat(resent.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(resent.getInodeId()).isEqualTo(file);
        assertThat(resent.getLinkDropped()).isTrue();
        assertThat(resent.getInodeDeleted()).isTrue();
        assertThat(f.partition(44)).isEqualTo(after);
    }

    @Test
    void anUnlinkOfOneOfTwoLinksDropsOneLinkAndItsParent() {
        f.createPartition(45, 45_000, 45_999);
        long parent = createDirectory(45);
        long other = createDirectory(45);
        long file = created(45, parent, "one", FsFileType.TYPE_S3, 700);
        f.meta.updateInode(UpdateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(45)
                .setFsId(FS).setInodeId(file).setNlinkDelta(1).setRequestId(1).addParent(parent).addParent(other)
                .build());
        f.meta.createDentry(CreateDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(45)
                .setDentry(Dentry.newBuilder().setFsId(FS).setParentInodeId(other).setName("two").setInodeId(file)
                        .setType(FsFileType.TYPE_S3)).build());

        DeleteDentryRequest unlink = unlink(45, parent, "one", file, true).setRequestId(32).build();
        DeleteDentryResponse first = f.meta.deleteDentry(unlink);
        assertThat(first.getLinkDropped()).isTrue();
        assertThat(first.getInodeDeleted()).isFalse();
        Inode left = getInode(45, file).getInode();
        assertThat(left.getNlink()).isEqualTo(1);
        assertThat(left.getParentList()).containsExactly(other);
        assertThat(left.getCtime()).isEqualTo(900);
        assertThat(first.getUnlinkedInode()).isEqualTo(left);

        DeleteDentryResponse resent = f.meta.deleteDentry(unlink);
        assertThat(resent.getUnlinkedInode().getNlink()).as("dropped once").isEqualTo(1);
        assertThat(getInode(45, file).getInode()).isEqualTo(left);
    }

    @Test
    void anUnlinkThatKeepsTheInodeLeavesItAtNlinkZero() {
        f.createPartition(46, 46_000, 46_999);
        long parent = createDirectory(46);
        long file = created(46, parent, "open", FsFileType.TYPE_S3, 700);
        DeleteDentryResponse r = f.meta.deleteDentry(unlink(46, parent, "open", file, false).build());
        assertThat(r.getLinkDropped()).isTrue();
        assertThat(r.getInodeDeleted()).isFalse();
        Inode kept = getInode(46, file).getInode();
        assertThat(kept.getNlink()).isZero();
        assertThat(kept.hasDtime()).isTrue();
        assertThat(f.partition(46).getInodeNum()).isEqualTo(2);
    }

    @Test
    void aLinkElsewhereOrOfAnotherInodeIsLeftToTheClient() {
        f.createPartition(47, 47_000, 47_999);
        long parent = createDirectory(47);
        long file = created(47, parent, "mine", FsFileType.TYPE_S3, 700);
        f.meta.createDentry(CreateDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(47)
                .setDentry(Dentry.newBuilder().setFsId(FS).setParentInodeId(parent).setName("away").setInodeId(9_000)
                        .setType(FsFileType.TYPE_S3)).build());

        DeleteDentryResponse away = f.meta.deleteDentry(unlink(47, parent, "away", 9_000, true).build());
        assertThat(away.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(away.getInodeId()).isEqualTo(9_000);
        assertThat(away.getLinkDropped()).isFalse();
        assertThat(getDentry(47, parent, "away").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);

        DeleteDentryResponse replaced = f.meta.deleteDentry(unlink(47, parent, "mine", file + 1, true).build());
        assertThat(replaced.getInodeId()).as("the name named another inode than meant").isEqualTo(file);
        assertThat(replaced.getLinkDropped()).isFalse();
        assertThat(getInode(47, file).getInode().getNlink()).isEqualTo(1);
        assertThat(f.partition(47).getDentryNum()).isZero();
    }

    @Test
    void anRmdirInOneRequestRefusesADirectoryWithEntriesAndDeletesAnEmptyOne() {
        f.createPartition(48, 48_000, 48_999);
        long parent = createDirectory(48);
        long sub = created(48, parent, "sub", FsFileType.TYPE_DIRECTORY, 700);
        long file = created(48, sub, "f", FsFileType.TYPE_S3, 701);
        PartitionInfo before = f.partition(48);
        DeleteDentryRequest rmdir = unlink(48, parent, "sub", sub, true).setType(FsFileType.TYPE_DIRECTORY).build();

        assertThat(f.meta.deleteDentry(rmdir).getStatusCode()).isEqualTo(MetaStatusCode.DIRECTORY_NOT_EMPTY);
        assertThat(f.partition(48)).as("nothing written").isEqualTo(before);
        assertThat(getDentry(48, parent, "sub").getDentry().getInodeId()).isEqualTo(sub);

        assertThat(f.meta.deleteDentry(unlink(48, sub, "f", file, true).build()).getInodeDeleted()).isTrue();
        DeleteDentryResponse removed = f.meta.deleteDentry(rmdir.toBuilder().setRequestId(11).build());
        assertThat(removed.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(removed.getLinkDropped()).isTrue();
        assertThat(removed.getInodeDeleted()).isTrue();
        assertThat(getInode(48, sub).getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(getInode(48, parent).getInode().getNlink()).isEqualTo(2);
        assertThat(f.partition(48).getInodeNum()).isEqualTo(1);
        assertThat(f.partition(48).getDentryNum()).isZero();
        DeleteDentryResponse resent = f.meta.deleteDentry(rmdir.toBuilder().setRequestId(11).build());
        assertThat(resent.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(resent.getInodeDeleted()).as("a resend answers the same").isTrue();
    }

    /** The id of a new inode created with its dentry. */
    private static long created(int partition, long parent, String name, FsFileType type, long sec) {
        return f.meta.createInode(create(partition, parent, name, type, sec).build()).getInode().getInodeId();
    }

    private static long createDirectory(int partition) {
        return f.meta.createInode(CreateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setLength(4096).setUid(0).setGid(0).setMode(040755)
                .setType(FsFileType.TYPE_DIRECTORY).setParent(1).build()).getInode().getInodeId();
    }

    private static CreateInodeRequest.Builder create(int partition, long parent, String name, FsFileType type,
                                                     long sec) {
        return CreateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(partition)
                .setFsId(FS).setLength(0).setUid(1000).setGid(1000)
                .setMode(type == FsFileType.TYPE_DIRECTORY ? 040755 : 0100644).setType(type).setParent(parent)
                .setCreate(Time.newBuilder().setSec(sec).setNsec(0)).setDentryName(name);
    }

    private static DeleteDentryRequest.Builder unlink(int partition, long parent, String name, long inode,
                                                      boolean deleteAtLastLink) {
        return DeleteDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(partition)
                .setFsId(FS).setParentInodeId(parent).setName(name).setType(FsFileType.TYPE_S3)
                .setCreate(Time.newBuilder().setSec(900).setNsec(0)).setUnlinkInodeId(inode)
                .setDeleteAtLastLink(deleteAtLastLink);
    }

    private static GetInodeResponse getInode(int partition, long id) {
        return f.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setInodeId(id).build());
    }

    private static S3ChunkInfo chunk(long chunkId) {
        return S3ChunkInfo.newBuilder().setChunkId(chunkId).setCompaction(0).setOffset(0).setLen(4096)
                .setSize(4096).setZero(false).build();
    }
}
