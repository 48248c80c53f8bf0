package io.curvefs.mds.topology;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.curvefs.mds.metaserver.PeerAddress;
import io.curvefs.mds.storage.BundledCounter;
import io.curvefs.mds.storage.Keys;
import io.curvefs.mds.storage.KeyValue;
import io.curvefs.mds.storage.MdsStorage;
import io.curvefs.mds.storage.Mutation;
import io.curvefs.mds.storage.StorageException;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.heartbeat.MetaServerSpaceStatus;
import io.curvefs.proto.topology.ClusterInfoData;
import io.curvefs.proto.topology.CopysetData;
import io.curvefs.proto.topology.MetaServerData;
import io.curvefs.proto.topology.MetaServerRegistRequest;
import io.curvefs.proto.topology.OnlineState;
import io.curvefs.proto.topology.PoolData;
import io.curvefs.proto.topology.ServerData;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.proto.topology.ZoneData;
import io.curvefs.rpc.HostPort;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The cluster map: pools, zones, servers, metaservers, copysets and partitions, kept in memory
 * and written through to {@link MdsStorage} record by record (storage first, so memory never
 * shows what a crash would lose). Liveness and heartbeat reports (online state, space, copyset
 * leaders, partition counters) change every few seconds and are kept in memory only, as
 * upstream does; they are rebuilt by the next heartbeats after a restart.
 *
 * <p>All methods are synchronized: topology changes are rare and short, and callers that do
 * slow remote work (copyset creation) do it outside this class.
 */
public final class Topology {

    public static final String DEFAULT_POOL = "pool1";
    public static final String DEFAULT_ZONE = "zone1";

    private final MdsStorage storage;
    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final int defaultReplicaNum;
    private final String clusterId;
    private final SecureRandom random = new SecureRandom();

    private final BundledCounter poolIds;
    private final BundledCounter zoneIds;
    private final BundledCounter serverIds;
    private final BundledCounter metaserverIds;
    private final BundledCounter copysetIds;
    private final BundledCounter partitionIds;

    private final Map<Integer, PoolData> pools = new TreeMap<>();
    private final Map<Integer, ZoneData> zones = new TreeMap<>();
    private final Map<Integer, ServerData> servers = new TreeMap<>();
    private final Map<Integer, MetaServerData> metaservers = new TreeMap<>();
    private final Map<Long, CopysetData> copysets = new TreeMap<>();
    private final Map<Integer, PartitionInfo> partitions = new TreeMap<>();

    private final Map<Integer, Instant> lastSeen = new HashMap<>();
    private final Map<Integer, MetaServerSpaceStatus> spaceStatus = new HashMap<>();
    private final Map<Long, CopySetInfo> copysetReports = new HashMap<>();
    private final Map<Integer, PartitionInfo> partitionReports = new HashMap<>();
    private final Map<Long, Long> copysetTerms = new HashMap<>();
    private final Map<Long, MembershipCandidate> membershipCandidates = new HashMap<>();
    /** Copysets with a membership change under way. */
    private final Set<Long> changing = new HashSet<>();

    public Topology(MdsStorage storage, Clock clock, Duration heartbeatTimeout, int defaultReplicaNum) {
        this.storage = storage;
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.defaultReplicaNum = defaultReplicaNum;
        this.poolIds = counter("pool");
        this.zoneIds = counter("zone");
        this.serverIds = counter("server");
        this.metaserverIds = counter("metaserver");
        this.copysetIds = counter("copyset");
        this.partitionIds = counter("partition");
        this.clusterId = loadOrCreateClusterId();
        load(Keys.POOL, PoolData::parseFrom, p -> pools.put(p.getPoolId(), p));
        load(Keys.ZONE, ZoneData::parseFrom, z -> zones.put(z.getZoneId(), z));
        load(Keys.SERVER, ServerData::parseFrom, s -> servers.put(s.getServerId(), s));
        load(Keys.METASERVER, MetaServerData::parseFrom, m -> metaservers.put(m.getMetaServerId(), m));
        load(Keys.COPYSET, CopysetData::parseFrom, c -> copysets.put(key(c.getPoolId(), c.getCopysetId()), c));
        load(Keys.PARTITION, PartitionInfo::parseFrom, p -> partitions.put(p.getPartitionId(), p));
        // Metaservers known before a restart get one timeout to send their next heartbeat.
        Instant now = clock.instant();
        metaservers.keySet().forEach(id -> lastSeen.put(id, now));
    }

