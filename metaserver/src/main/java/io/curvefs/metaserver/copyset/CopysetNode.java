package io.curvefs.metaserver.copyset;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.google.protobuf.Message;
import io.curvefs.metaserver.metadata.Command;
import io.curvefs.metaserver.metadata.MetaQueries;
import io.curvefs.metaserver.metadata.Operation;
import io.curvefs.metaserver.storage.MetaStore;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.copyset.CopysetStatus;
import io.curvefs.proto.metaserver.MetaStatusCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One copyset on this metaserver: its Raft node (on the metaserver's shared Raft endpoint), its
 * state machine and its RocksDB. Mutations are proposed to the log; reads are served by the
 * leader from RocksDB after a ReadIndex round, so a read sees every write acknowledged before it.
 *
 * <p>Directory layout under {@code copysets/<poolId>-<copysetId>/}: {@code db/} (RocksDB),
 * {@code raft/log}, {@code raft/meta}, {@code raft/snapshot} (jraft).
 */
public final class CopysetNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CopysetNode.class);

    private final CopysetKey key;
    private final List<Peer> peers;
    private final PeerId self;
    private final MetaStore store;
    private final CopysetStateMachine fsm;
    private final RaftGroupService group;
    private final Node node;

    private CopysetNode(CopysetKey key, List<Peer> peers, PeerId self, MetaStore store,
            CopysetStateMachine fsm, RaftGroupService group, Node node) {
        this.key = key;
        this.peers = peers;
        this.self = self;
        this.store = store;
        this.fsm = fsm;
        this.group = group;
        this.node = node;
    }

    static CopysetNode open(CopysetKey key, List<Peer> peers, PeerId self, Path dir, RpcServer rpcServer,
            RaftSettings settings) {
        Path raft = dir.resolve("raft");
        try {
            Files.createDirectories(raft);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + raft, e);
        }
        MetaStore store = MetaStore.open(dir.resolve("db"));
        try {
            CopysetStateMachine fsm = new CopysetStateMachine(key, store);
            Configuration conf = new Configuration();
            peers.forEach(p -> conf.addPeer(PeerAddresses.toRaftPeer(p)));
            NodeOptions options = new NodeOptions();
            options.setFsm(fsm);
            options.setInitialConf(conf);
            options.setElectionTimeoutMs(settings.electionTimeoutMs());
            options.setSnapshotIntervalSecs(settings.snapshotIntervalSecs());
            options.setLogUri(raft.resolve("log").toString());
            options.setRaftMetaUri(raft.resolve("meta").toString());
            options.setSnapshotUri(raft.resolve("snapshot").toString());
            options.setSharedElectionTimer(true);
            options.setSharedVoteTimer(true);
            options.setSharedStepDownTimer(true);
            options.setSharedSnapshotTimer(true);
            RaftGroupService group = new RaftGroupService(key.groupId(), self, options, rpcServer, true);
            Node node = group.start(false);
            if (node == null) {
                throw new IllegalStateException("Raft node of copyset " + key + " failed to start");
            }
            return new CopysetNode(key, List.copyOf(peers), self, store, fsm, group, node);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public CopysetKey key() {
        return key;
    }

    /** The peers the copyset was created with ("ip:listenPort:idx"). */
    public List<Peer> peers() {
        return peers;
    }

    /**
     * The current Raft members, as metaserver addresses: on the leader its live configuration,
     * elsewhere the last membership this replica applied, and the created peers before any.
     */
    public List<Peer> members() {
        if (node.isLeader()) {
            try {
                return node.listPeers().stream().map(PeerAddresses::toPeer).toList();
            } catch (IllegalStateException steppedDown) {
                // fall through to the applied membership
            }
        }
        List<PeerId> applied = fsm.committedConf();
        return applied.isEmpty() ? peers : applied.stream().map(PeerAddresses::toPeer).toList();
    }

    /** The Raft term this replica last saw as leader or follower. */
    public long term() {
        return fsm.term();
    }

    /** The index of the last log entry applied to this replica's database. */
    public long appliedIndex() {
        return fsm.appliedIndex();
    }

    /**
     * Adds a member (leader only). jraft first replicates to the new peer until it has caught up
     * (by snapshot when the log no longer reaches back far enough), then commits the new
     * membership; the future completes after that commit, or with the refusal.
     */
    public CompletableFuture<Status> addPeer(Peer peer) {
        CompletableFuture<Status> done = new CompletableFuture<>();
        node.addPeer(PeerAddresses.toRaftPeer(peer), done::complete);
        return done;
    }

    /** Removes a member (leader only); completes once the smaller membership is committed. */
    public CompletableFuture<Status> removePeer(Peer peer) {
        CompletableFuture<Status> done = new CompletableFuture<>();
        node.removePeer(PeerAddresses.toRaftPeer(peer), done::complete);
        return done;
    }

    /** Replaces the membership (leader only), catching new members up first. */
    public CompletableFuture<Status> changePeers(List<Peer> newPeers) {
        Configuration conf = new Configuration();
        newPeers.forEach(p -> conf.addPeer(PeerAddresses.toRaftPeer(p)));
        CompletableFuture<Status> done = new CompletableFuture<>();
        node.changePeers(conf, done::complete);
        return done;
    }

    public boolean isLeader() {
        return node.isLeader();
    }

    public Optional<Peer> leader() {
        PeerId leader = node.getLeaderId();
        return leader == null || leader.isEmpty() ? Optional.empty() : Optional.of(PeerAddresses.toPeer(leader));
    }

    /** Proposes a mutation; {@code reply} gets its response, or REDIRECTED/OVERLOAD. */
    public void propose(Command command, Consumer<Message> reply) {
        Operation op = command.operation();
        if (!node.isLeader()) {
            reply.accept(op.failure(MetaStatusCode.REDIRECTED));
            return;
        }
        node.apply(new Task(command.encode(), new OperationClosure(op, reply)));
    }

    /**
     * Answers a query on the leader once its state machine caught up with the commit index
     * known at the call (ReadIndex); elsewhere {@code failure} gets REDIRECTED. A leader whose
     * term has not committed its first entry yet (its commit index may be stale, and jraft
     * refuses ReadIndex with EAGAIN) holds the query until that entry is applied or it steps
     * down, instead of redirecting the client to itself.
     *
     * <p>A leader that is the group's only voter skips the ReadIndex round: no other replica can
     * commit anything, and every acknowledged write was applied before its answer was sent (the
     * state machine answers after its batch is committed), so its RocksDB already holds all of
     * them. That saves the read two thread hand-offs inside jraft, the main cost of a lookup on a
     * single-node cluster.
     */
    public void read(Function<MetaQueries, Message> query, Function<MetaStatusCode, Message> failure,
            Consumer<Message> reply) {
        if (!node.isLeader()) {
            reply.accept(failure.apply(MetaStatusCode.REDIRECTED));
            return;
        }
        CompletableFuture<Void> leadershipChange = fsm.nextLeadershipChange();
        Runnable retry = () -> read(query, failure, reply);
        if (!fsm.leaderStarted()) {
            leadershipChange.thenRun(retry);
            return;
        }
        if (isSoleVoter()) {
            reply.accept(answer(query, failure));
            return;
        }
        node.readIndex(new byte[0], new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] context) {
                if (status.getRaftError() == RaftError.EAGAIN) {
                    leadershipChange.thenRun(retry);
                    return;
                }
                if (!status.isOk()) {
                    reply.accept(failure.apply(status.getRaftError() == RaftError.EBUSY
                            ? MetaStatusCode.OVERLOAD : MetaStatusCode.REDIRECTED));
                    return;
                }
                reply.accept(answer(query, failure));
            }
        });
    }

    private boolean isSoleVoter() {
        try {
            return node.listPeers().size() == 1;
        } catch (IllegalStateException notLeaderAnyMore) {
            return false;
        }
    }

    private Message answer(Function<MetaQueries, Message> query, Function<MetaStatusCode, Message> failure) {
        try {
            return queryNow(query);
        } catch (RuntimeException e) {
            LOG.error("copyset {}: read failed", key, e);
            return failure.apply(MetaStatusCode.STORAGE_INTERNAL_ERROR);
        }
    }

    /** Runs a query on the local data, whatever this replica's role (heartbeats, tests). */
    public <T> T queryNow(Function<MetaQueries, T> query) {
        return store.read(view -> query.apply(new MetaQueries(view, fsm.appliedIndex())));
    }

    public List<PartitionInfo> partitions() {
        return queryNow(MetaQueries::partitions);
    }

    public CopysetStatus status() {
        Peer leader = leader().orElse(Peer.getDefaultInstance());
        long lastIndex = node.getLastLogIndex();
        return CopysetStatus.newBuilder()
                .setState(node.getNodeState().ordinal() + 1)
                .setPeer(PeerAddresses.toPeer(self))
                .setLeader(leader)
                .setReadonly(false)
                .setTerm(fsm.term())
                .setCommittedIndex(node.getLastCommittedIndex())
                .setKnownAppliedIndex(node.getLastAppliedLogIndex())
                .setPendingIndex(0)
                .setPendingQueueSize(0)
                .setApplyingIndex(0)
                .setFirstIndex(0)
                .setLastIndex(lastIndex)
                .setDiskIndex(lastIndex)
                .setEpoch(0)
                .build();
    }

    /** Starts handing leadership to {@code transferee}; the reason when refused (e.g. not leader). */
    public Optional<String> transferLeader(Peer transferee) {
        Status status = node.transferLeadershipTo(PeerAddresses.toRaftPeer(transferee));
        return status.isOk() ? Optional.empty() : Optional.of(status.getErrorMsg());
    }

    /** Takes a Raft snapshot now and waits for it. */
    public void snapshot() {
        CompletableFuture<Status> done = new CompletableFuture<>();
        node.snapshot(done::complete);
        try {
            Status status = done.get(60, TimeUnit.SECONDS);
            if (!status.isOk()) {
                throw new IllegalStateException("snapshot of copyset " + key + " failed: " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while snapshotting copyset " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("snapshot of copyset " + key + " did not finish", e);
        }
    }

    @Override
    public void close() {
        group.shutdown();
        try {
            group.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
