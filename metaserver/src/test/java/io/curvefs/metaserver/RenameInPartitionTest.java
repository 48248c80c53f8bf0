package io.curvefs.metaserver;

import static io.curvefs.metaserver.MetaServerFixture.COPYSET;
import static io.curvefs.metaserver.MetaServerFixture.FS;
import static io.curvefs.metaserver.MetaServerFixture.POOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.DentryFlag;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.InodeAttr;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import io.curvefs.proto.metaserver.RenameInPartitionRequest;
import io.curvefs.proto.metaserver.RenameInPartitionResponse;
import io.curvefs.proto.metaserver.Time;
import io.curvefs.proto.metaserver.UpdateInodeRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * RenameInPartition on a real metaserver: a rename whose parents keep their dentries in one
 * partition, applied as one entry, beside (never across) the v1 rename transactions. Each test
 * owns its partitions.
 */
class RenameInPartitionTest extends OnOneMetaserver {

    private static final long SECOND = 1_700_000_000L;
    private static final AtomicLong REQUEST_IDS = new AtomicLong(1);

    @Test
    void overwritingAFileTakesItsLinkAndKeepsTheCountersExact() {
        f.createPartition(40, 40000, 40999);
        long d = newInode(40, FsFileType.TYPE_DIRECTORY, 1);
        long a = newInode(40, FsFileType.TYPE_S3, d);
        long t = newInode(40, FsFileType.TYPE_S3, d);
        createDentry(40, d, "a", a, FsFileType.TYPE_S3);
        createDentry(40, d, "t", t, FsFileType.TYPE_S3);
        assertThat(f.partition(40).getDentryNum()).isEqualTo(2);

        RenameInPartitionRequest request = rename(40, d, "a", d, "t", a, 7);
        RenameInPartitionResponse r = f.meta.renameInPartition(request);

        assertThat(r.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(r.getReplaced().getInodeId()).isEqualTo(t);
        assertThat(r.getReplaced().getType()).isEqualTo(FsFileType.TYPE_S3);
        assertThat(r.getReplacedNlink()).isZero();
        assertThat(r.getAttrsList()).extracting(InodeAttr::getInodeId).containsExactlyInAnyOrder(d, a, t);
        assertThat(getDentry(40, d, "a").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(getDentry(40, d, "t").getDentry().getInodeId()).isEqualTo(a);
        assertThat(f.partition(40).getDentryNum()).isEqualTo(1);
        Inode parent = inode(40, d);
        assertThat(parent.getNlink()).isEqualTo(2);
        assertThat(parent.getMtime()).isEqualTo(SECOND + 7);
        assertThat(inode(40, a).getCtime()).isEqualTo(SECOND + 7);
        Inode replaced = inode(40, t);
        assertThat(replaced.getNlink()).isZero();
        assertThat(replaced.getParentList()).isEmpty();
        assertThat(replaced.hasDtime()).isTrue();

        RenameInPartitionResponse retry = f.meta.renameInPartition(request);
        assertThat(retry.getStatusCode()).as("a resend after a lost answer").isEqualTo(MetaStatusCode.OK);
        assertThat(retry.getReplaced().getInodeId()).isEqualTo(t);
        assertThat(retry.getReplacedNlink()).isZero();
        assertThat(f.partition(40).getDentryNum()).isEqualTo(1);
        assertThat(getDentry(40, d, "t").getDentry().getInodeId()).isEqualTo(a);
    }

    @Test
    void aHardLinkedTargetKeepsItsOtherNameAndARetryComesAfterLaterRenames() {
        f.createPartition(41, 41000, 41999);
        long d = newInode(41, FsFileType.TYPE_DIRECTORY, 1);
        long a = newInode(41, FsFileType.TYPE_S3, d);
        long t = newInode(41, FsFileType.TYPE_S3, d);
        createDentry(41, d, "a", a, FsFileType.TYPE_S3);
        createDentry(41, d, "t", t, FsFileType.TYPE_S3);
        createDentry(41, d, "t2", t, FsFileType.TYPE_S3);
        f.meta.updateInode(UpdateInodeRequest.newBuilder().setPoolId(POOL)
                .setCopysetId(COPYSET).setPartitionId(41).setFsId(FS).setInodeId(t).setNlink(2)
                .addAllParent(List.of(d, d)).build());

        RenameInPartitionResponse sameInode = f.meta.renameInPartition(rename(41, d, "t", d, "t2", t, 1));
        assertThat(sameInode.getReplaced().getInodeId()).as("two names of one inode both stay").isEqualTo(t);
        assertThat(getDentry(41, d, "t").getDentry().getInodeId()).isEqualTo(t);
        assertThat(inode(41, t).getNlink()).isEqualTo(2);

        RenameInPartitionRequest first = rename(41, d, "a", d, "t", a, 1);
        assertThat(f.meta.renameInPartition(first).getReplacedNlink()).isEqualTo(1);
        assertThat(inode(41, t).getParentList()).containsExactly(d);
        assertThat(f.meta.renameInPartition(rename(41, d, "t", d, "b", a, 2)).getStatusCode())
                .isEqualTo(MetaStatusCode.OK);

        RenameInPartitionResponse retry = f.meta.renameInPartition(first);
        assertThat(retry.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(retry.getReplacedNlink()).isEqualTo(1);
        assertThat(inode(41, t).getNlink()).as("counted once").isEqualTo(1);
        assertThat(getDentry(41, d, "b").getDentry().getInodeId()).isEqualTo(a);
        assertThat(getDentry(41, d, "t").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(f.partition(41).getDentryNum()).isEqualTo(2);
    }

    @Test
    void aDirectoryMovesBetweenParentsOfOnePartitionAndReplacesAnEmptyDirectory() {
        f.createPartition(42, 42000, 42999);
        long p1 = newInode(42, FsFileType.TYPE_DIRECTORY, 1);
        long p2 = newInode(42, FsFileType.TYPE_DIRECTORY, 1);
        long x = newInode(42, FsFileType.TYPE_DIRECTORY, p1);
        long empty = newInode(42, FsFileType.TYPE_DIRECTORY, p2);
        createDentry(42, p1, "x", x, FsFileType.TYPE_DIRECTORY);
        createDentry(42, p2, "e", empty, FsFileType.TYPE_DIRECTORY);

        RenameInPartitionResponse moved = f.meta.renameInPartition(rename(42, p1, "x", p2, "y", x, 3));
        assertThat(moved.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(moved.hasReplaced()).isFalse();
        assertThat(inode(42, p1).getNlink()).isEqualTo(2);
        assertThat(inode(42, p2).getNlink()).isEqualTo(4);
        assertThat(inode(42, x).getParentList()).containsExactly(p2);
        assertThat(f.partition(42).getDentryNum()).isEqualTo(2);

        RenameInPartitionResponse replaced = f.meta.renameInPartition(rename(42, p2, "y", p2, "e", x, 4));
        assertThat(replaced.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        assertThat(replaced.getReplaced().getInodeId()).isEqualTo(empty);
        assertThat(replaced.hasReplacedNlink()).as("a directory is released by the client").isFalse();
        assertThat(inode(42, p2).getNlink()).isEqualTo(3);
        assertThat(getDentry(42, p2, "e").getDentry().getInodeId()).isEqualTo(x);
        assertThat(f.partition(42).getDentryNum()).isEqualTo(1);
    }

    @Test
    void aDirectoryThatIsNotEmptyIsNotReplacedAndNothingChanges() {
        f.createPartition(43, 43000, 43999);
        long d = newInode(43, FsFileType.TYPE_DIRECTORY, 1);
        long x = newInode(43, FsFileType.TYPE_DIRECTORY, d);
        long full = newInode(43, FsFileType.TYPE_DIRECTORY, d);
        long child = newInode(43, FsFileType.TYPE_S3, full);
        createDentry(43, d, "x", x, FsFileType.TYPE_DIRECTORY);
        createDentry(43, d, "full", full, FsFileType.TYPE_DIRECTORY);
        createDentry(43, full, "child", child, FsFileType.TYPE_S3);

        assertThat(f.meta.renameInPartition(rename(43, d, "x", d, "full", x, 5)).getStatusCode())
                .isEqualTo(MetaStatusCode.DIRECTORY_NOT_EMPTY);
        assertThat(getDentry(43, d, "x").getDentry().getInodeId()).isEqualTo(x);
        assertThat(getDentry(43, d, "full").getDentry().getInodeId()).isEqualTo(full);
        assertThat(inode(43, d).getNlink()).isEqualTo(4);
        assertThat(f.partition(43).getDentryNum()).isEqualTo(3);
        assertThat(f.meta.renameInPartition(rename(43, d, "x", d, "y", full, 6)).getStatusCode())
                .as("the old name no longer names the inode").isEqualTo(MetaStatusCode.NOT_FOUND);
    }

    /**
     * A pending v1 rename keeps its names (and the directory it is moving an entry into) from a
     * local rename until it resolves; other names of the partition rename beside it, and its
     * commit afterwards still counts exactly.
     */
    @Test
    void namesOfAPendingTransactionAreRefusedUntilItResolves() {
        f.createPartition(44, 44000, 44999);
        f.createPartition(45, 45000, 45999);
        long d = newInode(44, FsFileType.TYPE_DIRECTORY, 1);
        long other = newInode(45, FsFileType.TYPE_DIRECTORY, 1);
        long a = newInode(44, FsFileType.TYPE_S3, d);
        long b = newInode(44, FsFileType.TYPE_S3, d);
        long target = newInode(44, FsFileType.TYPE_DIRECTORY, d);
        long x = newInode(44, FsFileType.TYPE_S3, d);
        createDentry(44, d, "a", a, FsFileType.TYPE_S3);
        createDentry(44, d, "b", b, FsFileType.TYPE_S3);
        createDentry(44, d, "target", target, FsFileType.TYPE_DIRECTORY);
        createDentry(45, other, "x", x, FsFileType.TYPE_S3);
        mds.txIds.put(44, 0L);
        mds.txIds.put(45, 0L);
        long sequence = mds.txSequence.incrementAndGet();
        // other/x -> d/target/x, across partitions 45 and 44, prepared and not committed.
        Dentry gone = dentry(other, "x", x).setTxId(1).setTxSequence(sequence)
                .setFlag(DentryFlag.DELETE_MARK_FLAG.getNumber() | 1).build();
        Dentry added = dentry(target, "x", x).setTxId(1).setTxSequence(sequence).setFlag(1).build();
        assertThat(prepare(45, gone)).isEqualTo(MetaStatusCode.OK);
        assertThat(prepare(44, added)).isEqualTo(MetaStatusCode.OK);

        assertThat(f.meta.renameInPartition(rename(44, d, "b", d, "target", b, 1)).getStatusCode())
                .as("a directory a pending rename moves an entry into").isEqualTo(MetaStatusCode.TX_INPROGRESS);
        RenameInPartitionResponse beside = f.meta.renameInPartition(rename(44, d, "a", d, "c", a, 2));
        assertThat(beside.getStatusCode()).as("other names of the partition").isEqualTo(MetaStatusCode.OK);
        assertThat(pendingTx(44)).isNotNull();

        mds.txIds.put(44, 1L);
        mds.txIds.put(45, 1L);
        mds.txSequence.incrementAndGet();
        RenameInPartitionResponse afterCommit = f.meta.renameInPartition(rename(44, d, "b", d, "target", b, 3));
        assertThat(afterCommit.getStatusCode()).as("the committed move made the directory non-empty")
                .isEqualTo(MetaStatusCode.DIRECTORY_NOT_EMPTY);
        assertThat(pendingTx(44)).isNull();
        assertThat(getDentry(44, target, "x").getDentry().getInodeId()).isEqualTo(x);
        assertThat(getDentry(44, d, "c").getDentry().getInodeId()).isEqualTo(a);
        assertThat(f.partition(44).getDentryNum()).isEqualTo(4);
        assertThat(inode(44, d).getNlink()).isEqualTo(3);
    }

    @Test
    void aNameWithAPreparedVersionIsInProgress() {
        f.createPartition(46, 46000, 46999);
        long d = newInode(46, FsFileType.TYPE_DIRECTORY, 1);
        long a = newInode(46, FsFileType.TYPE_S3, d);
        long b = newInode(46, FsFileType.TYPE_S3, d);
        createDentry(46, d, "a", a, FsFileType.TYPE_S3);
        createDentry(46, d, "b", b, FsFileType.TYPE_S3);
        mds.txIds.put(46, 0L);
        long sequence = mds.txSequence.incrementAndGet();
        Dentry gone = dentry(d, "a", a).setTxId(1).setTxSequence(sequence)
                .setFlag(DentryFlag.DELETE_MARK_FLAG.getNumber() | 1).build();
        Dentry added = dentry(d, "z", a).setTxId(1).setTxSequence(sequence).setFlag(1).build();
        assertThat(prepare(46, gone, added)).isEqualTo(MetaStatusCode.OK);

        assertThat(f.meta.renameInPartition(rename(46, d, "a", d, "y", a, 1)).getStatusCode())
                .as("the pending source").isEqualTo(MetaStatusCode.TX_INPROGRESS);
        assertThat(f.meta.renameInPartition(rename(46, d, "b", d, "z", b, 2)).getStatusCode())
                .as("the pending target").isEqualTo(MetaStatusCode.TX_INPROGRESS);
        assertThat(getDentry(46, d, "b").getDentry().getInodeId()).isEqualTo(b);

        // Abandoned: another renamer took the MDS lock since; the next rename rolls it back first.
        mds.txSequence.incrementAndGet();
        assertThat(f.meta.renameInPartition(rename(46, d, "b", d, "z", b, 3)).getStatusCode())
                .isEqualTo(MetaStatusCode.OK);
        assertThat(pendingTx(46)).isNull();
        assertThat(getDentry(46, d, "a").getDentry().getInodeId()).isEqualTo(a);
        assertThat(getDentry(46, d, "z").getDentry().getInodeId()).isEqualTo(b);
        assertThat(f.partition(46).getDentryNum()).isEqualTo(2);
    }

    private static RenameInPartitionRequest rename(int partition, long oldParent, String oldName, long newParent,
            String newName, long inode, long second) {
        return RenameInPartitionRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(partition)
                .setFsId(FS).setOldParentInodeId(oldParent).setOldName(oldName).setNewParentInodeId(newParent)
                .setNewName(newName).setInodeId(inode).setTime(Time.newBuilder().setSec(SECOND + second).setNsec(0))
                .setRequestId(REQUEST_IDS.getAndIncrement()).build();
    }

    private static Inode inode(int partition, long inode) {
        return f.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setInodeId(inode).build()).getInode();
    }

    private static Dentry.Builder dentry(long parent, String name, long inode) {
        return Dentry.newBuilder().setFsId(FS).setParentInodeId(parent).setName(name).setInodeId(inode)
                .setType(FsFileType.TYPE_S3);
    }

    private static void createDentry(int partition, long parent, String name, long inode, FsFileType type) {
        assertThat(f.meta.createDentry(CreateDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setDentry(dentry(parent, name, inode).setType(type)
                        .setFlag(type == FsFileType.TYPE_DIRECTORY ? 0 : 1)).build())
                .getStatusCode()).isEqualTo(MetaStatusCode.OK);
    }

}