    public String clusterId() {
        return clusterId;
    }

    // ---- pools, zones, servers ------------------------------------------------------------

    public synchronized List<PoolData> pools() {
        return List.copyOf(pools.values());
    }

    public synchronized Optional<PoolData> pool(int poolId) {
        return Optional.ofNullable(pools.get(poolId));
    }

    public synchronized Optional<PoolData> poolByName(String name) {
        return pools.values().stream().filter(p -> p.getPoolName().equals(name)).findFirst();
    }

    public synchronized List<ZoneData> zones() {
        return List.copyOf(zones.values());
    }

    public synchronized Optional<ZoneData> zone(int zoneId) {
        return Optional.ofNullable(zones.get(zoneId));
    }

    public synchronized List<ServerData> servers() {
        return List.copyOf(servers.values());
    }

    public synchronized Optional<ServerData> server(int serverId) {
        return Optional.ofNullable(servers.get(serverId));
    }

    public synchronized PoolData createPool(String name, PlacementPolicy policy) {
        if (poolByName(name).isPresent()) {
            throw new TopologyException(TopoStatusCode.TOPO_NAME_DUPLICATED, "pool " + name + " already exists");
        }
        PoolData pool = PoolData.newBuilder().setPoolId(nextId(poolIds)).setPoolName(name)
                .setCreateTime(clock.instant().getEpochSecond())
                .setRedundanceAndPlacementPolicy(policy.toJson()).setAvailFlag(true).build();
        persist(Keys.pool(pool.getPoolId()), pool);
        pools.put(pool.getPoolId(), pool);
        return pool;
    }

    public synchronized ZoneData createZone(String zoneName, String poolName) {
        PoolData pool = poolByName(poolName).orElseThrow(() -> new TopologyException(
                TopoStatusCode.TOPO_POOL_NOT_FOUND, "pool " + poolName + " not found"));
        if (zoneByName(zoneName, pool.getPoolId()).isPresent()) {
            throw new TopologyException(TopoStatusCode.TOPO_NAME_DUPLICATED,
                    "zone " + zoneName + " already exists in pool " + poolName);
        }
        ZoneData zone = ZoneData.newBuilder().setZoneId(nextId(zoneIds)).setZoneName(zoneName)
                .setPoolId(pool.getPoolId()).build();
        persist(Keys.zone(zone.getZoneId()), zone);
        zones.put(zone.getZoneId(), zone);
        return zone;
    }

    /** Adds a host; registering the same host name and IP again returns the existing server. */
    public synchronized ServerData registServer(String hostName, String internalIp, int internalPort,
            String externalIp, int externalPort, String zoneName, String poolName) {
        PoolData pool = poolByName(poolName).orElseThrow(() -> new TopologyException(
                TopoStatusCode.TOPO_POOL_NOT_FOUND, "pool " + poolName + " not found"));
        ZoneData zone = zoneByName(zoneName, pool.getPoolId()).orElseThrow(() -> new TopologyException(
                TopoStatusCode.TOPO_ZONE_NOT_FOUND, "zone " + zoneName + " not found in pool " + poolName));
        for (ServerData s : servers.values()) {
            if (s.getHostName().equals(hostName)) {
                if (s.getInternalHostIP().equals(internalIp) && s.getZoneId() == zone.getZoneId()) {
                    return s;
                }
                throw new TopologyException(TopoStatusCode.TOPO_NAME_DUPLICATED,
                        "server " + hostName + " already exists with other addresses or zone");
            }
        }
        ServerData server = ServerData.newBuilder().setServerId(nextId(serverIds)).setHostName(hostName)
                .setInternalHostIP(internalIp).setInternalPort(internalPort)
                .setExternalHostIP(externalIp).setExternalPort(externalPort)
                .setZoneId(zone.getZoneId()).setPoolId(pool.getPoolId()).build();
        persist(Keys.server(server.getServerId()), server);
        servers.put(server.getServerId(), server);
        return server;
    }

