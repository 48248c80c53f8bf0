package io.curvefs.client.meta;

import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.cli2.GetLeaderResponse2;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.topology.Copyset;
import io.curvefs.proto.topology.CreatePartitionRequest;
import io.curvefs.proto.topology.CreatePartitionResponse;
import io.curvefs.proto.topology.GetCopysetOfPartitionRequest;
import io.curvefs.proto.topology.GetCopysetOfPartitionResponse;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.proto.topology.ListPartitionResponse;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.curvefs.rpc.MdsUnavailableException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the metaserver that must answer a call and retries until it does.
 *
 * <p>An inode id belongs to the partition whose [start, end] range holds it; a partition lives in
 * one copyset (a raft group) whose leader takes every read and write. Partitions, copyset members
 * and leaders are cached. A transport error, REDIRECTED, OVERLOAD or COPYSET_NOTEXIST means the
 * cached leader (or membership) is stale: it is forgotten, and the call is retried with growing
 * backoff (and, after a deadline ran out, a doubled deadline, as upstream grows 1 s to 8 s) until a
 * total time budget runs out, which ends in one UNAVAILABLE error naming the partition.
 * TX_INPROGRESS (a pending rename holds the name; it resolves within seconds) is retried the same
 * way, keeping the leader. Every other status is the metaserver's answer and goes back to the caller.
 */
