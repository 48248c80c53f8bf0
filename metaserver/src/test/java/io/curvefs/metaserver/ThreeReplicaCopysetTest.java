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
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three metaservers in one copyset, peers given by their gRPC addresses only (Raft endpoints come
 * from the port rule): the leader serves, followers redirect, leadership moves on request, and
 * after the leader stops a new one keeps the data.
 *
 * <p>Leadership may change at any moment (a loaded machine can delay heartbeats past the
 * election timeout), so requests meant to succeed go to whichever replica leads now and are
 * retried on REDIRECTED as a client would, and checks are on what replicas report, never on
 * time. A replica that still leads after answering REDIRECTED fails the test: a leader must not
 * send clients to itself, not even before its term's first entry is committed.
 */
class ThreeReplicaCopysetTest {

    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void followersRedirectAndANewLeaderKeepsTheData() throws Exception {
        FakeMds mds = new FakeMds();
        List<MetaServerFixture> servers = new ArrayList<>();
        try {
            for (String name : List.of("a", "b", "c")) {
                servers.add(new MetaServerFixture(dir.resolve(name), mds.address(), ELECTION_TIMEOUT));
            }
            List<Peer> peers = servers.stream().map(MetaServerFixture::self).toList();
            for (MetaServerFixture s : servers) {
                assertThat(s.createCopyset(peers)).isEqualTo(COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS);
            }
            awaitLeader(servers);
            for (MetaServerFixture s : servers) {
                MetaServerFixture.await(() -> {
                    String leader = awaitLeader(servers).self().getAddress();
                    return mds.heartbeats.stream().anyMatch(h -> h.getPort() == s.server.address().port()
                            && h.getCopysetInfosCount() == 1
                            && h.getCopysetInfos(0).getLeaderPeer().getAddress().equals(leader));
                }, "a heartbeat naming the leader from " + s.self());
            }
            MetaServerFixture.await(() -> {
                MetaServerFixture follower = aFollower(servers);
                MetaServerHeartbeatRequest last = mds.heartbeats.stream()
                        .filter(h -> h.getPort() == follower.server.address().port()).reduce((a, b) -> b).orElseThrow();
                return last.getLeaderCount() == 0 && last.getCopysetInfos(0).getPeersList().containsAll(peers)
                        && last.getCopysetInfos(0).getPeersCount() == peers.size();
            }, "a follower's heartbeat without leadership, listing every peer");

            assertThat(onLeader(servers, s -> s.createPartition(1, 0, 999))).isEqualTo(MetaStatusCode.OK);
            assertThat(onFollower(servers, s -> s.createPartition(2, 1000, 1999)))
                    .isEqualTo(MetaStatusCode.REDIRECTED);
            MetaServerFixture.await(() -> {
                MetaServerFixture follower = aFollower(servers);
                return leaderNamedBy(follower).equals(awaitLeader(servers).self().getAddress());
            }, "GetLeader on a follower to name the leader");
            CreateInodeResponse created = onLeader(servers, s -> s.meta.createInode(CreateInodeRequest.newBuilder()
                    .setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(1).setFsId(FS).setLength(0).setUid(0)
                    .setGid(0).setMode(0100644).setType(FsFileType.TYPE_S3).setParent(1).build()),
                    CreateInodeResponse::getStatusCode);
            assertThat(created.getStatusCode()).isEqualTo(MetaStatusCode.OK);
            long id = created.getInode().getInodeId();
            assertThat(onFollower(servers, s -> getInode(s, id))).isEqualTo(MetaStatusCode.REDIRECTED);

            MetaServerFixture transferee = aFollower(servers);
            awaitTransferTo(servers, transferee);
            assertThat(onLeader(servers, s -> getInode(s, id))).isEqualTo(MetaStatusCode.OK);

            MetaServerFixture stopped = awaitLeader(servers);
            stopped.stop();
            servers.remove(stopped);
            assertThat(onLeader(servers, s -> getInode(s, id))).isEqualTo(MetaStatusCode.OK);
        } finally {
            servers.forEach(MetaServerFixture::close);
            mds.close();
        }
    }

    private static MetaStatusCode getInode(MetaServerFixture s, long id) {
        return s.meta.getInode(GetInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(1).setFsId(FS).setInodeId(id).build()).getStatusCode();
    }

    private static String leaderNamedBy(MetaServerFixture s) {
        try {
            return CliService2Grpc.newBlockingStub(s.channel).getLeader(GetLeaderRequest2.newBuilder()
                    .setPoolId(POOL).setCopysetId(COPYSET).build()).getLeader().getAddress();
        } catch (StatusRuntimeException noLeaderKnown) {
            return "";
        }
    }

    private static MetaStatusCode onLeader(List<MetaServerFixture> servers,
            Function<MetaServerFixture, MetaStatusCode> call) {
        return onLeader(servers, call, Function.identity());
    }

    /** Sends the request to the current leader, again to the next one while the answer is REDIRECTED. */
    private static <T> T onLeader(List<MetaServerFixture> servers, Function<MetaServerFixture, T> call,
            Function<T, MetaStatusCode> status) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            MetaServerFixture leader = awaitLeader(servers);
            T answer = call.apply(leader);
            if (status.apply(answer) != MetaStatusCode.REDIRECTED) {
                return answer;
            }
            assertThat(leader.node().isLeader()).as("leader %s redirected to itself", leader.self()).isFalse();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no leader answered without REDIRECTED within " + DEADLINE);
            }
        }
    }

    /** Sends the request to a replica that is a follower both before and after the call. */
    private static MetaStatusCode onFollower(List<MetaServerFixture> servers,
            Function<MetaServerFixture, MetaStatusCode> call) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            MetaServerFixture leader = awaitLeader(servers);
            MetaServerFixture follower = servers.stream().filter(s -> s != leader).findFirst().orElseThrow();
            MetaStatusCode answer = call.apply(follower);
            if (leader.node().isLeader() && !follower.node().isLeader()) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("leadership did not hold still for one request within " + DEADLINE);
            }
        }
    }

    /** Asks whoever leads to hand over to {@code transferee} until it leads (refusals while moving are fine). */
    private static void awaitTransferTo(List<MetaServerFixture> servers, MetaServerFixture transferee) {
        MetaServerFixture.await(() -> {
            Optional<MetaServerFixture> leader = find(servers);
            if (leader.isEmpty() || leader.get() == transferee) {
                return leader.isPresent();
            }
            try {
                CliService2Grpc.newBlockingStub(leader.get().channel).transferLeader(TransferLeaderRequest2
                        .newBuilder().setPoolId(POOL).setCopysetId(COPYSET).setTransferee(transferee.self()).build());
            } catch (StatusRuntimeException refused) {
                // not leading any more, or a transfer already under way: look again
            }
            return false;
        }, "leadership to move to " + transferee.self());
    }

    private static MetaServerFixture aFollower(List<MetaServerFixture> servers) {
        MetaServerFixture leader = awaitLeader(servers);
        return servers.stream().filter(s -> s != leader).findFirst().orElseThrow();
    }

    private static MetaServerFixture awaitLeader(List<MetaServerFixture> servers) {
        MetaServerFixture.await(() -> find(servers).isPresent(), "a leader among " + servers.size());
        return find(servers).orElseThrow();
    }

    private static Optional<MetaServerFixture> find(List<MetaServerFixture> servers) {
        return servers.stream().filter(s -> s.node().isLeader()).findFirst();
    }
}