    public synchronized void deletePool(int poolId) {
        requirePool(poolId);
        if (zones.values().stream().anyMatch(z -> z.getPoolId() == poolId)) {
            throw notEmpty("pool " + poolId + " still has zones");
        }
        remove(Keys.pool(poolId));
        pools.remove(poolId);
    }

    public synchronized void deleteZone(int zoneId) {
        if (!zones.containsKey(zoneId)) {
            throw new TopologyException(TopoStatusCode.TOPO_ZONE_NOT_FOUND, "zone " + zoneId + " not found");
        }
        if (servers.values().stream().anyMatch(s -> s.getZoneId() == zoneId)) {
            throw notEmpty("zone " + zoneId + " still has servers");
        }
        remove(Keys.zone(zoneId));
        zones.remove(zoneId);
    }

    public synchronized void deleteServer(int serverId) {
        if (!servers.containsKey(serverId)) {
            throw new TopologyException(TopoStatusCode.TOPO_SERVER_NOT_FOUND, "server " + serverId + " not found");
        }
        if (metaservers.values().stream().anyMatch(m -> m.getServerId() == serverId)) {
            throw notEmpty("server " + serverId + " still has metaservers");
        }
        remove(Keys.server(serverId));
        servers.remove(serverId);
    }

    // ---- metaservers ----------------------------------------------------------------------

    public synchronized List<MetaServerData> metaservers() {
        return List.copyOf(metaservers.values());
    }

    public synchronized Optional<MetaServerData> metaserver(int id) {
        return Optional.ofNullable(metaservers.get(id));
    }

    public synchronized Optional<MetaServerData> metaserverAt(String ip, int port) {
        return metaservers.values().stream()
                .filter(m -> m.getInternalHostIP().equals(ip) && m.getInternalPort() == port).findFirst();
    }

    public static HostPort address(MetaServerData metaserver) {
        return new HostPort(metaserver.getInternalHostIP(), metaserver.getInternalPort());
    }

    /**
     * Gives a metaserver its id and token. The same internal ip:port again gets the existing
     * id and token, so a restarted metaserver keeps its identity. The metaserver joins the
     * server named by its host name (create-topology names them; several metaservers on one
     * host tell their servers apart this way), else the server with its internal IP; when none
     * exists and the cluster has no topology yet, a default pool, zone and server are made so a
     * single-node cluster needs no setup.
     */
    public synchronized MetaServerData registMetaServer(MetaServerRegistRequest request) {
        Optional<MetaServerData> existing = metaserverAt(request.getInternalIp(), request.getInternalPort());
        if (existing.isPresent()) {
            lastSeen.put(existing.get().getMetaServerId(), clock.instant());
            return existing.get();
        }
        String hostName = request.hasHostName() && !request.getHostName().isBlank()
                ? request.getHostName() : request.getInternalIp();
        ServerData server = servers.values().stream().filter(s -> s.getHostName().equals(hostName)).findFirst()
                .or(() -> servers.values().stream()
                        .filter(s -> s.getInternalHostIP().equals(request.getInternalIp())).findFirst())
                .orElseGet(() -> defaultServerFor(hostName, request));
        byte[] tokenBytes = new byte[16];
        random.nextBytes(tokenBytes);
        MetaServerData metaserver = MetaServerData.newBuilder().setMetaServerId(nextId(metaserverIds))
                .setHostName(hostName).setToken(HexFormat.of().formatHex(tokenBytes))
                .setInternalHostIP(request.getInternalIp()).setInternalPort(request.getInternalPort())
                .setExternalHostIP(request.getExternalIp()).setExternalPort(request.getExternalPort())
                .setServerId(server.getServerId()).build();
        persist(Keys.metaserver(metaserver.getMetaServerId()), metaserver);
        metaservers.put(metaserver.getMetaServerId(), metaserver);
        lastSeen.put(metaserver.getMetaServerId(), clock.instant());
        return metaserver;
    }

