package io.curvefs.metaserver;

import io.curvefs.metaserver.copyset.CopysetNode;
import io.curvefs.metaserver.copyset.PeerAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.copyset.CopysetServiceGrpc;
import io.curvefs.proto.copyset.CreateCopysetRequest;
import io.curvefs.proto.metaserver.CreatePartitionRequest;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A real metaserver on 127.0.0.1 (fixed port pair, so it can be restarted on the same address)
 * with a real single-replica copyset, plus blocking stubs.
 */
final class MetaServerFixture implements AutoCloseable {

    static final int POOL = 1;
    static final int COPYSET = 1;
    static final int FS = 5;
    private static final Duration SINGLE_REPLICA_ELECTION_TIMEOUT = Duration.ofMillis(300);

    final Path dataDir;
    private MetaserverConfig config;
    MetaServer server;
    ManagedChannel channel;
    private boolean stopped;
    MetaServerServiceGrpc.MetaServerServiceBlockingStub meta;
    CopysetServiceGrpc.CopysetServiceBlockingStub copysets;

    MetaServerFixture(Path dataDir, FakeMds mds) {
        this(dataDir, mds.address(), SINGLE_REPLICA_ELECTION_TIMEOUT);
    }

    MetaServerFixture(Path dataDir, HostPort mds) {
        this(dataDir, mds, SINGLE_REPLICA_ELECTION_TIMEOUT);
    }

    /**
     * {@code electionTimeout}: short is fine for a single replica (no one to lose leadership
     * to); replicas of one group want it long enough that a loaded machine's pauses do not
     * start elections, though tests must still cope with a leader change at any time.
     */
    MetaServerFixture(Path dataDir, HostPort mds, Duration electionTimeout) {
        this.dataDir = dataDir;
        HostPort fixed = freePortPair();
        this.config = MetaserverConfig.defaults(fixed, dataDir, List.of(mds))
                .withHeartbeatInterval(Duration.ofMillis(200))
                .withElectionTimeout(electionTimeout);
        start();
    }

    void start() {
        stopped = false;
        server = MetaServer.start(config);
        channel = Channels.open(server.address());
        meta = MetaServerServiceGrpc.newBlockingStub(channel);
        copysets = CopysetServiceGrpc.newBlockingStub(channel);
    }

    void restart() {
        stop();
        start();
        awaitLeader();
    }

    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Channels.close(channel);
        server.close();
    }

    boolean isStopped() {
        return stopped;
    }

    Peer self() {
        return Peer.newBuilder().setAddress(server.address() + ":0").build();
    }

    COPYSET_OP_STATUS createCopyset() {
        return createCopyset(List.of(self()));
    }

    COPYSET_OP_STATUS createCopyset(List<Peer> peers) {
        return copysets.createCopysetNode(CreateCopysetRequest.newBuilder()
                .addCopysets(CreateCopysetRequest.Copyset.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                        .addAllPeers(peers))
                .build()).getStatus();
    }

    CopysetNode node() {
        return server.copyset(POOL, COPYSET).orElseThrow();
    }

    void awaitLeader() {
        await(() -> node().isLeader(), "copyset leader");
    }

    MetaStatusCode createPartition(int partitionId, long start, long end) {
        return meta.createPartition(CreatePartitionRequest.newBuilder().setPartition(PartitionInfo.newBuilder()
                .setFsId(FS).setPoolId(POOL).setCopysetId(COPYSET).setPartitionId(partitionId)
                .setStart(start).setEnd(end).setStatus(PartitionStatus.READWRITE)).build()).getStatusCode();
    }

    PartitionInfo partition(int partitionId) {
        return node().partitions().stream().filter(p -> p.getPartitionId() == partitionId).findFirst()
                .orElseThrow();
    }

    private static HostPort freePortPair() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket a = new ServerSocket(0)) {
                int port = a.getLocalPort();
                if (port + PeerAddresses.RAFT_PORT_OFFSET <= 65535) {
                    try (ServerSocket b = new ServerSocket(port + PeerAddresses.RAFT_PORT_OFFSET)) {
                        return new HostPort("127.0.0.1", port);
                    } catch (IOException busy) {
                        continue;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new AssertionError("no free port pair");
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
