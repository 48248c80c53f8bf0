package io.curvefs.mds.topology;

import io.curvefs.mds.metaserver.MetaserverCallException;
import io.curvefs.mds.metaserver.MetaserverClient;
import io.curvefs.mds.metaserver.PeerAddress;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.metaserver.CreateRootInodeRequest;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.Time;
import io.curvefs.proto.topology.CopysetData;
import io.curvefs.proto.topology.MetaServerData;
import io.curvefs.proto.topology.OnlineState;
import io.curvefs.proto.topology.PoolData;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.rpc.HostPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places partitions on copysets and makes the metaservers create them. Each new partition
 * takes the next inode-id range of its fs and goes to the copyset holding the fewest
 * partitions; when every copyset is full (or none exists) a copyset is made on the online
 * metaservers with the fewest copysets. Placement runs one request at a time, so two
 * requests never hand out the same range. A partition record is stored only after its
 * metaserver accepted it, so a failed request leaves no record and can simply be repeated.
 */
public final class PartitionManager {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionManager.class);

    /** Root directory: S_IFDIR with rwxrwxrwt. */
    public static final int ROOT_MODE = 040000 | 01777;
    public static final long ROOT_INODE_ID = 1;
    private static final long FIRST_FREE_INODE_ID = 3;

    private final Topology topology;
    private final MetaserverClient metaservers;
    private final CopysetLeaderCalls leaderCalls;
    private final Clock clock;
    private final long idsPerPartition;
    private final int maxPartitionsPerCopyset;
    private final Object placementLock = new Object();

    public PartitionManager(Topology topology, MetaserverClient metaservers, Clock clock, long idsPerPartition,
            int maxPartitionsPerCopyset, Duration leaderWait) {
        this.topology = topology;
        this.metaservers = metaservers;
        this.leaderCalls = new CopysetLeaderCalls(topology, metaservers, leaderWait);
        this.clock = clock;
        this.idsPerPartition = idsPerPartition;
        this.maxPartitionsPerCopyset = maxPartitionsPerCopyset;
    }

    /** Creates {@code count} partitions after the fs's highest one; returns them in range order. */
    public List<PartitionInfo> createPartitions(int fsId, int count) {
        if (count < 1) {
            throw new TopologyException(TopoStatusCode.TOPO_INVALID_PARAM, "partition count must be >= 1");
        }
        synchronized (placementLock) {
            long start = topology.partitionsOf(fsId).stream().mapToLong(PartitionInfo::getEnd).max()
                    .orElse(-1) + 1;
            List<PartitionInfo> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                created.add(createPartition(fsId, start));
                start += idsPerPartition;
            }
            return created;
        }
    }

    private PartitionInfo createPartition(int fsId, long start) {
        CopysetData copyset = copysetWithRoom().orElseGet(this::createCopyset);
        PartitionInfo partition = PartitionInfo.newBuilder().setFsId(fsId).setPoolId(copyset.getPoolId())
                .setCopysetId(copyset.getCopysetId()).setPartitionId(topology.reservePartitionId())
                .setStart(start).setEnd(start + idsPerPartition - 1).setTxId(0)
                .setNextId(Math.max(start, FIRST_FREE_INODE_ID)).setStatus(PartitionStatus.READWRITE)
                .setInodeNum(0).setDentryNum(0).build();
        MetaStatusCode code = leaderCalls.onLeader(copyset, leader -> metaservers.createPartition(leader, partition));
        if (code != MetaStatusCode.OK && code != MetaStatusCode.PARTITION_EXIST) {
            throw new TopologyException(TopoStatusCode.TOPO_CREATE_PARTITION_FAIL, "metaserver refused partition "
                    + partition.getPartitionId() + " of fs " + fsId + ": " + code);
        }
        topology.addPartition(partition);
        LOG.info("created partition {} of fs {} [{}, {}] on copyset {}/{}", partition.getPartitionId(), fsId,
                partition.getStart(), partition.getEnd(), copyset.getPoolId(), copyset.getCopysetId());
        return partition;
    }

    private Optional<CopysetData> copysetWithRoom() {
        return topology.copysets().stream()
                .filter(c -> c.getAvailFlag())
                .filter(c -> c.getMetaServerIdsList().stream()
                        .anyMatch(id -> topology.onlineState(id) == OnlineState.ONLINE))
                .filter(c -> topology.partitionCount(c) < maxPartitionsPerCopyset)
                .min(Comparator.comparingInt(topology::partitionCount).thenComparingInt(CopysetData::getCopysetId));
    }

    private CopysetData createCopyset() {
        String shortage = "no pool exists";
        for (PoolData pool : topology.pools()) {
            PlacementPolicy policy = PlacementPolicy.parse(pool.getRedundanceAndPlacementPolicy());
            int replicas = policy.replicaNum();
            List<MetaServerData> members = pickMembers(pool.getPoolId(), replicas);
            if (members.size() == replicas || (policy.fitToOnline() && !members.isEmpty())) {
                return createCopysetOn(pool.getPoolId(), members);
            }
            shortage = "pool " + pool.getPoolName() + " needs " + replicas + " online metaservers, has "
                    + members.size();
        }
        throw new TopologyException(TopoStatusCode.TOPO_CREATE_COPYSET_ERROR, "cannot create a copyset: " + shortage);
    }

    /** Online metaservers of the pool, fewest copysets first, spread over distinct zones first. */
    private List<MetaServerData> pickMembers(int poolId, int replicas) {
        List<MetaServerData> candidates = topology.metaservers().stream()
                .filter(m -> topology.poolOf(m) == poolId)
                .filter(m -> topology.onlineState(m.getMetaServerId()) == OnlineState.ONLINE)
                .sorted(Comparator.comparingInt((MetaServerData m) -> topology.copysetCount(m.getMetaServerId()))
                        .thenComparingInt(MetaServerData::getMetaServerId))
                .toList();
        List<MetaServerData> picked = new ArrayList<>();
        Set<Integer> zonesUsed = new HashSet<>();
        for (MetaServerData m : candidates) {
            if (picked.size() < replicas && zonesUsed.add(topology.zoneOf(m))) {
                picked.add(m);
            }
        }
        for (MetaServerData m : candidates) {
            if (picked.size() < replicas && !picked.contains(m)) {
                picked.add(m);
            }
        }
        return picked;
    }

    private CopysetData createCopysetOn(int poolId, List<MetaServerData> members) {
        int copysetId = topology.reserveCopysetId();
        List<Peer> peers = members.stream().map(m -> Peer.newBuilder().setId(m.getMetaServerId())
                .setAddress(PeerAddress.of(Topology.address(m), 0)).build()).toList();
        for (MetaServerData m : members) {
            HostPort address = Topology.address(m);
            COPYSET_OP_STATUS status;
            try {
                status = metaservers.createCopyset(address, poolId, copysetId, peers);
            } catch (MetaserverCallException e) {
                throw new TopologyException(TopoStatusCode.TOPO_CREATE_COPYSET_ON_METASERVER_FAIL, e.getMessage());
            }
            if (status != COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS
                    && status != COPYSET_OP_STATUS.COPYSET_OP_STATUS_EXIST) {
                throw new TopologyException(TopoStatusCode.TOPO_CREATE_COPYSET_ON_METASERVER_FAIL,
                        "metaserver " + address + " refused copyset " + poolId + "/" + copysetId + ": " + status);
            }
        }
        CopysetData copyset = CopysetData.newBuilder().setCopysetId(copysetId).setPoolId(poolId).setEpoch(0)
                .addAllMetaServerIds(members.stream().map(MetaServerData::getMetaServerId).toList())
                .setAvailFlag(true).build();
        topology.addCopyset(copyset);
        LOG.info("created copyset {}/{} on metaservers {}", poolId, copysetId, copyset.getMetaServerIdsList());
        return copyset;
    }

    /** Creates the fs root inode (id 1) in the partition whose range holds it. */
    public void createRootInode(int fsId) {
        PartitionInfo partition = topology.partitionsOf(fsId).stream()
                .filter(p -> p.getStart() <= ROOT_INODE_ID && ROOT_INODE_ID <= p.getEnd()).findFirst()
                .orElseThrow(() -> new TopologyException(TopoStatusCode.TOPO_PARTITION_NOT_FOUND,
                        "fs " + fsId + " has no partition holding inode " + ROOT_INODE_ID));
        CopysetData copyset = copysetOf(partition);
        Instant now = clock.instant();
        CreateRootInodeRequest request = CreateRootInodeRequest.newBuilder().setPoolId(partition.getPoolId())
                .setCopysetId(partition.getCopysetId()).setPartitionId(partition.getPartitionId())
                .setFsId(fsId).setUid(0).setGid(0).setMode(ROOT_MODE)
                .setCreate(Time.newBuilder().setSec(now.getEpochSecond()).setNsec(now.getNano()))
                .build();
        MetaStatusCode code = leaderCalls.onLeader(copyset, leader -> metaservers.createRootInode(leader, request));
        if (code != MetaStatusCode.OK && code != MetaStatusCode.INODE_EXIST) {
            throw new TopologyException(TopoStatusCode.TOPO_INTERNAL_ERROR,
                    "metaserver refused the root inode of fs " + fsId + ": " + code);
        }
    }

    /** Deletes the partition on its copyset, then its record; an already deleted one is fine. */
    public void deletePartition(int partitionId) {
        PartitionInfo partition = topology.partition(partitionId).orElseThrow(() -> new TopologyException(
                TopoStatusCode.TOPO_PARTITION_NOT_FOUND, "partition " + partitionId + " not found"));
        CopysetData copyset = copysetOf(partition);
        MetaStatusCode code = leaderCalls.onLeader(copyset, leader -> metaservers.deletePartition(leader,
                partition.getPoolId(), partition.getCopysetId(), partitionId));
        if (code != MetaStatusCode.OK && code != MetaStatusCode.PARTITION_NOT_FOUND) {
            throw new TopologyException(TopoStatusCode.TOPO_INTERNAL_ERROR,
                    "metaserver refused to delete partition " + partitionId + ": " + code);
        }
        topology.removePartition(partitionId);
    }

    private CopysetData copysetOf(PartitionInfo partition) {
        return topology.copyset(partition.getPoolId(), partition.getCopysetId())
                .orElseThrow(() -> new TopologyException(TopoStatusCode.TOPO_COPYSET_NOT_FOUND, "copyset "
                        + partition.getPoolId() + "/" + partition.getCopysetId() + " of partition "
                        + partition.getPartitionId() + " not found"));
    }
}
