package io.curvefs.metaserver;

import static io.curvefs.metaserver.MetaServerFixture.COPYSET;
import static io.curvefs.metaserver.MetaServerFixture.FS;
import static io.curvefs.metaserver.MetaServerFixture.POOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.cli2.TransferLeaderRequest2;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatRequest;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.MetaStatusCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three metaservers in one copyset, peers given by their gRPC addresses only (Raft endpoints come
 * from the port rule): the leader serves, followers redirect, leadership moves on request, and
 * after the leader stops a new one keeps the data.
 */
class ThreeReplicaCopysetTest {

    @TempDir
    Path dir;

    @Test
    void followersRedirectAndANewLeaderKeepsTheData() throws Exception {
        FakeMds mds = new FakeMds();
        List<MetaServerFixture> servers = new ArrayList<>();
        try {
            for (String name : List.of("a", "b", "c")) {
                servers.add(new MetaServerFixture(dir.resolve(name), mds));
            }
            List<Peer> peers = servers.stream().map(MetaServerFixture::self).toList();
            for (MetaServerFixture s : servers) {
                assertThat(s.createCopyset(peers)).isEqualTo(COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS);
            }
            MetaServerFixture leader = awaitLeader(servers);
            MetaServerFixture follower = servers.stream().filter(s -> s != leader).findFirst().orElseThrow();
            for (MetaServerFixture s : servers) {
                MetaServerFixture.await(() -> mds.heartbeats.stream().anyMatch(h -> h.getPort() == s.server.address()
                        .port() && h.getCopysetInfosCount() == 1 && h.getCopysetInfos(0).getLeaderPeer().getAddress()
                        .equals(leader.self().getAddress())), "a heartbeat naming the leader from " + s.self());
            }
            MetaServerHeartbeatRequest fromFollower = mds.heartbeats.stream()
                    .filter(h -> h.getPort() == follower.server.address().port()).reduce((a, b) -> b).orElseThrow();
            assertThat(fromFollower.getLeaderCount()).isZero();
            assertThat(fromFollower.getCopysetInfos(0).getPeersList()).containsExactlyInAnyOrderElementsOf(peers);

            assertThat(leader.createPartition(1, 0, 999)).isEqualTo(MetaStatusCode.OK);
            assertThat(follower.createPartition(2, 1000, 1999)).isEqualTo(MetaStatusCode.REDIRECTED);
            assertThat(CliService2Grpc.newBlockingStub(follower.channel).getLeader(GetLeaderRequest2.newBuilder()
                    .setPoolId(POOL).setCopysetId(COPYSET).build()).getLeader().getAddress())
                    .isEqualTo(leader.self().getAddress());
            long id = leader.meta.createInode(CreateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                    .setPartitionId(1).setFsId(FS).setLength(0).setUid(0).setGid(0).setMode(0100644)
                    .setType(FsFileType.TYPE_S3).setParent(1).build()).getInode().getInodeId();
            assertThat(getInode(follower, id)).isEqualTo(MetaStatusCode.REDIRECTED);

            CliService2Grpc.newBlockingStub(leader.channel).transferLeader(TransferLeaderRequest2.newBuilder()
                    .setPoolId(POOL).setCopysetId(COPYSET).setTransferee(follower.self()).build());
            MetaServerFixture.await(() -> follower.node().isLeader(), "leadership to move");
            assertThat(getInode(follower, id)).isEqualTo(MetaStatusCode.OK);

            follower.stop();
            servers.remove(follower);
            MetaServerFixture next = awaitLeader(servers);
            assertThat(getInode(next, id)).isEqualTo(MetaStatusCode.OK);
        } finally {
            servers.forEach(MetaServerFixture::close);
            mds.close();
        }
    }

    private static MetaStatusCode getInode(MetaServerFixture s, long id) {
        return s.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(1).setFsId(FS).setInodeId(id).build()).getStatusCode();
    }

    private static MetaServerFixture awaitLeader(List<MetaServerFixture> servers) {
        MetaServerFixture.await(() -> find(servers).isPresent(), "a leader among " + servers.size());
        return find(servers).orElseThrow();
    }

    private static Optional<MetaServerFixture> find(List<MetaServerFixture> servers) {
        return servers.stream().filter(s -> s.node().isLeader()).findFirst();
    }
}