    private ServerData defaultServerFor(String hostName, MetaServerRegistRequest request) {
        if (pools.isEmpty()) {
            createPool(DEFAULT_POOL, new PlacementPolicy(defaultReplicaNum, 0, 1, true));
            createZone(DEFAULT_ZONE, DEFAULT_POOL);
        }
        if (poolByName(DEFAULT_POOL).flatMap(p -> zoneByName(DEFAULT_ZONE, p.getPoolId())).isEmpty()) {
            throw new TopologyException(TopoStatusCode.TOPO_SERVER_NOT_FOUND, "no server with internal IP "
                    + request.getInternalIp() + " in the topology; register the server first");
        }
        String name = servers.values().stream().anyMatch(s -> s.getHostName().equals(hostName))
                ? hostName + "-" + request.getInternalIp() : hostName;
        return registServer(name, request.getInternalIp(), 0, request.getExternalIp(), 0,
                DEFAULT_ZONE, DEFAULT_POOL);
    }

    public synchronized void deleteMetaServer(int id) {
        if (!metaservers.containsKey(id)) {
            throw new TopologyException(TopoStatusCode.TOPO_METASERVER_NOT_FOUND, "metaserver " + id + " not found");
        }
        if (copysets.values().stream().anyMatch(c -> c.getMetaServerIdsList().contains(id))) {
            throw notEmpty("metaserver " + id + " still holds copysets");
        }
        remove(Keys.metaserver(id));
        metaservers.remove(id);
        lastSeen.remove(id);
        spaceStatus.remove(id);
    }

    /** The pool a metaserver belongs to, through its server. */
    public synchronized int poolOf(MetaServerData metaserver) {
        ServerData server = servers.get(metaserver.getServerId());
        return server == null ? -1 : server.getPoolId();
    }

    public synchronized int zoneOf(MetaServerData metaserver) {
        ServerData server = servers.get(metaserver.getServerId());
        return server == null ? -1 : server.getZoneId();
    }

    // ---- liveness and heartbeat reports -------------------------------------------------

    public synchronized void recordHeartbeat(int metaserverId, MetaServerSpaceStatus space) {
        lastSeen.put(metaserverId, clock.instant());
        spaceStatus.put(metaserverId, space);
    }

    public synchronized OnlineState onlineState(int metaserverId) {
        Instant seen = lastSeen.get(metaserverId);
        boolean online = seen != null && !clock.instant().isAfter(seen.plus(heartbeatTimeout));
        return online ? OnlineState.ONLINE : OnlineState.OFFLINE;
    }

    public synchronized Optional<MetaServerSpaceStatus> spaceStatus(int metaserverId) {
        return Optional.ofNullable(spaceStatus.get(metaserverId));
    }

