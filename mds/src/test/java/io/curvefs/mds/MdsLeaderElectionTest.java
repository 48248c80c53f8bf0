package io.curvefs.mds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.CreateFsResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.mds.GetFsInfoResponse;
import io.curvefs.proto.mds.ListClusterFsInfoRequest;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.curvefs.rpc.MdsUnavailableException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two MDSs in one JVM on one real etcd: one leads and serves, the other takes over when it goes. */
class MdsLeaderElectionTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration TAKEOVER_WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private EtcdFixture etcd;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startEtcd() {
        etcd = EtcdFixture.start(dir.resolve("etcd"));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        etcd.close();
    }

    private MdsServer startMds(String name) {
        MdsServer mds = MdsServer.start(MdsConfig.defaults(new HostPort("127.0.0.1", 0), dir.resolve(name))
                .withPartitionsPerFs(2).withEtcd(etcd.endpoints(), LEASE));
        toClose.add(mds);
        return mds;
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    @Test
    void exactlyOneServesAndTheOtherTakesOverWithTheSameState() {
        MdsServer a = startMds("a");
        MdsServer b = startMds("b");
        MdsServer leader = awaitSoleLeader(a, b);
        MdsServer standby = leader == a ? b : a;

        try (MdsClient standbyOnly = new MdsClient(List.of(standby.address()))) {
            assertThatThrownBy(() -> standbyOnly.mds(s -> s.listClusterFsInfo(
                    ListClusterFsInfoRequest.getDefaultInstance())))
                    .isInstanceOf(MdsUnavailableException.class).hasMessageContaining("standby");
        }

        MdsClient client = closeLater(new MdsClient(List.of(standby.address(), leader.address())));
        FakeMetaserver metaserver = closeLater(new FakeMetaserver());
        assertThat(MdsTestCluster.register(client, metaserver.address()).getStatusCode().getNumber()).isZero();
        CreateFsRequest request = MdsTestCluster.s3Fs(dir, "ha-fs").build();
        CreateFsResponse created = client.mds(s -> s.createFs(request));
        assertThat(created.getStatusCode()).isEqualTo(FSStatusCode.OK);

        leader.close();
        awaitTrue("the standby takes over", standby::isServing);

        GetFsInfoResponse info = client.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder().setFsName("ha-fs")
                .build()));
        assertThat(info.getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(info.getFsInfo().getFsId()).isEqualTo(created.getFsInfo().getFsId());
        CreateFsResponse again = client.mds(s -> s.createFs(request));
        assertThat(again.getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(again.getFsInfo().getFsId()).isEqualTo(created.getFsInfo().getFsId());
        CreateFsResponse second = client.mds(s -> s.createFs(MdsTestCluster.s3Fs(dir, "ha-fs-2").build()));
        assertThat(second.getStatusCode()).isEqualTo(FSStatusCode.OK);
        assertThat(second.getFsInfo().getFsId()).isNotEqualTo(created.getFsInfo().getFsId());
    }

    @Test
    void aLeaderWhoseLeaseIsRevokedStepsDownAndTheOtherLeads() throws Exception {
        MdsServer a = startMds("a");
        MdsServer b = startMds("b");
        MdsServer leader = awaitSoleLeader(a, b);
        MdsServer standby = leader == a ? b : a;

        revokeLeaderLease();

        awaitTrue("the old leader steps down and the standby leads",
                () -> !leader.isServing() && standby.isServing());
        awaitTrue("the old leader campaigns again and stays a standby", () -> !leader.isServing()
                && standby.isServing() && leaderValue().filter(v -> v.equals(standby.address().toString()))
                .isPresent());
    }

    private MdsServer awaitSoleLeader(MdsServer a, MdsServer b) {
        awaitTrue("one MDS leads", () -> a.isServing() || b.isServing());
        assertThat(a.isServing() && b.isServing()).as("both MDSs serve").isFalse();
        return a.isServing() ? a : b;
    }

    private void revokeLeaderLease() throws Exception {
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            long lease = client.getElectionClient().leader(utf8(MdsServer.ELECTION_NAME)).get(5, TimeUnit.SECONDS)
                    .getKv().getLease();
            client.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
        }
    }

    private Optional<String> leaderValue() {
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            return Optional.of(client.getElectionClient().leader(utf8(MdsServer.ELECTION_NAME))
                    .get(5, TimeUnit.SECONDS).getKv().getValue().toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static ByteSequence utf8(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + TAKEOVER_WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TAKEOVER_WAIT.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
