package io.curvefs.mds.schedule;

import io.curvefs.mds.metaserver.MetaserverCallException;
import io.curvefs.mds.metaserver.MetaserverClient;
import io.curvefs.mds.metaserver.PeerAddress;
import io.curvefs.mds.topology.PlacementPolicy;
import io.curvefs.mds.topology.Topology;
import io.curvefs.mds.topology.TopologyException;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.topology.CopysetData;
import io.curvefs.proto.topology.MetaServerData;
import io.curvefs.proto.topology.OnlineState;
import io.curvefs.rpc.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the replicas of metaservers that stay offline past the offline timeout, as upstream's
 * recover scheduler does. For a copyset with such a member and a quorum still online:
 * <ol>
 *   <li>when fewer healthy members remain than the pool wants, an online metaserver of the pool
 *       that is not a member (another zone first, then the fewest copysets) creates the copyset
 *       with the members plus itself as peers, and the leader adds it (AddPeer answers once the
 *       new replica has caught up, by snapshot when needed);</li>
 *   <li>the leader removes the offline member.</li>
 * </ol>
 * Each committed step is recorded in the topology at once. Steps are idempotent over rounds: a
 * round that failed half-way finds a copyset with an extra member and only removes the lost one.
 * The copyset is marked as changing meanwhile, so heartbeats neither adopt an intermediate
 * membership nor tell the joining metaserver to drop its new replica. A metaserver that comes
 * back later is told in its heartbeat answer to drop the copysets it lost.
 *
 * <p>One copyset is changed at a time, on the scheduler's own thread (calls block for as long as
 * a catch-up takes).
 */