    /**
     * Takes in one copyset as a metaserver reported it. The leader's report is the truth for
     * the copyset's partitions and members; a follower's report is kept only until a leader
     * reports. A membership that differs from the record is adopted when the leader of the
     * newest term reports it twice in a row and no scheduled change of that copyset is under
     * way (a single report may have been built before a change the MDS already recorded).
     */
    public synchronized void recordCopysetReport(MetaServerData reporter, CopySetInfo info) {
        long key = key(info.getPoolId(), info.getCopysetId());
        CopysetData copyset = copysets.get(key);
        if (copyset == null) {
            return;
        }
        boolean fromLeader = PeerAddress.parse(info.getLeaderPeer().getAddress())
                .map(a -> a.equals(address(reporter))).orElse(false);
        CopySetInfo known = copysetReports.get(key);
        if (fromLeader || known == null) {
            copysetReports.put(key, info);
        }
        if (!fromLeader) {
            return;
        }
        info.getPartitionInfoListList().stream().filter(p -> partitions.containsKey(p.getPartitionId()))
                .forEach(p -> partitionReports.put(p.getPartitionId(), p));
        long newestTerm = copysetTerms.getOrDefault(key, 0L);
        if (info.getTerm() < newestTerm) {
            return;
        }
        copysetTerms.put(key, info.getTerm());
        Optional<List<Integer>> reported = memberIds(info);
        if (reported.isEmpty() || Set.copyOf(reported.get()).equals(Set.copyOf(copyset.getMetaServerIdsList()))
                || changing.contains(key)) {
            membershipCandidates.remove(key);
            return;
        }
        MembershipCandidate candidate = new MembershipCandidate(reporter.getMetaServerId(), info.getTerm(),
                Set.copyOf(reported.get()));
        if (candidate.equals(membershipCandidates.put(key, candidate))) {
            membershipCandidates.remove(key);
            replaceMembers(copyset.getPoolId(), copyset.getCopysetId(), reported.get());
        }
    }

    private record MembershipCandidate(int reporter, long term, Set<Integer> members) {
    }

    private Optional<List<Integer>> memberIds(CopySetInfo info) {
        List<Integer> members = new ArrayList<>();
        for (var peer : info.getPeersList()) {
            Optional<MetaServerData> m = PeerAddress.parse(peer.getAddress())
                    .flatMap(a -> metaserverAt(a.host(), a.port()));
            if (m.isEmpty()) {
                return Optional.empty();
            }
            members.add(m.get().getMetaServerId());
        }
        return members.isEmpty() ? Optional.empty() : Optional.of(members);
    }

    /** Records a copyset's new members (after a membership change), bumping its epoch. */
    public synchronized CopysetData replaceMembers(int poolId, int copysetId, List<Integer> members) {
        CopysetData copyset = copysets.get(key(poolId, copysetId));
        if (copyset == null) {
            throw new TopologyException(TopoStatusCode.TOPO_COPYSET_NOT_FOUND,
                    "copyset " + poolId + "/" + copysetId + " not found");
        }
        CopysetData updated = copyset.toBuilder().setEpoch(copyset.getEpoch() + 1)
                .clearMetaServerIds().addAllMetaServerIds(members).build();
        persist(Keys.copyset(poolId, copysetId), updated);
        copysets.put(key(poolId, copysetId), updated);
        return updated;
    }

    /**
     * Marks a membership change of the copyset as under way (a joining metaserver holds the
     * copyset before the record lists it). False when one already is.
     */
    public synchronized boolean beginChange(int poolId, int copysetId) {
        return changing.add(key(poolId, copysetId));
    }

    public synchronized void endChange(int poolId, int copysetId) {
        changing.remove(key(poolId, copysetId));
    }

