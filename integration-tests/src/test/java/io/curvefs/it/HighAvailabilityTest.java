package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.objectstore.S3ProxyFixture;
import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.topology.CopysetValue;
import io.curvefs.proto.topology.ListCopysetInfoRequest;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Losing any one server costs a pause, never a failed system call or an fsynced byte: a
 * cluster of three metaservers, etcd and three MDSs run by {@code curvefs cluster}, an
 * S3-backed file system mounted by a separate mount process, and a write-and-verify workload
 * on it while servers are killed with SIGKILL. The cases share the cluster and run in order;
 * each one leaves every server running again for the next. The last one stops that cluster and
 * starts one of four metaservers in three zones with a short offline timeout, to see the MDS
 * move the replicas of a metaserver that stays away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HighAvailabilityTest {

    private static final String FS_NAME = "ha-fs";
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(120);
    private static final int FILES_BEFORE = 5;
    private static final int FILES_AFTER = 10;

    private Path dir;
    private S3ProxyFixture s3;
    private LocalCluster cluster;
    private Path point;
    private DaemonProcess mount;

    @BeforeAll
    void startClusterAndMount() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ha-");
        s3 = S3ProxyFixture.start();
        cluster = LocalCluster.start(dir.resolve("cluster"), 3, 3);
        ToolRun created = ToolRun.of("create-fs", "--mds", cluster.mdsAddresses(), "--fs-name", FS_NAME,
                "--s3-endpoint", s3.endpoint(), "--s3-bucket", s3.bucket(),
                "--s3-access-key", s3.accessKey(), "--s3-secret-key", s3.secretKey());
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        point = Files.createDirectories(dir.resolve("mnt"));
        mount();
    }

    private void mount() throws Exception {
        mount = new DaemonProcess("mount", dir, "mount", "--mds", cluster.mdsAddresses(), "--fs-name", FS_NAME,
                "--cache-dir", dir.resolve("cache").toString(), point.toString()).start();
        DaemonProcess started = mount;
        Eventually.until(Duration.ofSeconds(120), () -> Mounts.isMounted(point) || !started.alive());
        if (!Mounts.isMounted(point)) {
            throw new IllegalStateException("not mounted; mount log:\n" + mount.logText());
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            if (point != null) {
                Mounts.forceUnmount(point);
            }
            if (mount != null) {
                mount.close();
            }
        } finally {
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                if (s3 != null) {
                    s3.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void theLeaderOfTheBusiestCopysetKilled() throws Exception {
        Path work = Files.createDirectories(point.resolve("leader-killed"));
        WriteVerifyWorkload workload = WriteVerifyWorkload.start(work, 1);
        workload.awaitMoreFiles(FILES_BEFORE, PROGRESS_TIMEOUT);
        String victim = cluster.nameAt(leaderOfCopysetHolding(work));
        cluster.kill(victim);
        workload.awaitMoreFiles(FILES_AFTER, PROGRESS_TIMEOUT);
        workload.stop();
        workload.verify();
        cluster.restart(victim, false);
    }

    @Test
    @Order(2)
    void theMdsLeaderKilled() throws Exception {
        Path work = Files.createDirectories(point.resolve("mds-killed"));
        WriteVerifyWorkload workload = WriteVerifyWorkload.start(work, 2);
        workload.awaitMoreFiles(FILES_BEFORE, PROGRESS_TIMEOUT);
        String leader = cluster.mdsLeader();
        cluster.kill(leader);
        String next = cluster.mdsLeader();
        assertThat(next).isNotEqualTo(leader);
        workload.awaitMoreFiles(FILES_AFTER, PROGRESS_TIMEOUT);
        workload.stop();
        workload.verify();
        cluster.restart(leader, false);
    }

    @Test
    @Order(3)
    void aMetaserverRestartedWithAnEmptyDataDirectoryRebuilds() throws Exception {
        Path work = Files.createDirectories(point.resolve("wiped"));
        WriteVerifyWorkload workload = WriteVerifyWorkload.start(work, 3);
        workload.awaitMoreFiles(FILES_BEFORE, PROGRESS_TIMEOUT);
        String wiped = cluster.nameAt(leaderOfCopysetHolding(work));
        cluster.kill(wiped);
        workload.awaitMoreFiles(FILES_BEFORE, PROGRESS_TIMEOUT);
        cluster.restart(wiped, true);
        workload.awaitMoreFiles(FILES_AFTER, PROGRESS_TIMEOUT);
        workload.stop();
        workload.verify();
    }

    @Test
    @Order(4)
    void copysetsOfAMetaserverGonePastTheRecoveryTimeRegainThreeReplicas() throws Exception {
        stopMountAndCluster();
        try (LocalCluster four = LocalCluster.start(dir.resolve("cluster-4"), 4, 1, "--zones=3",
                "--mds-arg=--offline-timeout=5s", "--mds-arg=--heartbeat-timeout=3s",
                "--metaserver-arg=--heartbeat-interval=1s")) {
            ToolRun created = ToolRun.of("create-fs", "--mds", four.mdsAddresses(), "--fs-name", "recover-fs",
                    "--local-dir", dir.resolve("recover-objects").toString());
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            try (MdsClient mds = new MdsClient(four.mdsHostPorts(), Duration.ofSeconds(10))) {
                List<CopySetInfo> before = Eventually.get(Duration.ofSeconds(60), () -> healthyCopysets(mds, null));
                String lost = address(before.get(0).getPeers(0));
                four.kill(four.nameAt(lost));

                List<CopySetInfo> after = Eventually.get(Duration.ofSeconds(120), () -> healthyCopysets(mds, lost));
                assertThat(after).hasSameSizeAs(before);
                assertThat(after).allSatisfy(c -> assertThat(c.getPeersList()).extracting(HighAvailabilityTest::address)
                        .hasSize(3).doesNotContain(lost));
            }
        }
    }

    /**
     * The copysets, once each has three members (none at {@code lost}) that all know the same leader;
     * fails (for {@link Eventually}) while any does not.
     */
    private static List<CopySetInfo> healthyCopysets(MdsClient mds, String lost) {
        List<CopySetInfo> copysets = mds.topology(s -> s.listCopysetInfo(ListCopysetInfoRequest.getDefaultInstance()))
                .getCopysetValuesList().stream().map(CopysetValue::getCopysetInfo).toList();
        if (copysets.isEmpty()) {
            throw new IllegalStateException("no copysets yet");
        }
        for (CopySetInfo c : copysets) {
            List<String> members = c.getPeersList().stream().map(HighAvailabilityTest::address).toList();
            if (members.size() != 3 || (lost != null && members.contains(lost))) {
                throw new IllegalStateException("copyset " + c.getCopysetId() + " has members " + members);
            }
            for (String member : members) {
                askLeader(member, c.getPoolId(), c.getCopysetId());
            }
        }
        return copysets;
    }

    /** HOST:PORT of a peer recorded as HOST:PORT:INDEX. */
    private static String address(Peer peer) {
        String[] parts = peer.getAddress().split(":");
        return parts[0] + ":" + parts[1];
    }

    private void stopMountAndCluster() throws Exception {
        Mounts.forceUnmount(point);
        mount.close();
        cluster.close();
    }

    /** The address (HOST:PORT) of the metaserver leading the copyset that holds {@code dir}'s entries. */
    private String leaderOfCopysetHolding(Path dir) throws Exception {
        long inode = ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
        try (MdsClient mds = new MdsClient(cluster.mdsHostPorts(), Duration.ofSeconds(10))) {
            int fsId = mds.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder().setFsName(FS_NAME).build()))
                    .getFsInfo().getFsId();
            PartitionInfo partition = mds.topology(s -> s.listPartition(ListPartitionRequest.newBuilder()
                    .setFsId(fsId).build())).getPartitionInfoListList().stream()
                    .filter(p -> p.getStart() <= inode && inode <= p.getEnd()).findFirst()
                    .orElseThrow(() -> new AssertionError("no partition holds inode " + inode));
            return Eventually.get(Duration.ofSeconds(30), () -> askLeader(partition));
        }
    }

    private String askLeader(PartitionInfo partition) throws Exception {
        for (LocalCluster.Member m : cluster.status().values()) {
            if (!m.name().startsWith("metaserver-") || !m.up()) {
                continue;
            }
            try {
                return askLeader(m.address(), partition.getPoolId(), partition.getCopysetId());
            } catch (RuntimeException notHere) {
                // a metaserver without this copyset, or one that knows no leader yet: ask the next
            }
        }
        throw new IllegalStateException("no metaserver knows the leader of copyset " + partition.getCopysetId());
    }

    /** The leader (HOST:PORT) of a copyset as the metaserver at {@code metaserver} knows it. */
    private static String askLeader(String metaserver, int poolId, int copysetId) {
        ManagedChannel channel = Channels.open(HostPort.parse(metaserver));
        try {
            return address(CliService2Grpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getLeader(GetLeaderRequest2.newBuilder().setPoolId(poolId).setCopysetId(copysetId).build())
                    .getLeader());
        } finally {
            Channels.close(channel);
        }
    }
}
