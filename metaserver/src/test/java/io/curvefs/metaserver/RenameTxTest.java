package io.curvefs.metaserver;

import static io.curvefs.metaserver.MetaServerFixture.COPYSET;
import static io.curvefs.metaserver.MetaServerFixture.FS;
import static io.curvefs.metaserver.MetaServerFixture.POOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.DeleteDentryRequest;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.DentryFlag;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.ListDentryRequest;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rename transactions (v1) on a real metaserver, with a fake MDS that says which partition
 * txIds are committed: the crash cases (prepared but never committed, committed but not yet
 * resolved here) and how the next use of a name resolves them. Each test owns its partitions.
 */
class RenameTxTest extends OnOneMetaserver {

    /** Two partitions, a directory in each, and a sub-directory "x" in the first. */
    private record Layout(int srcPartition, long srcDir, int dstPartition, long dstDir, long moved) {
    }

    private static Layout layout(int srcPartition, int dstPartition) {
        f.createPartition(srcPartition, srcPartition * 1000L, srcPartition * 1000L + 999);
        f.createPartition(dstPartition, dstPartition * 1000L, dstPartition * 1000L + 999);
        long srcDir = newInode(srcPartition, FsFileType.TYPE_DIRECTORY, 1);
        long dstDir = newInode(dstPartition, FsFileType.TYPE_DIRECTORY, 1);
        long moved = newInode(dstPartition, FsFileType.TYPE_DIRECTORY, srcDir);
        assertThat(createDentry(srcPartition, srcDir, "x", moved, FsFileType.TYPE_DIRECTORY))
                .isEqualTo(MetaStatusCode.OK);
        assertThat(nlink(srcPartition, srcDir)).isEqualTo(3);
        mds.txIds.put(srcPartition, 0L);
        mds.txIds.put(dstPartition, 0L);
        return new Layout(srcPartition, srcDir, dstPartition, dstDir, moved);
    }

    /** Prepares x -> y across the layout's partitions under the MDS's current txSequence. */
    private static void prepareMove(Layout l) {
        long sequence = mds.txSequence.get();
        Dentry source = dentry(l.srcDir(), "x", l.moved()).setTxId(1).setTxSequence(sequence)
                .setFlag(DentryFlag.DELETE_MARK_FLAG.getNumber()).build();
        Dentry target = dentry(l.dstDir(), "y", l.moved()).setTxId(1).setTxSequence(sequence).build();
        assertThat(prepare(l.srcPartition(), source)).isEqualTo(MetaStatusCode.OK);
        assertThat(prepare(l.dstPartition(), target)).isEqualTo(MetaStatusCode.OK);
        assertThat(prepare(l.dstPartition(), target)).as("a retried prepare").isEqualTo(MetaStatusCode.OK);
    }

