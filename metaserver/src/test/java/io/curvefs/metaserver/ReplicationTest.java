package io.curvefs.metaserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.client.meta.DirEntry;
import io.curvefs.client.meta.InodeType;
import io.curvefs.client.meta.NewInode;
import io.curvefs.client.meta.RemoteMetaClient;
import io.curvefs.mds.MdsConfig;
import io.curvefs.mds.MdsServer;
import io.curvefs.metaserver.copyset.CopysetNode;
import io.curvefs.proto.common.FSType;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsDetail;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.topology.GetMetaServerListInCopySetsRequest;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.proto.topology.MetaServerLocation;
import io.curvefs.proto.topology.OnlineState;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copysets with three replicas under a real MDS, all in this process: the MDS places the
 * replicas on three metaservers, a new leader serves after the old one stops, a replica whose
 * data directory was wiped rebuilds from its leader's snapshot, and the recover scheduler moves
 * the replicas of a metaserver that stays offline to a fourth one, which the returning
 * metaserver then drops; and the fuse client's metadata routing (GetLeader, REDIRECTED, retries)
 * carries a workload through the loss of the leader. Checks are on what replicas, the MDS and
 * the client report, never on time.
 */
class ReplicationTest {

    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private MdsServer mds;
    private MdsClient mdsClient;
    private final List<MetaServerFixture> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(MetaServerFixture::close);
        if (mdsClient != null) {
            mdsClient.close();
        }
        if (mds != null) {
            mds.close();
        }
    }

    @Test
    void aNewLeaderServesAndAWipedReplicaRebuildsFromASnapshot() throws Exception {
        PartitionInfo partition = startCluster(3, Duration.ofMinutes(30));
        assertThat(members(partition)).hasSize(3);
        long first = createInode(partition);

        MetaServerFixture oldLeader = leader(partition);
        oldLeader.stop();
        assertThat(getInode(partition, first)).isEqualTo(MetaStatusCode.OK);
        long second = createInode(partition);

        // jraft drops the log up to the previous snapshot when it takes one: two snapshots with a
        // write between leave a log that no longer reaches back to the first entries.
        MetaServerFixture newLeader = leader(partition);
        node(newLeader, partition).snapshot();
        long third = createInode(partition);
        node(newLeader, partition).snapshot();
        wipe(oldLeader.dataDir);
        oldLeader.start();
        MetaServerFixture.await(() -> oldLeader.server.copyset(partition.getPoolId(), partition.getCopysetId())
                .map(n -> n.appliedIndex() >= node(leader(partition), partition).appliedIndex()
                        && holds(n, partition, first) && holds(n, partition, second) && holds(n, partition, third))
                .orElse(false), "the wiped replica to catch up");
        assertThat(oldLeader.dataDir.resolve("copysets")).isDirectory();
        assertThat(snapshotsIn(oldLeader.dataDir)).as("snapshot installed on the wiped replica").isNotEmpty();

        MetaServerFixture current = leader(partition);
        current.stop();
        assertThat(getInode(partition, third)).isEqualTo(MetaStatusCode.OK);
    }

    @Test
    void replicasOfAMetaserverOfflinePastTheTimeoutMoveAndTheReturningOneDropsItsCopy() throws Exception {
        PartitionInfo partition = startCluster(4, Duration.ofSeconds(2));
        List<MetaServerFixture> before = members(partition);
        assertThat(before).hasSize(3);
        long inode = createInode(partition);

        MetaServerFixture lost = before.get(0);
        lost.stop();
        MetaServerFixture.await(() -> {
            List<MetaServerFixture> now = members(partition);
            return now.size() == 3 && !now.contains(lost);
        }, "the MDS to record three members without the lost metaserver");
        List<MetaServerFixture> after = members(partition);
        MetaServerFixture joined = after.stream().filter(s -> !before.contains(s)).findFirst().orElseThrow();
        MetaServerFixture.await(() -> joined.server.copyset(partition.getPoolId(), partition.getCopysetId())
                .map(n -> holds(n, partition, inode) && n.members().size() == 3).orElse(false),
                "the new replica to hold the data");
        assertThat(getInode(partition, inode)).isEqualTo(MetaStatusCode.OK);

        lost.start();
        MetaServerFixture.await(() -> lost.server.copyset(partition.getPoolId(), partition.getCopysetId()).isEmpty(),
                "the returning metaserver to drop its stale copy");
        assertThat(members(partition)).containsExactlyInAnyOrderElementsOf(after);
    }

    @Test
    void aClientKeepsWorkingWhileTheLeaderIsKilled() throws Exception {
        PartitionInfo partition = startCluster(3, Duration.ofMinutes(30));
        int files = 30;
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger created = new AtomicInteger();
        try (RemoteMetaClient client = RemoteMetaClient.connect(mdsClient, partition.getFsId(), 1,
                Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < files; i++) {
                    try {
                        long now = System.currentTimeMillis() * 1_000_000;
                        client.create("f" + i, new NewInode(InodeType.FILE, 0100644, 0, 0, 1, 0, null, 0, now));
                        if (i % 3 == 0) {
                            client.deleteDentry(1, "f" + i, InodeType.FILE, now);
                        }
                        created.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add("f" + i + ": " + e.getMessage());
                    }
                }
            }, "metadata-workload");
            worker.start();
            MetaServerFixture.await(() -> created.get() >= 5 || !worker.isAlive(), "the workload to start");
            leader(partition).stop();
            worker.join();
            assertThat(failures).isEmpty();
            List<String> names = client.listDentries(1, "", 1000).stream().map(DirEntry::name).toList();
            assertThat(names).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, files).filter(i -> i % 3 != 0).mapToObj(i -> "f" + i)
                            .toList());
        }
    }

    /** An MDS, {@code count} metaservers and a file system with one partition; returns the partition. */
    private PartitionInfo startCluster(int count, Duration offlineTimeout) throws IOException {
        mds = MdsServer.start(MdsConfig.defaults(new HostPort("127.0.0.1", 0), dir.resolve("mds"))
                .withPartitionsPerFs(1).withHeartbeatTimeout(Duration.ofSeconds(1))
                .withOfflineTimeout(offlineTimeout));
        mdsClient = new MdsClient(List.of(mds.address()), Duration.ofSeconds(30));
        for (int i = 0; i < count; i++) {
            servers.add(new MetaServerFixture(dir.resolve("ms" + i), mds.address(), ELECTION_TIMEOUT));
        }
        MetaServerFixture.await(() -> servers.stream().allMatch(s -> s.server.metaServerId().isPresent()),
                "every metaserver to register");
        // Registered is not yet online: wait for a heartbeat of each so placement sees them all.
        MetaServerFixture.await(() -> mdsClient.topology(t -> t.listTopology(
                ListTopologyRequest.getDefaultInstance())).getMetaserversList().stream()
                .filter(m -> m.getOnlineState() == OnlineState.ONLINE).count() == count,
                "every metaserver to be online");
        S3Info s3 = S3Info.newBuilder().setAk("ak").setSk("sk")
                .setEndpoint("file://" + dir.resolve("objects").toAbsolutePath()).setBucketname("bucket")
                .setBlockSize(4 << 20).setChunkSize(64 << 20).build();
        var created = mdsClient.mds(m -> m.createFs(CreateFsRequest.newBuilder().setFsName("replicated")
                .setBlockSize(4096).setFsType(FSType.TYPE_S3).setFsDetail(FsDetail.newBuilder().setS3Info(s3))
                .setEnableSumInDir(false).setOwner("test").setCapacity(1L << 30).build()));
        assertThat(created.getStatusCode()).isEqualTo(FSStatusCode.OK);
        return mdsClient.topology(t -> t.listPartition(ListPartitionRequest.newBuilder()
                .setFsId(created.getFsInfo().getFsId()).build())).getPartitionInfoList(0);
    }

    /** The metaservers the MDS records as the partition's copyset members. */
    private List<MetaServerFixture> members(PartitionInfo partition) {
        Set<Integer> ports = mdsClient.topology(t -> t.getMetaServerListInCopysets(
                        GetMetaServerListInCopySetsRequest.newBuilder().setPoolId(partition.getPoolId())
                                .addCopysetId(partition.getCopysetId()).build()))
                .getCsInfo(0).getCsLocsList().stream().map(MetaServerLocation::getInternalPort)
                .collect(Collectors.toSet());
        return servers.stream().filter(s -> ports.contains(s.server.address().port())).toList();
    }

    private static CopysetNode node(MetaServerFixture s, PartitionInfo partition) {
        return s.server.copyset(partition.getPoolId(), partition.getCopysetId()).orElseThrow();
    }

    private MetaServerFixture leader(PartitionInfo partition) {
        MetaServerFixture.await(() -> findLeader(partition).isPresent(), "a leader");
        return findLeader(partition).orElseThrow();
    }

    private Optional<MetaServerFixture> findLeader(PartitionInfo partition) {
        return servers.stream().filter(s -> !s.isStopped())
                .filter(s -> s.server.copyset(partition.getPoolId(), partition.getCopysetId())
                        .map(CopysetNode::isLeader).orElse(false))
                .findFirst();
    }

    private long createInode(PartitionInfo partition) {
        CreateInodeResponse r = onLeader(partition, s -> s.meta.createInode(CreateInodeRequest.newBuilder()
                .setPoolId(partition.getPoolId()).setCopysetId(partition.getCopysetId())
                .setPartitionId(partition.getPartitionId()).setFsId(partition.getFsId()).setLength(0).setUid(0)
                .setGid(0).setMode(0100644).setType(FsFileType.TYPE_S3).setParent(1).build()),
                CreateInodeResponse::getStatusCode);
        assertThat(r.getStatusCode()).isEqualTo(MetaStatusCode.OK);
        return r.getInode().getInodeId();
    }

    private MetaStatusCode getInode(PartitionInfo partition, long id) {
        return onLeader(partition, s -> s.meta.getInode(GetInodeRequest.newBuilder()
                .setPoolId(partition.getPoolId()).setCopysetId(partition.getCopysetId())
                .setPartitionId(partition.getPartitionId()).setFsId(partition.getFsId()).setInodeId(id).build())
                .getStatusCode(), c -> c);
    }

    /** Sends the request to whoever leads, again while the answer is REDIRECTED (as clients do). */
    private <T> T onLeader(PartitionInfo partition, Function<MetaServerFixture, T> call,
            Function<T, MetaStatusCode> status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            T answer = call.apply(leader(partition));
            if (status.apply(answer) != MetaStatusCode.REDIRECTED || System.nanoTime() > deadline) {
                return answer;
            }
        }
    }

    private static boolean holds(CopysetNode node, PartitionInfo partition, long inodeId) {
        return node.queryNow(q -> q.getInode(GetInodeRequest.newBuilder().setPoolId(partition.getPoolId())
                .setCopysetId(partition.getCopysetId()).setPartitionId(partition.getPartitionId())
                .setFsId(partition.getFsId()).setInodeId(inodeId).build()).getStatusCode() == MetaStatusCode.OK);
    }

    private static List<Path> snapshotsIn(Path dataDir) throws IOException {
        try (Stream<Path> paths = Files.walk(dataDir.resolve("copysets"))) {
            return paths.filter(p -> p.getFileName().toString().startsWith("snapshot_")).toList();
        }
    }

    private static void wipe(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