public final class RecoverScheduler implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RecoverScheduler.class);
    /** Upstream's limit for an add (catch-up of a whole copyset) is 30 min, for a remove 5 min. */
    private static final Duration ADD_WAIT = Duration.ofMinutes(30);
    private static final Duration REMOVE_WAIT = Duration.ofMinutes(5);

    private final Topology topology;
    private final MetaserverClient metaservers;
    private final Duration offlineTimeout;

    public RecoverScheduler(Topology topology, MetaserverClient metaservers, Duration offlineTimeout) {
        this.topology = topology;
        this.metaservers = metaservers;
        this.offlineTimeout = offlineTimeout;
    }

    /** How often to look: a quarter of the offline timeout, between 200 ms and upstream's 5 s. */
    public static Duration interval(Duration offlineTimeout) {
        Duration quarter = offlineTimeout.dividedBy(4);
        Duration floor = Duration.ofMillis(200);
        Duration ceiling = Duration.ofSeconds(5);
        return quarter.compareTo(floor) < 0 ? floor : quarter.compareTo(ceiling) > 0 ? ceiling : quarter;
    }

    @Override
    public void run() {
        for (CopysetData copyset : topology.copysets()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                recover(copyset);
            } catch (TopologyException | MetaserverCallException e) {
                LOG.warn("recovering copyset {}/{} failed, will retry: {}", copyset.getPoolId(),
                        copyset.getCopysetId(), e.getMessage());
            }
        }
    }

    private void recover(CopysetData copyset) {
        List<Integer> members = copyset.getMetaServerIdsList();
        List<Integer> lost = members.stream()
                .filter(id -> topology.offlineFor(id).compareTo(offlineTimeout) >= 0).toList();
        if (lost.isEmpty()) {
            return;
        }
        List<Integer> online = members.stream()
                .filter(id -> topology.onlineState(id) == OnlineState.ONLINE).toList();
        if (online.size() * 2 <= members.size()) {
            LOG.debug("copyset {}/{} has no online quorum ({} of {}); nothing to change", copyset.getPoolId(),
                    copyset.getCopysetId(), online.size(), members.size());
            return;
        }
        if (!topology.beginChange(copyset.getPoolId(), copyset.getCopysetId())) {
            return;
        }
        try {
            CopysetData current = copyset;
            if (online.size() < wantedReplicas(copyset)) {
                Optional<MetaServerData> target = replacement(copyset, online);
                if (target.isEmpty()) {
                    LOG.warn("copyset {}/{} lost metaserver {} but no other online metaserver can take its "
                            + "replica", copyset.getPoolId(), copyset.getCopysetId(), lost.get(0));
                    return;
                }
                current = add(copyset, target.get());
            }
            remove(current, lost.get(0));
        } finally {
            topology.endChange(copyset.getPoolId(), copyset.getCopysetId());
        }
    }

    private int wantedReplicas(CopysetData copyset) {
        PlacementPolicy policy = topology.pool(copyset.getPoolId())
                .map(p -> PlacementPolicy.parse(p.getRedundanceAndPlacementPolicy()))
                .orElse(new PlacementPolicy(copyset.getMetaServerIdsCount(), 0, 1));
        if (!policy.fitToOnline()) {
            return policy.replicaNum();
        }
        long onlineInPool = topology.metaservers().stream()
                .filter(m -> topology.poolOf(m) == copyset.getPoolId())
                .filter(m -> topology.onlineState(m.getMetaServerId()) == OnlineState.ONLINE).count();
        return (int) Math.min(policy.replicaNum(), onlineInPool);
    }

    /** An online metaserver of the pool outside the copyset: unused zone first, then fewest copysets. */
    private Optional<MetaServerData> replacement(CopysetData copyset, List<Integer> online) {
        Set<Integer> zonesInUse = new HashSet<>();
        online.forEach(id -> topology.metaserver(id).ifPresent(m -> zonesInUse.add(topology.zoneOf(m))));
        return topology.metaservers().stream()
                .filter(m -> topology.poolOf(m) == copyset.getPoolId())
                .filter(m -> !copyset.getMetaServerIdsList().contains(m.getMetaServerId()))
                .filter(m -> topology.onlineState(m.getMetaServerId()) == OnlineState.ONLINE)
                .min(Comparator.comparing((MetaServerData m) -> zonesInUse.contains(topology.zoneOf(m)))
                        .thenComparingInt(m -> topology.copysetCount(m.getMetaServerId()))
                        .thenComparingInt(MetaServerData::getMetaServerId));
    }

    private CopysetData add(CopysetData copyset, MetaServerData target) {
        List<Peer> peers = new ArrayList<>(peersOf(copyset.getMetaServerIdsList()));
        Peer joining = peer(target);
        peers.add(joining);
        COPYSET_OP_STATUS created = metaservers.createCopyset(Topology.address(target), copyset.getPoolId(),
                copyset.getCopysetId(), peers);
        if (created != COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS
                && created != COPYSET_OP_STATUS.COPYSET_OP_STATUS_EXIST) {
            throw new MetaserverCallException("metaserver " + Topology.address(target) + " refused copyset "
                    + copyset.getPoolId() + "/" + copyset.getCopysetId() + ": " + created);
        }
        LOG.info("copyset {}/{}: adding metaserver {} ({})", copyset.getPoolId(), copyset.getCopysetId(),
                target.getMetaServerId(), Topology.address(target));
        List<Peer> after = metaservers.addPeer(leaderOf(copyset), copyset.getPoolId(), copyset.getCopysetId(),
                joining, ADD_WAIT);
        return record(copyset, after);
    }

    private void remove(CopysetData copyset, int lostId) {
        MetaServerData lost = topology.metaserver(lostId).orElseThrow();
        LOG.info("copyset {}/{}: removing offline metaserver {} ({})", copyset.getPoolId(), copyset.getCopysetId(),
                lostId, Topology.address(lost));
        List<Peer> after = metaservers.removePeer(leaderOf(copyset), copyset.getPoolId(), copyset.getCopysetId(),
                peer(lost), REMOVE_WAIT);
        CopysetData recorded = record(copyset, after);
        LOG.info("copyset {}/{} now on metaservers {}", recorded.getPoolId(), recorded.getCopysetId(),
                recorded.getMetaServerIdsList());
    }

    private CopysetData record(CopysetData copyset, List<Peer> peers) {
        List<Integer> ids = new ArrayList<>();
        for (Peer p : peers) {
            HostPort address = PeerAddress.parse(p.getAddress()).orElseThrow(() -> new MetaserverCallException(
                    "the leader answered an unreadable peer '" + p.getAddress() + "'"));
            ids.add(topology.metaserverAt(address.host(), address.port()).orElseThrow(() ->
                    new MetaserverCallException("the leader answered an unknown peer " + address))
                    .getMetaServerId());
        }
        return topology.replaceMembers(copyset.getPoolId(), copyset.getCopysetId(), ids);
    }

    /** Asks the online members who leads; a member that leads answers with itself. */
    private HostPort leaderOf(CopysetData copyset) {
        String problem = "no online member";
        for (int id : copyset.getMetaServerIdsList()) {
            Optional<MetaServerData> member = topology.metaserver(id);
            if (member.isEmpty() || topology.onlineState(id) != OnlineState.ONLINE) {
                continue;
            }
            try {
                Optional<HostPort> leader = metaservers.getLeader(Topology.address(member.get()),
                        copyset.getPoolId(), copyset.getCopysetId());
                if (leader.isPresent()) {
                    return leader.get();
                }
            } catch (MetaserverCallException e) {
                problem = e.getMessage();
            }
        }
        throw new MetaserverCallException("copyset " + copyset.getPoolId() + "/" + copyset.getCopysetId()
                + " has no known leader: " + problem);
    }

    private List<Peer> peersOf(List<Integer> ids) {
        return ids.stream().map(id -> topology.metaserver(id).map(RecoverScheduler::peer).orElseThrow()).toList();
    }

    private static Peer peer(MetaServerData m) {
        return Peer.newBuilder().setId(m.getMetaServerId()).setAddress(PeerAddress.of(Topology.address(m), 0))
                .build();
    }
}