    @Test
    void crashBetweenPrepareAndCommitKeepsTheOldNameAndRollsBackOnceTheTxCannotCommit() {
        Layout l = layout(20, 21);
        prepareMove(l);

        assertThat(getDentry(l.srcPartition(), l.srcDir(), "x").getDentry().getInodeId()).isEqualTo(l.moved());
        assertThat(getDentry(l.dstPartition(), l.dstDir(), "y").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(list(l.dstPartition(), l.dstDir())).isEmpty();
        assertThat(createDentry(l.dstPartition(), l.dstDir(), "y", 777, FsFileType.TYPE_S3))
                .as("a name a pending rename may replace").isEqualTo(MetaStatusCode.TX_INPROGRESS);
        assertThat(deleteDentry(l.srcPartition(), l.srcDir(), "x")).isEqualTo(MetaStatusCode.TX_INPROGRESS);

        // The client died; the next renamer took the MDS lock and moved the txSequence on.
        mds.txSequence.incrementAndGet();
        assertThat(getDentry(l.srcPartition(), l.srcDir(), "x").getDentry().getInodeId()).isEqualTo(l.moved());
        assertThat(getDentry(l.dstPartition(), l.dstDir(), "y").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(pendingTx(l.srcPartition())).isNull();
        assertThat(pendingTx(l.dstPartition())).isNull();
        assertThat(nlink(l.srcPartition(), l.srcDir())).isEqualTo(3);
        assertThat(nlink(l.dstPartition(), l.dstDir())).isEqualTo(2);
        assertThat(createDentry(l.dstPartition(), l.dstDir(), "y", 777, FsFileType.TYPE_S3))
                .isEqualTo(MetaStatusCode.OK);
    }

    @Test
    void afterTheMdsCommitTheNewNameWinsOnNextReadAndParentsGetTheirNlink() {
        Layout l = layout(22, 23);
        prepareMove(l);

        // CommitTx at the MDS, then the client died before telling anyone.
        mds.txIds.put(l.srcPartition(), 1L);
        mds.txIds.put(l.dstPartition(), 1L);
        mds.txSequence.incrementAndGet();

        assertThat(getDentry(l.dstPartition(), l.dstDir(), "y").getDentry().getInodeId()).isEqualTo(l.moved());
        assertThat(list(l.srcPartition(), l.srcDir())).isEmpty();
        assertThat(getDentry(l.srcPartition(), l.srcDir(), "x").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(pendingTx(l.srcPartition())).isNull();
        assertThat(pendingTx(l.dstPartition())).isNull();
        assertThat(nlink(l.srcPartition(), l.srcDir())).isEqualTo(2);
        assertThat(nlink(l.dstPartition(), l.dstDir())).isEqualTo(3);
        assertThat(f.partition(l.srcPartition()).getDentryNum()).isZero();
        assertThat(f.partition(l.dstPartition()).getDentryNum()).isEqualTo(1);
    }

    @Test
    void aReadCarryingTheNewTxIdProvesTheCommitAndAnOverwrittenTargetIsReplaced() {
        f.createPartition(24, 24000, 24999);
        long d = newInode(24, FsFileType.TYPE_DIRECTORY, 1);
        long a = newInode(24, FsFileType.TYPE_S3, d);
        long t = newInode(24, FsFileType.TYPE_S3, d);
        createDentry(24, d, "a", a, FsFileType.TYPE_S3);
        createDentry(24, d, "t", t, FsFileType.TYPE_S3);
        long sequence = mds.txSequence.incrementAndGet();
        Dentry source = dentry(d, "a", a).setType(FsFileType.TYPE_S3).setTxId(1).setTxSequence(sequence)
                .setFlag(DentryFlag.DELETE_MARK_FLAG.getNumber() | 1).build();
        Dentry target = dentry(d, "t", a).setType(FsFileType.TYPE_S3).setTxId(1).setTxSequence(sequence)
                .setFlag(1).build();
        assertThat(prepare(24, source, target)).isEqualTo(MetaStatusCode.OK);
        Dentry older = dentry(d, "t", a).setType(FsFileType.TYPE_S3).setTxId(1).setTxSequence(sequence - 1).build();
        assertThat(prepare(24, older)).isEqualTo(MetaStatusCode.HANDLE_PENDING_TX_FAILED);

        assertThat(getDentry(24, d, "t").getDentry().getInodeId()).as("not committed yet").isEqualTo(t);
        assertThat(getDentry(24, d, "t", 1).getDentry().getInodeId()).isEqualTo(a);
        assertThat(getDentry(24, d, "t").getDentry().getInodeId()).isEqualTo(a);
        assertThat(getDentry(24, d, "a").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(pendingTx(24)).isNull();
        assertThat(f.partition(24).getDentryNum()).isEqualTo(1);
        assertThat(nlink(24, d)).isEqualTo(2);
    }

    @Test
    void prepareRefusesASourceThatNoLongerNamesTheInode() {
        f.createPartition(25, 25000, 25999);
        long d = newInode(25, FsFileType.TYPE_DIRECTORY, 1);
        long a = newInode(25, FsFileType.TYPE_S3, d);
        createDentry(25, d, "a", a, FsFileType.TYPE_S3);
        Dentry stale = dentry(d, "a", a + 100).setTxId(1).setTxSequence(mds.txSequence.get())
                .setFlag(DentryFlag.DELETE_MARK_FLAG.getNumber()).build();
        Dentry target = dentry(d, "b", a + 100).setTxId(1).setTxSequence(mds.txSequence.get()).build();
        assertThat(prepare(25, stale, target)).isEqualTo(MetaStatusCode.NOT_FOUND);
        assertThat(pendingTx(25)).isNull();
        assertThat(getDentry(25, d, "b").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
    }

    /**
     * A prepare that arrives late (its sender stalled past its lock) must not be taken: neither at
     * a txId already committed in the partition, nor under a lock grant older than one already seen.
     */
    @Test
    void latePreparesOfAnOlderLockGrantAreRefused() {
        f.createPartition(26, 26000, 26999);
        long d = newInode(26, FsFileType.TYPE_DIRECTORY, 1);
        long a = newInode(26, FsFileType.TYPE_S3, d);
        long b = newInode(26, FsFileType.TYPE_S3, d);
        createDentry(26, d, "a", a, FsFileType.TYPE_S3);
        createDentry(26, d, "b", b, FsFileType.TYPE_S3);
        long stalled = mds.txSequence.incrementAndGet();
        long current = mds.txSequence.incrementAndGet();
        Dentry moveB = dentry(d, "b", b).setType(FsFileType.TYPE_S3).setTxId(1).setTxSequence(current)
                .setFlag(DentryFlag.DELETE_MARK_FLAG.getNumber() | 1).build();
        Dentry toC = dentry(d, "c", b).setType(FsFileType.TYPE_S3).setTxId(1).setTxSequence(current).setFlag(1).build();
        assertThat(prepare(26, moveB, toC)).isEqualTo(MetaStatusCode.OK);
        Dentry moveA = dentry(d, "a", a).setType(FsFileType.TYPE_S3).setTxId(1).setTxSequence(stalled)
                .setFlag(DentryFlag.DELETE_MARK_FLAG.getNumber() | 1).build();
        Dentry toE = dentry(d, "e", a).setType(FsFileType.TYPE_S3).setTxId(1).setTxSequence(stalled).setFlag(1).build();
        assertThat(prepare(26, moveA, toE)).as("older grant").isEqualTo(MetaStatusCode.HANDLE_PENDING_TX_FAILED);

        mds.txIds.put(26, 1L);
        mds.txSequence.incrementAndGet();
        assertThat(getDentry(26, d, "c").getDentry().getInodeId()).as("b -> c committed").isEqualTo(b);
        Dentry lateA = moveA.toBuilder().setTxSequence(mds.txSequence.get()).build();
        Dentry lateE = toE.toBuilder().setTxSequence(mds.txSequence.get()).build();
        assertThat(prepare(26, lateA, lateE)).as("a txId already committed").isEqualTo(MetaStatusCode.HANDLE_PENDING_TX_FAILED);
        assertThat(getDentry(26, d, "a").getDentry().getInodeId()).isEqualTo(a);
        assertThat(getDentry(26, d, "e").getStatusCode()).isEqualTo(MetaStatusCode.NOT_FOUND);
    }

    private static long nlink(int partition, long inode) {
        return f.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setInodeId(inode).build()).getInode().getNlink();
    }

    private static Dentry.Builder dentry(long parent, String name, long inode) {
        return Dentry.newBuilder().setFsId(FS).setParentInodeId(parent).setName(name).setInodeId(inode)
                .setType(FsFileType.TYPE_DIRECTORY);
    }

    private static MetaStatusCode createDentry(int partition, long parent, String name, long inode,
            FsFileType type) {
        return f.meta.createDentry(CreateDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setDentry(dentry(parent, name, inode).setType(type)).build())
                .getStatusCode();
    }

    private static MetaStatusCode deleteDentry(int partition, long parent, String name) {
        return f.meta.deleteDentry(DeleteDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setParentInodeId(parent).setName(name).build())
                .getStatusCode();
    }

    private static GetDentryResponse getDentry(int partition, long parent, String name, long txId) {
        return f.meta.getDentry(GetDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setParentInodeId(parent).setName(name).setTxId(txId)
                .build());
    }

    private static List<String> list(int partition, long directory) {
        return f.meta.listDentry(ListDentryRequest.newBuilder().setPoolId(POOL)
                .setCopysetId(COPYSET).setPartitionId(partition).setFsId(FS).setDirInodeId(directory).build())
                .getDentrysList().stream().map(Dentry::getName).toList();
    }
}