final class MetaRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetaRouter.class);
    private static final long FIRST_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 1000;
    private static final int PARTITIONS_PER_CREATE = 3;
    /** A call that timed out is retried with twice the deadline, up to this many times the first. */
    private static final int MAX_TIMEOUT_FACTOR = 8;

    /** The header every metaserver request starts with. */
    record Target(int poolId, int copysetId, int partitionId) {
    }

    @FunctionalInterface
    interface Rpc<R> {
        R call(MetaServerServiceGrpc.MetaServerServiceBlockingStub stub, Target target);
    }

    private final MdsClient mds;
    private final int fsId;
    private final Duration rpcTimeout;
    private final Duration retryBudget;
    private volatile List<PartitionInfo> partitions = List.of();
    private volatile long partitionsLoadedAtNanos;
    private final Set<Integer> exhausted = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Copyset> copysets = new ConcurrentHashMap<>();
    private final Map<Long, HostPort> leaders = new ConcurrentHashMap<>();
    private final Map<HostPort, ManagedChannel> channels = new ConcurrentHashMap<>();

    MetaRouter(MdsClient mds, int fsId, Duration rpcTimeout, Duration retryBudget) {
        this.mds = mds;
        this.fsId = fsId;
        this.rpcTimeout = rpcTimeout;
        this.retryBudget = retryBudget;
    }

    int fsId() {
        return fsId;
    }

    MdsClient mds() {
        return mds;
    }

    /** How long a call keeps retrying before it fails with UNAVAILABLE. */
    Duration retryBudget() {
        return retryBudget;
    }

    /** The partition holding {@code ino}; reloads the partition list once when none does. */
    PartitionInfo partitionOf(long ino) {
        PartitionInfo found = find(partitions, ino);
        if (found == null) {
            found = find(reloadPartitions(), ino);
        }
        if (found == null) {
            throw new MetaException(MetaException.Kind.NOT_FOUND,
                    "no partition of fs " + fsId + " holds inode " + ino);
        }
        return found;
    }

    /** A random READWRITE partition that has not run out of ids; creates partitions when none is left. */
    PartitionInfo partitionForNewInode() {
        List<PartitionInfo> usable = usable(partitions);
        if (usable.isEmpty()) {
            usable = usable(reloadPartitions());
        }
        if (usable.isEmpty()) {
            createPartitions();
            usable = usable(reloadPartitions());
        }
        if (usable.isEmpty()) {
            throw new MetaException(MetaException.Kind.NO_SPACE,
                    "fs " + fsId + " has no partition left that can allocate inode ids");
        }
        return usable.get(ThreadLocalRandom.current().nextInt(usable.size()));
    }

    /** The partition of {@code parent} when it can still allocate ids, else a random usable one. */
    PartitionInfo partitionForNewInode(long parent) {
        PartitionInfo own = find(partitions, parent);
        if (own == null) {
            own = find(reloadPartitions(), parent);
        }
        if (own != null && !usable(List.of(own)).isEmpty()) {
            return own;
        }
        return partitionForNewInode();
    }

    /** Remembers that the partition answered PARTITION_ALLOC_ID_FAIL. */
    void markExhausted(PartitionInfo partition) {
        LOG.info("partition {} of fs {} has no inode ids left", partition.getPartitionId(), fsId);
        exhausted.add(partition.getPartitionId());
    }

    /** The partitions as last loaded, reloading when older than {@code maxAge}. */
    List<PartitionInfo> partitions(Duration maxAge) {
        if (System.nanoTime() - partitionsLoadedAtNanos > maxAge.toNanos()) {
            return reloadPartitions();
        }
        return partitions;
    }

    <R> R call(PartitionInfo partition, Rpc<R> rpc, Function<R, MetaStatusCode> status) {
        long deadline = System.nanoTime() + retryBudget.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        long timeoutMs = rpcTimeout.toMillis();
        String lastProblem;
        while (true) {
            Target target = new Target(partition.getPoolId(), partition.getCopysetId(), partition.getPartitionId());
            long copysetKey = copysetKey(target.poolId(), target.copysetId());
            HostPort leader = null;
            try {
                leader = leaderOf(partition);
                R response = rpc.call(MetaServerServiceGrpc.newBlockingStub(channel(leader))
                        .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS), target);
                MetaStatusCode code = status.apply(response);
                if (code == MetaStatusCode.TX_INPROGRESS) {
                    lastProblem = "a rename in progress holds the name";
                } else if (!isStaleRoute(code)) {
                    return response;
                } else {
                    lastProblem = leader + " answered " + code;
                    leaders.remove(copysetKey, leader);
                    if (code == MetaStatusCode.COPYSET_NOTEXIST) {
                        copysets.remove(partition.getPartitionId());
                    }
                }
            } catch (StatusRuntimeException e) {
                lastProblem = (leader == null ? "leader lookup" : leader.toString()) + ": " + e.getStatus();
                if (leader != null) {
                    leaders.remove(copysetKey, leader);
                }
                if (e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
                    timeoutMs = Math.min(timeoutMs * 2, rpcTimeout.toMillis() * MAX_TIMEOUT_FACTOR);
                }
            } catch (MdsUnavailableException | RouteException e) {
                lastProblem = e.getMessage();
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) - deadline > 0) {
                throw new MetaException(MetaException.Kind.UNAVAILABLE, "metadata of partition "
                        + partition.getPartitionId() + " (copyset " + target.poolId() + "/" + target.copysetId()
                        + ") unreachable for " + retryBudget.toSeconds() + " s: " + lastProblem);
            }
            LOG.debug("retrying partition {} in {} ms: {}", partition.getPartitionId(), backoff, lastProblem);
            sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private static boolean isStaleRoute(MetaStatusCode code) {
        return code == MetaStatusCode.REDIRECTED || code == MetaStatusCode.COPYSET_NOTEXIST
                || code == MetaStatusCode.OVERLOAD || code == MetaStatusCode.RPC_ERROR;
    }

    private HostPort leaderOf(PartitionInfo partition) {
        long key = copysetKey(partition.getPoolId(), partition.getCopysetId());
        HostPort cached = leaders.get(key);
        if (cached != null) {
            return cached;
        }
        Copyset copyset = copysetOf(partition);
        StringBuilder problems = new StringBuilder();
        for (Peer peer : copyset.getPeersList()) {
            HostPort member = peerAddress(peer.getAddress());
            try {
                GetLeaderResponse2 answer = CliService2Grpc.newBlockingStub(channel(member))
                        .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .getLeader(GetLeaderRequest2.newBuilder()
                                .setPoolId(copyset.getPoolId()).setCopysetId(copyset.getCopysetId()).build());
                if (answer.hasLeader() && !answer.getLeader().getAddress().isEmpty()) {
                    HostPort leader = peerAddress(answer.getLeader().getAddress());
                    leaders.put(key, leader);
                    return leader;
                }
                problems.append(' ').append(member).append(" knows no leader;");
            } catch (StatusRuntimeException e) {
                problems.append(' ').append(member).append(": ").append(e.getStatus().getCode()).append(';');
            }
        }
        copysets.remove(partition.getPartitionId());
        throw new RouteException("no leader for copyset " + copyset.getPoolId() + "/" + copyset.getCopysetId()
                + ":" + problems);
    }

    private Copyset copysetOf(PartitionInfo partition) {
        Copyset cached = copysets.get(partition.getPartitionId());
        if (cached != null) {
            return cached;
        }
        GetCopysetOfPartitionResponse answer = mds.topology(stub -> stub.getCopysetOfPartition(
                GetCopysetOfPartitionRequest.newBuilder().addPartitionId(partition.getPartitionId()).build()));
        Copyset copyset = answer.getCopysetMapMap().get(partition.getPartitionId());
        if (answer.getStatusCode() != TopoStatusCode.TOPO_OK || copyset == null || copyset.getPeersCount() == 0) {
            throw new RouteException("MDS knows no copyset members of partition " + partition.getPartitionId()
                    + " (" + answer.getStatusCode() + ")");
        }
        copysets.put(partition.getPartitionId(), copyset);
        return copyset;
    }

    private synchronized List<PartitionInfo> reloadPartitions() {
        ListPartitionResponse answer = mds.topology(stub -> stub.listPartition(
                ListPartitionRequest.newBuilder().setFsId(fsId).build()));
        if (answer.getStatusCode() != TopoStatusCode.TOPO_OK) {
            throw new MetaException(MetaException.Kind.FAILED,
                    "MDS cannot list partitions of fs " + fsId + ": " + answer.getStatusCode());
        }
        List<PartitionInfo> sorted = new ArrayList<>(answer.getPartitionInfoListList());
        sorted.sort(Comparator.comparingLong(PartitionInfo::getStart));
        partitions = List.copyOf(sorted);
        partitionsLoadedAtNanos = System.nanoTime();
        return partitions;
    }

    private void createPartitions() {
        CreatePartitionResponse answer = mds.topology(stub -> stub.createPartition(
                CreatePartitionRequest.newBuilder().setFsId(fsId).setCount(PARTITIONS_PER_CREATE).build()));
        if (answer.getStatusCode() != TopoStatusCode.TOPO_OK) {
            throw new MetaException(MetaException.Kind.NO_SPACE,
                    "MDS cannot create partitions for fs " + fsId + ": " + answer.getStatusCode());
        }
        LOG.info("created {} partitions for fs {}", answer.getPartitionInfoListCount(), fsId);
    }

    private List<PartitionInfo> usable(List<PartitionInfo> all) {
        return all.stream()
                .filter(p -> p.getStatus() == PartitionStatus.READWRITE && !exhausted.contains(p.getPartitionId()))
                .toList();
    }

    private static PartitionInfo find(List<PartitionInfo> sorted, long ino) {
        for (PartitionInfo p : sorted) {
            if (Long.compareUnsigned(ino, p.getStart()) >= 0 && Long.compareUnsigned(ino, p.getEnd()) <= 0) {
                return p;
            }
        }
        return null;
    }

    /** Peers are written "ip:port:index"; the port is the metaserver's gRPC port. */
    static HostPort peerAddress(String text) {
        String[] parts = text.split(":");
        if (parts.length < 2) {
            throw new RouteException("bad peer address '" + text + "'");
        }
        return HostPort.parse(parts[0] + ":" + parts[1]);
    }

    private ManagedChannel channel(HostPort address) {
        return channels.computeIfAbsent(address, Channels::open);
    }

    private static long copysetKey(int poolId, int copysetId) {
        return ((long) poolId << 32) | (copysetId & 0xffffffffL);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetaException(MetaException.Kind.UNAVAILABLE, "interrupted while waiting for a metaserver");
        }
    }

    @Override
    public void close() {
        channels.values().forEach(Channels::close);
        channels.clear();
    }

    /** A routing step failed in a way a retry may fix. */
    private static final class RouteException extends RuntimeException {
        RouteException(String message) {
            super(message);
        }
    }
}
