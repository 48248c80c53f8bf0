package io.curvefs.mds;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.AllocateS3ChunkRequest;
import io.curvefs.proto.mds.CommitTxRequest;
import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.CreateFsResponse;
import io.curvefs.proto.mds.DeleteFsRequest;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsDelta;
import io.curvefs.proto.mds.FsDetail;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.FsStatus;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.mds.GetLatestTxIdRequest;
import io.curvefs.proto.mds.GetLatestTxIdResponse;
import io.curvefs.proto.mds.ListClusterFsInfoRequest;
import io.curvefs.proto.mds.MountFsRequest;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.proto.mds.PartitionTxId;
import io.curvefs.proto.mds.RefreshSessionRequest;
import io.curvefs.proto.mds.RefreshSessionResponse;
import io.curvefs.proto.mds.TsoRequest;
import io.curvefs.proto.mds.UmountFsRequest;
import io.curvefs.proto.mds.UpdateFsInfoRequest;
import io.curvefs.proto.topology.GetCopysetOfPartitionRequest;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.proto.topology.TopoStatusCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MdsServerTest {

    @TempDir
    Path dir;

    private MdsTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MdsTestCluster start() {
        return start(c -> c);
    }

    private MdsTestCluster start(UnaryOperator<MdsConfig> tune) {
        cluster = new MdsTestCluster(dir, tune);
        return cluster;
    }

    private CreateFsResponse createFs(CreateFsRequest request) {
        return cluster.client.mds(s -> s.createFs(request));
    }

    private FsInfo fsInfo(String name) {
        var r = cluster.client.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder().setFsName(name).build()));
        assertThat(r.getStatusCode()).isEqualTo(FSStatusCode.OK);
        return r.getFsInfo();
    }

    private List<PartitionInfo> partitions(int fsId) {
        return cluster.client.topology(s -> s.listPartition(ListPartitionRequest.newBuilder().setFsId(fsId).build()))
                .getPartitionInfoListList();
    }

    private FSStatusCode mount(String fs, Mountpoint mp) {
        return cluster.client.mds(s -> s.mountFs(MountFsRequest.newBuilder().setFsName(fs).setMountpoint(mp)
                .build())).getStatusCode();
    }

    private FSStatusCode umount(String fs, Mountpoint mp) {
        return cluster.client.mds(s -> s.umountFs(UmountFsRequest.newBuilder().setFsName(fs).setMountpoint(mp)
                .build())).getStatusCode();
    }

    private FSStatusCode deleteFs(String fs) {
        return cluster.client.mds(s -> s.deleteFs(DeleteFsRequest.newBuilder().setFsName(fs).build()))
                .getStatusCode();
    }

    @Test
    void createFsMakesPartitionsOnACopysetAndTheRootInode() {
        start();
        FakeMetaserver metaserver = cluster.addMetaserver();

        CreateFsResponse r = createFs(cluster.s3Fs("data-1").build());

        assertThat(r.getStatusCode()).isEqualTo(FSStatusCode.OK);
        FsInfo info = r.getFsInfo();
        assertThat(info.getStatus()).isEqualTo(FsStatus.INITED);
        assertThat(info.getRootInodeId()).isEqualTo(1);
        assertThat(Files.isDirectory(dir.resolve("objects").resolve("bucket"))).isTrue();

        List<PartitionInfo> parts = partitions(info.getFsId());
        assertThat(parts).hasSize(12);
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i).getStart()).isEqualTo(i * (1L << 20));
            assertThat(parts.get(i).getEnd()).isEqualTo((i + 1) * (1L << 20) - 1);
        }
        assertThat(metaserver.partitions).hasSize(12);
        assertThat(metaserver.copysets).hasSize(1);
        assertThat(metaserver.copysets.values().iterator().next())
                .extracting(p -> p.getAddress()).containsExactly(metaserver.address() + ":0");
        FakeMetaserver.RootInode root = metaserver.rootInodes.get(info.getFsId());
        assertThat(root.partitionId()).isEqualTo(parts.get(0).getPartitionId());
        assertThat(root.mode()).isEqualTo(040000 | 01777);
        assertThat(root.uid()).isZero();
        assertThat(root.gid()).isZero();

        var copysets = cluster.client.topology(s -> s.getCopysetOfPartition(GetCopysetOfPartitionRequest
                .newBuilder().addPartitionId(parts.get(3).getPartitionId()).build()));
        assertThat(copysets.getStatusCode()).isEqualTo(TopoStatusCode.TOPO_OK);
        assertThat(copysets.getCopysetMapMap().get(parts.get(3).getPartitionId()).getPeersList())
                .extracting(p -> p.getAddress()).containsExactly(metaserver.address() + ":0");
    }

    @Test
    void createFsIsIdempotentAndRefusesOtherParameters() {
        start();
        cluster.addMetaserver();
        FsInfo first = createFs(cluster.s3Fs("same").build()).getFsInfo();

        CreateFsResponse again = createFs(cluster.s3Fs("same").build());
        CreateFsResponse other = createFs(cluster.s3Fs("same").setBlockSize(8192).build());

        assertThat(again.getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(again.getFsInfo().getFsId()).isEqualTo(first.getFsId());
        assertThat(partitions(first.getFsId())).hasSize(12);
        assertThat(other.getStatusCode()).isEqualTo(FSStatusCode.FS_EXIST);
    }

    @Test
    void createFsChecksNameSizesAndDataStore() throws Exception {
        start();
        cluster.addMetaserver();
        assertThat(createFs(cluster.s3Fs("Bad_Name").build()).getStatusCode()).isEqualTo(FSStatusCode.FSNAME_INVALID);
        assertThat(createFs(cluster.s3Fs("a--b").build()).getStatusCode()).isEqualTo(FSStatusCode.FSNAME_INVALID);

        CreateFsRequest.Builder oddChunk = cluster.s3Fs("odd");
        S3Info s3 = oddChunk.getFsDetail().getS3Info().toBuilder().setChunkSize((64 << 20) + 1).build();
        oddChunk.setFsDetail(FsDetail.newBuilder().setS3Info(s3));
        assertThat(createFs(oddChunk.build()).getStatusCode()).isEqualTo(FSStatusCode.PARAM_ERROR);

        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        CreateFsRequest.Builder badStore = cluster.s3Fs("bad-store");
        badStore.setFsDetail(FsDetail.newBuilder().setS3Info(badStore.getFsDetail().getS3Info().toBuilder()
                .setEndpoint(notADir.toUri().toString())));
        assertThat(createFs(badStore.build()).getStatusCode()).isEqualTo(FSStatusCode.S3_INFO_ERROR);

        CreateFsRequest.Builder unreachable = cluster.s3Fs("unreachable");
        unreachable.setFsDetail(FsDetail.newBuilder().setS3Info(unreachable.getFsDetail().getS3Info().toBuilder()
                .setEndpoint("http://127.0.0.1:1")));
        assertThat(createFs(unreachable.build()).getStatusCode()).isEqualTo(FSStatusCode.S3_INFO_ERROR);

        assertThat(cluster.client.mds(s -> s.listClusterFsInfo(ListClusterFsInfoRequest.getDefaultInstance()))
                .getFsInfoList()).isEmpty();
    }

    @Test
    void aFailedCreateIsFinishedByTheNextCreate() {
        start();
        FakeMetaserver metaserver = cluster.addMetaserver();
        metaserver.refusePartitions.set(true);

        assertThat(createFs(cluster.s3Fs("resume").build()).getStatusCode())
                .isEqualTo(FSStatusCode.CREATE_PARTITION_ERROR);
        assertThat(fsInfo("resume").getStatus()).isEqualTo(FsStatus.NEW);
        assertThat(mount("resume", MdsTestCluster.mountpoint("h", "/mnt", true)))
                .isEqualTo(FSStatusCode.NOT_INITED);

        metaserver.refusePartitions.set(false);
        CreateFsResponse resumed = createFs(cluster.s3Fs("resume").build());

        assertThat(resumed.getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(resumed.getFsInfo().getStatus()).isEqualTo(FsStatus.INITED);
        assertThat(partitions(resumed.getFsInfo().getFsId())).hasSize(12);
        assertThat(metaserver.rootInodes).containsKey(resumed.getFsInfo().getFsId());
    }

    @Test
    void mountRulesAndDeleteWhileMounted() {
        start();
        FakeMetaserver metaserver = cluster.addMetaserver();
        int fsId = createFs(cluster.s3Fs("shared").build()).getFsInfo().getFsId();
        Mountpoint a = MdsTestCluster.mountpoint("host-a", "/mnt/a", true);

        assertThat(mount("shared", a.toBuilder().clearCto().build())).isEqualTo(FSStatusCode.PARAM_ERROR);
        assertThat(mount("missing", a)).isEqualTo(FSStatusCode.NOT_FOUND);
        assertThat(mount("shared", a)).isEqualTo(FSStatusCode.OK);
        assertThat(mount("shared", a)).isEqualTo(FSStatusCode.MOUNT_POINT_EXIST);
        assertThat(mount("shared", MdsTestCluster.mountpoint("host-b", "/mnt/b", false)))
                .isEqualTo(FSStatusCode.MOUNT_POINT_CONFLICT);
        assertThat(mount("shared", MdsTestCluster.mountpoint("host-b", "/mnt/b", true))).isEqualTo(FSStatusCode.OK);
        assertThat(fsInfo("shared").getMountNum()).isEqualTo(2);

        cluster.restartMds();
        assertThat(fsInfo("shared").getMountpointsList()).hasSize(2);
        assertThat(deleteFs("shared")).isEqualTo(FSStatusCode.FS_BUSY);

        assertThat(umount("shared", a)).isEqualTo(FSStatusCode.OK);
        assertThat(umount("shared", a)).isEqualTo(FSStatusCode.MOUNT_POINT_NOT_EXIST);
        assertThat(umount("shared", MdsTestCluster.mountpoint("host-b", "/mnt/b", true))).isEqualTo(FSStatusCode.OK);
        assertThat(deleteFs("shared")).isEqualTo(FSStatusCode.OK);

        assertThat(metaserver.partitions).isEmpty();
        assertThat(partitions(fsId)).isEmpty();
        assertThat(cluster.client.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder().setFsName("shared").build()))
                .getStatusCode()).isEqualTo(FSStatusCode.NOT_FOUND);
        CreateFsResponse reused = createFs(cluster.s3Fs("shared").build());
        assertThat(reused.getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(reused.getFsInfo().getFsId()).isNotEqualTo(fsId);
    }

    @Test
    void mountsThatStopRefreshingAreDropped() {
        start(c -> c.withSessionTimeout(Duration.ofSeconds(1)));
        cluster.addMetaserver();
        createFs(cluster.s3Fs("sessions").build());
        Mountpoint quiet = MdsTestCluster.mountpoint("quiet", "/mnt", true);
        Mountpoint alive = MdsTestCluster.mountpoint("alive", "/mnt", true);
        mount("sessions", quiet);
        mount("sessions", alive);

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Mountpoint> left;
        do {
            RefreshSessionResponse r = cluster.client.mds(s -> s.refreshSession(RefreshSessionRequest.newBuilder()
                    .setFsName("sessions").setMountpoint(alive).build()));
            assertThat(r.getStatusCode()).isEqualTo(FSStatusCode.OK);
            left = fsInfo("sessions").getMountpointsList();
            assertThat(System.nanoTime()).isLessThan(deadline);
        } while (left.size() != 1);

        assertThat(left).extracting(Mountpoint::getHostname).containsExactly("alive");
        assertThat(fsInfo("sessions").getMountNum()).isEqualTo(1);
    }

    @Test
    void refreshSessionTracksUsageCapacityAndNewerTxIds() {
        start();
        cluster.addMetaserver();
        FsInfo info = createFs(cluster.s3Fs("quota").build()).getFsInfo();
        Mountpoint mp = MdsTestCluster.mountpoint("h", "/mnt", true);
        mount("quota", mp);
        int p0 = partitions(info.getFsId()).get(0).getPartitionId();
        int p1 = partitions(info.getFsId()).get(1).getPartitionId();

        cluster.client.mds(s -> s.updateFsInfo(UpdateFsInfoRequest.newBuilder().setFsName("quota")
                .setCapacity(1 << 30).build()));
        cluster.client.mds(s -> s.commitTx(CommitTxRequest.newBuilder()
                .addPartitionTxIds(PartitionTxId.newBuilder().setPartitionId(p0).setTxId(3)).build()));
        RefreshSessionResponse r = cluster.client.mds(s -> s.refreshSession(RefreshSessionRequest.newBuilder()
                .setFsName("quota").setMountpoint(mp).setFsDelta(FsDelta.newBuilder().setBytes(4096))
                .addTxIds(PartitionTxId.newBuilder().setPartitionId(p0).setTxId(0))
                .addTxIds(PartitionTxId.newBuilder().setPartitionId(p1).setTxId(0)).build()));

        assertThat(r.getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(r.getFsCapacity()).isEqualTo(1 << 30);
        assertThat(r.getFsUsedBytes()).isEqualTo(4096);
        assertThat(r.getLatestTxIdListList()).containsExactly(
                PartitionTxId.newBuilder().setPartitionId(p0).setTxId(3).build());

        cluster.restartMds();
        RefreshSessionResponse after = cluster.client.mds(s -> s.refreshSession(RefreshSessionRequest.newBuilder()
                .setFsName("quota").setMountpoint(mp).setFsDelta(FsDelta.newBuilder().setBytes(-1024)).build()));
        assertThat(after.getFsUsedBytes()).isEqualTo(3072);
    }

    @Test
    void lockedCommitNeedsTheLockAndTheCurrentSequence() {
        start();
        cluster.addMetaserver();
        FsInfo info = createFs(cluster.s3Fs("rename").build()).getFsInfo();
        int p0 = partitions(info.getFsId()).get(0).getPartitionId();
        GetLatestTxIdRequest lockA = GetLatestTxIdRequest.newBuilder().setLock(true).setFsName("rename")
                .setUuid("client-a").build();

        GetLatestTxIdResponse locked = cluster.client.mds(s -> s.getLatestTxId(lockA));
        assertThat(locked.getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(locked.getTxIdsList()).hasSize(12);
        assertThat(cluster.client.mds(s -> s.getLatestTxId(lockA.toBuilder().setUuid("client-b").build()))
                .getStatusCode()).isEqualTo(FSStatusCode.LOCK_FAILED);

        CommitTxRequest commit = CommitTxRequest.newBuilder().setLock(true).setFsName("rename").setUuid("client-a")
                .setTxSequence(locked.getTxSequence())
                .addPartitionTxIds(PartitionTxId.newBuilder().setPartitionId(p0).setTxId(1)).build();
        assertThat(cluster.client.mds(s -> s.commitTx(commit.toBuilder().setTxSequence(99).build()))
                .getStatusCode()).isEqualTo(FSStatusCode.COMMIT_TX_SEQUENCE_MISMATCH);
        assertThat(cluster.client.mds(s -> s.commitTx(commit)).getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(cluster.client.mds(s -> s.commitTx(commit)).getStatusCode())
                .as("a resend of the commit that went through").isEqualTo(FSStatusCode.OK);
        assertThat(cluster.client.mds(s -> s.commitTx(commit.toBuilder().setUuid("client-b").build())).getStatusCode())
                .isEqualTo(FSStatusCode.LOCK_TIMEOUT);

        GetLatestTxIdResponse unlocked = cluster.client.mds(s -> s.getLatestTxId(
                GetLatestTxIdRequest.newBuilder().setFsId(info.getFsId()).build()));
        assertThat(unlocked.getTxSequence()).as("metaservers judge pending renames by it")
                .isEqualTo(locked.getTxSequence() + 1);
        assertThat(unlocked.getTxIdsList()).contains(PartitionTxId.newBuilder().setPartitionId(p0).setTxId(1).build());

        cluster.restartMds();
        FsInfo after = fsInfo("rename");
        assertThat(after.getTxSequence()).isEqualTo(locked.getTxSequence() + 1);
        assertThat(after.getTxOwner()).isEqualTo("client-a");
        assertThat(partitions(info.getFsId()).get(0).getTxId()).isEqualTo(1);

        GetLatestTxIdResponse again = cluster.client.mds(s -> s.getLatestTxId(lockA));
        assertThat(again.getTxSequence()).as("every grant has a sequence of its own").isGreaterThan(after.getTxSequence());
        assertThat(cluster.client.mds(s -> s.commitTx(commit)).getStatusCode())
                .as("the old grant's commit").isEqualTo(FSStatusCode.COMMIT_TX_SEQUENCE_MISMATCH);
    }

    @Test
    void chunkIdsAndTimestampsNeverRepeatAcrossRestarts() {
        start();
        cluster.addMetaserver();
        int fsId = createFs(cluster.s3Fs("chunks").build()).getFsInfo().getFsId();
        Set<Long> chunkIds = new HashSet<>();
        long lastTs = 0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5; i++) {
                var r = cluster.client.mds(s -> s.allocateS3Chunk(AllocateS3ChunkRequest.newBuilder()
                        .setFsId(fsId).setChunkIdNum(700).build()));
                assertThat(r.getStatusCode()).isEqualTo(FSStatusCode.OK);
                for (long id = r.getBeginChunkId(); id < r.getBeginChunkId() + 700; id++) {
                    assertThat(chunkIds.add(id)).as("chunk id %d handed out twice", id).isTrue();
                }
                long ts = cluster.client.mds(s -> s.tso(TsoRequest.getDefaultInstance())).getTs();
                assertThat(ts).isGreaterThan(lastTs);
                lastTs = ts;
            }
            cluster.restartMds();
        }
        assertThat(cluster.client.mds(s -> s.allocateS3Chunk(AllocateS3ChunkRequest.newBuilder()
                .setFsId(fsId + 100).build())).getStatusCode()).isEqualTo(FSStatusCode.NOT_FOUND);
    }
}
