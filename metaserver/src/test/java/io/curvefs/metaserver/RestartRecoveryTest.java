package io.curvefs.metaserver;

import static io.curvefs.metaserver.MetaServerFixture.COPYSET;
import static io.curvefs.metaserver.MetaServerFixture.FS;
import static io.curvefs.metaserver.MetaServerFixture.POOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.copyset.CopysetStatusRequest;
import io.curvefs.proto.copyset.CopysetStatusResponse;
import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatRequest;
import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.MetaStatusCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts on the same data directory: from the log, from a snapshot plus the log, and from a
 * snapshot alone when the database is gone. Also the MDS identity and heartbeat contents.
 */
class RestartRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void everythingComesBackAfterRestartsAndSnapshots() throws Exception {
        try (FakeMds mds = new FakeMds(); MetaServerFixture f = new MetaServerFixture(dir, mds)) {
            assertThat(f.createCopyset()).isEqualTo(COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS);
            f.awaitLeader();
            f.createPartition(1, 0, 999);
            createFile(f, "before-restart");

            f.restart();
            assertPresent(f, "before-restart", 3);
            assertThat(f.partition(1).getNextId()).isEqualTo(4);

            f.node().snapshot();
            createFile(f, "after-snapshot");
            f.restart();
            assertPresent(f, "before-restart", 3);
            assertPresent(f, "after-snapshot", 4);

            f.node().snapshot();
            createFile(f, "after-second-snapshot");
            f.stop();
            deleteTree(dir.resolve("copysets/1-1/db"));
            f.start();
            f.awaitLeader();
            assertPresent(f, "before-restart", 3);
            assertPresent(f, "after-snapshot", 4);
            assertPresent(f, "after-second-snapshot", 5);
            assertThat(f.partition(1).getInodeNum()).isEqualTo(3);
            assertThat(f.partition(1).getDentryNum()).isEqualTo(3);
            assertThat(f.partition(1).getNextId()).isEqualTo(6);

            CopysetStatusResponse status = f.copysets.getCopysetStatus(CopysetStatusRequest.newBuilder()
                    .setPoolId(POOL).setCopysetId(COPYSET).setPeer(f.self()).build());
            assertThat(status.getCopysetStatus().getLeader().getAddress()).isEqualTo(f.server.address() + ":0");
            assertThat(status.getCopysetStatus().getState()).isEqualTo(1);
            assertThat(status.getCopysetStatus().getKnownAppliedIndex()).isPositive();

            assertThat(mds.registrations).hasSize(1);
            assertThat(mds.registrations.get(0).getInternalPort()).isEqualTo(f.server.address().port());
            assertThat(f.server.metaServerId()).contains(7);
            int seen = mds.heartbeats.size();
            MetaServerFixture.await(() -> mds.heartbeats.size() > seen + 1, "a heartbeat after restart");
            MetaServerHeartbeatRequest beat = mds.heartbeats.get(mds.heartbeats.size() - 1);
            assertThat(beat.getMetaServerID()).isEqualTo(7);
            assertThat(beat.getToken()).isEqualTo("token-7");
            assertThat(beat.getCopysetCount()).isEqualTo(1);
            assertThat(beat.getLeaderCount()).isEqualTo(1);
            assertThat(beat.getSpaceStatus().getDiskThresholdByte()).isPositive();
            CopySetInfo info = beat.getCopysetInfos(0);
            assertThat(info.getLeaderPeer().getAddress()).isEqualTo(f.server.address() + ":0");
            assertThat(info.getPeersList()).containsExactly(f.self());
            assertThat(info.getPartitionInfoList(0).getInodeNum()).isEqualTo(3);
            assertThat(info.getPartitionInfoList(0).getDentryNum()).isEqualTo(3);
        }
    }

    private static void createFile(MetaServerFixture f, String name) {
        long id = f.meta.createInode(CreateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(1).setFsId(FS).setLength(0).setUid(0).setGid(0).setMode(0100644)
                .setType(FsFileType.TYPE_S3).setParent(1).build()).getInode().getInodeId();
        assertThat(f.meta.createDentry(CreateDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(1).setDentry(Dentry.newBuilder().setFsId(FS).setParentInodeId(1).setName(name)
                        .setInodeId(id).setType(FsFileType.TYPE_S3))
                .build()).getStatusCode()).isEqualTo(MetaStatusCode.OK);
    }

    private static void assertPresent(MetaServerFixture f, String name, long inodeId) {
        assertThat(f.meta.getDentry(GetDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(1).setFsId(FS).setParentInodeId(1).setName(name).build()).getDentry().getInodeId())
                .isEqualTo(inodeId);
        assertThat(f.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(1).setFsId(FS).setInodeId(inodeId).build()).getStatusCode())
                .isEqualTo(MetaStatusCode.OK);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