    /**
     * The copysets whose configuration {@code reporter} must be told in the heartbeat answer:
     * those the record makes it a member of but it did not report (its data was lost, so it
     * creates them and its leader catches it up), and those it reported but is no longer a
     * member of, according to both the record and the copyset's current leader (it drops them).
     */
    public synchronized List<CopysetData> disagreements(MetaServerData reporter, List<CopySetInfo> reported) {
        int id = reporter.getMetaServerId();
        Set<Long> held = new HashSet<>();
        List<CopysetData> out = new ArrayList<>();
        for (CopySetInfo info : reported) {
            long key = key(info.getPoolId(), info.getCopysetId());
            held.add(key);
            CopysetData copyset = copysets.get(key);
            CopySetInfo leaderReport = copysetReports.get(key);
            if (copyset == null || copyset.getMetaServerIdsList().contains(id) || changing.contains(key)
                    || leaderReport == null) {
                continue;
            }
            boolean leaderListsIt = leaderReport.getPeersList().stream()
                    .anyMatch(p -> PeerAddress.parse(p.getAddress()).map(a -> a.equals(address(reporter)))
                            .orElse(false));
            boolean leaderIsIt = PeerAddress.parse(leaderReport.getLeaderPeer().getAddress())
                    .map(a -> a.equals(address(reporter))).orElse(true);
            if (!leaderListsIt && !leaderIsIt) {
                out.add(copyset);
            }
        }
        for (Map.Entry<Long, CopysetData> e : copysets.entrySet()) {
            if (!held.contains(e.getKey()) && e.getValue().getMetaServerIdsList().contains(id)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** How long the metaserver has been without heartbeat; zero while it is online. */
    public synchronized Duration offlineFor(int metaserverId) {
        Instant seen = lastSeen.get(metaserverId);
        if (seen == null) {
            return Duration.ZERO;
        }
        Duration silent = Duration.between(seen, clock.instant());
        return silent.compareTo(heartbeatTimeout) > 0 ? silent : Duration.ZERO;
    }

    public synchronized Optional<CopySetInfo> copysetReport(int poolId, int copysetId) {
        return Optional.ofNullable(copysetReports.get(key(poolId, copysetId)));
    }

    // ---- copysets and partitions --------------------------------------------------------

    public synchronized List<CopysetData> copysets() {
        return List.copyOf(copysets.values());
    }

    public synchronized Optional<CopysetData> copyset(int poolId, int copysetId) {
        return Optional.ofNullable(copysets.get(key(poolId, copysetId)));
    }

    public synchronized int partitionCount(CopysetData copyset) {
        return (int) partitions.values().stream()
                .filter(p -> p.getPoolId() == copyset.getPoolId() && p.getCopysetId() == copyset.getCopysetId())
                .count();
    }

    public synchronized int copysetCount(int metaserverId) {
        return (int) copysets.values().stream().filter(c -> c.getMetaServerIdsList().contains(metaserverId)).count();
    }

    /** Reserves a copyset id (persisted first, never handed out again). */
    public synchronized int reserveCopysetId() {
        return nextId(copysetIds);
    }

    public synchronized int reservePartitionId() {
        return nextId(partitionIds);
    }

    public synchronized void addCopyset(CopysetData copyset) {
        persist(Keys.copyset(copyset.getPoolId(), copyset.getCopysetId()), copyset);
        copysets.put(key(copyset.getPoolId(), copyset.getCopysetId()), copyset);
    }

    public synchronized void addPartition(PartitionInfo partition) {
        persist(Keys.partition(partition.getPartitionId()), partition);
        partitions.put(partition.getPartitionId(), partition);
    }

    public synchronized void removePartition(int partitionId) {
        remove(Keys.partition(partitionId));
        partitions.remove(partitionId);
        partitionReports.remove(partitionId);
    }

    /** A partition as stored, with the counters and status of the latest leader report. */
    public synchronized Optional<PartitionInfo> partition(int partitionId) {
        return Optional.ofNullable(partitions.get(partitionId)).map(this::withReport);
    }

    public synchronized List<PartitionInfo> partitionsOf(int fsId) {
        return partitions.values().stream().filter(p -> p.getFsId() == fsId).map(this::withReport).toList();
    }

    public synchronized List<PartitionInfo> partitions() {
        return partitions.values().stream().map(this::withReport).toList();
    }

    private PartitionInfo withReport(PartitionInfo stored) {
        PartitionInfo report = partitionReports.get(stored.getPartitionId());
        if (report == null) {
            return stored;
        }
        PartitionInfo.Builder b = stored.toBuilder().setStatus(report.getStatus())
                .putAllFileType2InodeNum(report.getFileType2InodeNumMap());
        if (report.hasInodeNum()) {
            b.setInodeNum(report.getInodeNum());
        }
        if (report.hasDentryNum()) {
            b.setDentryNum(report.getDentryNum());
        }
        if (report.hasNextId()) {
            b.setNextId(report.getNextId());
        }
        return b.build();
    }

    /** Sets the txIds of several partitions, and writes {@code alsoWrite}, in one atomic write. */
    public synchronized void commitTxIds(Map<Integer, Long> txIds, List<Mutation> alsoWrite) {
        List<Mutation> writes = new ArrayList<>(alsoWrite);
        Map<Integer, PartitionInfo> updated = new HashMap<>();
        for (Map.Entry<Integer, Long> e : txIds.entrySet()) {
            PartitionInfo p = partitions.get(e.getKey());
            if (p == null) {
                throw new TopologyException(TopoStatusCode.TOPO_PARTITION_NOT_FOUND,
                        "partition " + e.getKey() + " not found");
            }
            PartitionInfo next = p.toBuilder().setTxId(e.getValue()).build();
            updated.put(next.getPartitionId(), next);
            writes.add(Mutation.put(Keys.partition(next.getPartitionId()), next.toByteArray()));
        }
        storage.write(writes);
        partitions.putAll(updated);
    }

    // ---- helpers ------------------------------------------------------------------------

    private Optional<ZoneData> zoneByName(String name, int poolId) {
        return zones.values().stream().filter(z -> z.getPoolId() == poolId && z.getZoneName().equals(name))
                .findFirst();
    }

    private void requirePool(int poolId) {
        if (!pools.containsKey(poolId)) {
            throw new TopologyException(TopoStatusCode.TOPO_POOL_NOT_FOUND, "pool " + poolId + " not found");
        }
    }

    private static TopologyException notEmpty(String message) {
        return new TopologyException(TopoStatusCode.TOPO_CANNOT_REMOVE_WHEN_NOT_EMPTY, message);
    }

    private static long key(int poolId, int copysetId) {
        return ((long) poolId << 32) | (copysetId & 0xffffffffL);
    }

    private BundledCounter counter(String kind) {
        return new BundledCounter(storage, Keys.topologyIdCounter(kind), 1, 1);
    }

    private int nextId(BundledCounter counter) {
        try {
            return Math.toIntExact(counter.allocate(1));
        } catch (StorageException e) {
            throw new TopologyException(TopoStatusCode.TOPO_STORGE_FAIL, e.getMessage());
        }
    }

    private void persist(byte[] key, MessageLite record) {
        try {
            storage.put(key, record.toByteArray());
        } catch (StorageException e) {
            throw new TopologyException(TopoStatusCode.TOPO_STORGE_FAIL, e.getMessage());
        }
    }

    private void remove(byte[] key) {
        try {
            storage.delete(key);
        } catch (StorageException e) {
            throw new TopologyException(TopoStatusCode.TOPO_STORGE_FAIL, e.getMessage());
        }
    }

    private String loadOrCreateClusterId() {
        Optional<byte[]> stored = storage.get(Keys.CLUSTER);
        if (stored.isPresent()) {
            return parse(stored.get(), ClusterInfoData::parseFrom).getClusterId();
        }
        ClusterInfoData cluster = ClusterInfoData.newBuilder().setClusterId(UUID.randomUUID().toString()).build();
        storage.put(Keys.CLUSTER, cluster.toByteArray());
        return cluster.getClusterId();
    }

    private interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    private <T> void load(byte[] prefix, Parser<T> parser, Consumer<T> sink) {
        for (KeyValue kv : storage.scan(prefix)) {
            sink.accept(parse(kv.value(), parser));
        }
    }

    private static <T> T parse(byte[] bytes, Parser<T> parser) {
        try {
            return parser.parse(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new StorageException("corrupt topology record: " + e.getMessage(), e);
        }
    }
}
