package io.curvefs.mds.fs;

import com.google.protobuf.InvalidProtocolBufferException;
import io.curvefs.mds.storage.BundledCounter;
import io.curvefs.mds.storage.KeyValue;
import io.curvefs.mds.storage.Keys;
import io.curvefs.mds.storage.MdsStorage;
import io.curvefs.mds.storage.Mutation;
import io.curvefs.mds.storage.StorageException;
import io.curvefs.mds.topology.PartitionManager;
import io.curvefs.mds.topology.Topology;
import io.curvefs.mds.topology.TopologyException;
import io.curvefs.proto.common.FSType;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.CommitTxRequest;
import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.FsStatus;
import io.curvefs.proto.mds.FsUsage;
import io.curvefs.proto.mds.GetLatestTxIdRequest;
import io.curvefs.proto.mds.GetLatestTxIdResponse;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.proto.mds.PartitionTxId;
import io.curvefs.proto.mds.RefreshSessionRequest;
import io.curvefs.proto.mds.RefreshSessionResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File systems, their mount points and sessions, chunk ids, TSO and rename-v1 transaction ids.
 *
 * <p>FsInfo records (with their mount points, as upstream) are kept in memory and written
 * through to storage before memory changes. Work on one fs runs under that fs name's lock;
 * CreateFs and DeleteFs call metaservers while holding it, which only delays requests for the
 * same name. CreateFs is resumable: a record left in status NEW by a failed attempt is
 * finished by the next CreateFs with the same parameters (partitions that already exist are
 * kept). Mount sessions (last refresh times) and rename locks live in memory only: after a
 * restart every mount gets one full session timeout to refresh again.
 */
public final class FsManager {

    private static final Logger LOG = LoggerFactory.getLogger(FsManager.class);
    private static final Duration TX_LOCK_TTL = Duration.ofSeconds(5);
    private static final long TSO_BUNDLE = 1000;

    private final MdsStorage storage;
    private final Topology topology;
    private final PartitionManager partitions;
    private final S3InfoChecker s3Checker;
    private final Clock clock;
    private final int partitionsPerFs;
    private final Duration sessionTimeout;

    private final BundledCounter fsIds;
    private final BundledCounter chunkIds;
    private final BundledCounter tso;

    private final Map<String, FsInfo> fsByName = new ConcurrentHashMap<>();
    private final Map<String, Long> usedBytes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Instant>> sessions = new ConcurrentHashMap<>();
    private final Map<String, TxLock> txLocks = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> nameLocks = new ConcurrentHashMap<>();
    private volatile String clientMdsAddrsOverride = "";

    private record TxLock(String owner, Instant expires) {
    }

    public FsManager(MdsStorage storage, Topology topology, PartitionManager partitions, S3InfoChecker s3Checker,
            Clock clock, int partitionsPerFs, Duration sessionTimeout, int chunkIdBundle) {
        this.storage = storage;
        this.topology = topology;
        this.partitions = partitions;
        this.s3Checker = s3Checker;
        this.clock = clock;
        this.partitionsPerFs = partitionsPerFs;
        this.sessionTimeout = sessionTimeout;
        this.fsIds = new BundledCounter(storage, Keys.FS_ID_COUNTER, 1, 1);
        this.chunkIds = new BundledCounter(storage, Keys.CHUNK_ID_COUNTER, 1, chunkIdBundle);
        this.tso = new BundledCounter(storage, Keys.TSO_COUNTER, 1, TSO_BUNDLE);
        load();
    }

    private void load() {
        Instant now = clock.instant();
        for (KeyValue kv : storage.scan(Keys.FS_INFO)) {
            FsInfo info = parse(kv.value());
            fsByName.put(info.getFsName(), info);
            Map<String, Instant> alive = new ConcurrentHashMap<>();
            info.getMountpointsList().forEach(m -> alive.put(mountKey(m), now));
            sessions.put(info.getFsName(), alive);
            storage.get(Keys.fsUsage(info.getFsName())).ifPresent(bytes -> usedBytes.put(info.getFsName(),
                    parseUsage(bytes).getUsedBytes()));
        }
    }

    // ---- create and delete ------------------------------------------------------------------

    public FsInfo createFs(CreateFsRequest request) {
        String name = request.getFsName();
        if (!FsNames.isValid(name)) {
            throw new FsException(FSStatusCode.FSNAME_INVALID, "fs name '" + name
                    + "' is invalid: use lower-case letters and digits, groups joined by single dashes");
        }
        return underLock(name, () -> {
            FsInfo existing = fsByName.get(name);
            if (existing != null) {
                if (!sameParameters(existing, request)) {
                    throw new FsException(FSStatusCode.FS_EXIST, "fs " + name + " exists with other parameters");
                }
                if (existing.getStatus() == FsStatus.DELETING) {
                    throw new FsException(FSStatusCode.UNDER_DELETING, "fs " + name + " is being deleted");
                }
                return existing.getStatus() == FsStatus.INITED ? existing : finishCreate(existing);
            }
            checkParameters(request);
            s3Checker.verify(request.getFsDetail().getS3Info());
            FsInfo.Builder info = FsInfo.newBuilder().setFsId(Math.toIntExact(fsIds.allocate(1))).setFsName(name)
                    .setStatus(FsStatus.NEW).setRootInodeId(PartitionManager.ROOT_INODE_ID)
                    .setCapacity(request.getCapacity()).setBlockSize(request.getBlockSize()).setMountNum(0)
                    .setFsType(request.getFsType()).setDetail(request.getFsDetail())
                    .setEnableSumInDir(request.getEnableSumInDir()).setOwner(request.getOwner()).setTxSequence(0)
                    .setUuid(UUID.randomUUID().toString());
            if (request.hasRecycleTimeHour()) {
                info.setRecycleTimeHour(request.getRecycleTimeHour());
            }
            FsInfo created = info.build();
            storage.write(List.of(Mutation.put(Keys.fsInfo(name), created.toByteArray()),
                    Mutation.put(Keys.fsUsage(name), usage(0).toByteArray())));
            fsByName.put(name, created);
            usedBytes.put(name, 0L);
            sessions.put(name, new ConcurrentHashMap<>());
            LOG.info("creating fs {} with id {}", name, created.getFsId());
            return finishCreate(created);
        });
    }

    private FsInfo finishCreate(FsInfo info) {
        int missing = partitionsPerFs - topology.partitionsOf(info.getFsId()).size();
        if (missing > 0) {
            try {
                partitions.createPartitions(info.getFsId(), missing);
            } catch (TopologyException e) {
                throw new FsException(FSStatusCode.CREATE_PARTITION_ERROR, "cannot create the partitions of fs "
                        + info.getFsName() + ": " + e.getMessage());
            }
        }
        try {
            partitions.createRootInode(info.getFsId());
        } catch (TopologyException e) {
            throw new FsException(FSStatusCode.INSERT_ROOT_INODE_ERROR, "cannot create the root inode of fs "
                    + info.getFsName() + ": " + e.getMessage());
        }
        FsInfo inited = info.toBuilder().setStatus(FsStatus.INITED).build();
        store(inited);
        LOG.info("fs {} (id {}) is ready", inited.getFsName(), inited.getFsId());
        return inited;
    }

    /** Capacity is left out: UpdateFsInfo may change it, and a later identical CreateFs must still succeed. */
    private static boolean sameParameters(FsInfo info, CreateFsRequest request) {
        return info.getBlockSize() == request.getBlockSize()
                && info.getFsType() == request.getFsType()
                && info.getDetail().equals(request.getFsDetail())
                && info.getEnableSumInDir() == request.getEnableSumInDir()
                && info.getOwner().equals(request.getOwner())
                && info.getRecycleTimeHour() == request.getRecycleTimeHour();
    }

    private static void checkParameters(CreateFsRequest request) {
        if (request.getFsType() != FSType.TYPE_S3 || !request.getFsDetail().hasS3Info()) {
            throw new FsException(FSStatusCode.PARAM_ERROR, "only fs type s3 with s3 info is supported, got "
                    + request.getFsType());
        }
        if (request.getBlockSize() == 0) {
            throw new FsException(FSStatusCode.PARAM_ERROR, "block size must be positive");
        }
        S3Info s3 = request.getFsDetail().getS3Info();
        if (s3.getBlockSize() == 0 || s3.getChunkSize() == 0 || s3.getChunkSize() % s3.getBlockSize() != 0) {
            throw new FsException(FSStatusCode.PARAM_ERROR, "s3 chunk size " + s3.getChunkSize()
                    + " must be a positive multiple of the s3 block size " + s3.getBlockSize());
        }
    }

    /**
     * Deletes an unmounted fs: marks it DELETING, deletes its partitions on the metaservers,
     * then its records. A failure leaves it DELETING; DeleteFs again resumes. The name is free
     * again afterwards (a new fs under it gets a new fs id).
     */
    public void deleteFs(String name) {
        underLock(name, () -> {
            FsInfo info = require(name);
            if (!info.getMountpointsList().isEmpty()) {
                throw new FsException(FSStatusCode.FS_BUSY, "fs " + name + " is mounted at "
                        + info.getMountpointsList().stream().map(FsManager::mountKey).toList());
            }
            if (info.getStatus() != FsStatus.DELETING) {
                info = info.toBuilder().setStatus(FsStatus.DELETING).build();
                store(info);
            }
            for (PartitionInfo partition : topology.partitionsOf(info.getFsId())) {
                try {
                    partitions.deletePartition(partition.getPartitionId());
                } catch (TopologyException e) {
                    throw new FsException(FSStatusCode.DELETE_PARTITION_ERROR, "cannot delete partition "
                            + partition.getPartitionId() + " of fs " + name + ": " + e.getMessage());
                }
            }
            storage.write(List.of(Mutation.delete(Keys.fsInfo(name)), Mutation.delete(Keys.fsUsage(name))));
            fsByName.remove(name);
            usedBytes.remove(name);
            sessions.remove(name);
            txLocks.remove(name);
            LOG.info("deleted fs {} (id {})", name, info.getFsId());
            return null;
        });
    }

    // ---- lookups and updates ------------------------------------------------------------

    public FsInfo getFsInfo(String name) {
        return require(name);
    }

    /** Bytes used by the fs as its mounts last reported them. */
    public long usedBytes(String name) {
        return usedBytes.getOrDefault(name, 0L);
    }

    public FsInfo getFsInfo(int fsId) {
        return byId(fsId).orElseThrow(() -> new FsException(FSStatusCode.NOT_FOUND, "fs id " + fsId + " not found"));
    }

    public List<FsInfo> listFs() {
        return fsByName.values().stream().sorted((a, b) -> Integer.compare(a.getFsId(), b.getFsId())).toList();
    }

    public void updateCapacity(String name, Optional<Long> capacity) {
        underLock(name, () -> {
            FsInfo info = require(name);
            if (capacity.isPresent()) {
                store(info.toBuilder().setCapacity(capacity.get()).build());
            }
            return null;
        });
    }

    // ---- mounts and sessions ------------------------------------------------------------

    public FsInfo mount(String name, Mountpoint mountpoint) {
        return underLock(name, () -> {
            FsInfo info = require(name);
            checkMountable(info, mountpoint);
            String key = mountKey(mountpoint);
            if (info.getMountpointsList().stream().anyMatch(m -> mountKey(m).equals(key))) {
                throw new FsException(FSStatusCode.MOUNT_POINT_EXIST, "fs " + name + " is already mounted at " + key);
            }
            FsInfo mounted = addMountpoint(info, mountpoint);
            LOG.info("fs {} mounted at {}", name, key);
            return mounted;
        });
    }

    private static void checkMountable(FsInfo info, Mountpoint mountpoint) {
        if (info.getStatus() == FsStatus.NEW) {
            throw new FsException(FSStatusCode.NOT_INITED, "fs " + info.getFsName() + " is not fully created");
        }
        if (info.getStatus() == FsStatus.DELETING) {
            throw new FsException(FSStatusCode.UNDER_DELETING, "fs " + info.getFsName() + " is being deleted");
        }
        if (!mountpoint.hasCto()) {
            throw new FsException(FSStatusCode.PARAM_ERROR, "mount point must say whether it uses cto");
        }
        for (Mountpoint m : info.getMountpointsList()) {
            if (m.getCto() != mountpoint.getCto()) {
                throw new FsException(FSStatusCode.MOUNT_POINT_CONFLICT, "fs " + info.getFsName()
                        + " is mounted with cto=" + m.getCto() + " at " + mountKey(m)
                        + "; all mounts must use the same cto mode");
            }
        }
    }

    private FsInfo addMountpoint(FsInfo info, Mountpoint mountpoint) {
        FsInfo.Builder builder = info.toBuilder().addMountpoints(mountpoint).setMountNum(info.getMountNum() + 1);
        if (!info.hasUuid()) {
            builder.setUuid(UUID.randomUUID().toString());
        }
        FsInfo mounted = builder.build();
        store(mounted);
        sessions.computeIfAbsent(info.getFsName(), n -> new ConcurrentHashMap<>())
                .put(mountKey(mountpoint), clock.instant());
        return mounted;
    }

    public void umount(String name, Mountpoint mountpoint) {
        underLock(name, () -> {
            FsInfo info = require(name);
            if (!removeMountpoints(info, List.of(mountKey(mountpoint)))) {
                throw new FsException(FSStatusCode.MOUNT_POINT_NOT_EXIST, "fs " + name + " is not mounted at "
                        + mountKey(mountpoint));
            }
            LOG.info("fs {} unmounted from {}", name, mountKey(mountpoint));
            return null;
        });
    }

    private boolean removeMountpoints(FsInfo info, List<String> keys) {
        List<Mountpoint> kept = info.getMountpointsList().stream().filter(m -> !keys.contains(mountKey(m))).toList();
        if (kept.size() == info.getMountpointsCount()) {
            return false;
        }
        store(info.toBuilder().clearMountpoints().addAllMountpoints(kept).setMountNum(kept.size()).build());
        Map<String, Instant> alive = sessions.get(info.getFsName());
        if (alive != null) {
            keys.forEach(alive::remove);
        }
        return true;
    }

    /**
     * Keeps a mount alive, applies the client's usage delta and returns the fs's capacity and
     * usage plus every partition txId newer than the client's. A mount dropped for missing
     * refreshes (a paused client) is added back if it still fits the fs's mounts.
     */
    public RefreshSessionResponse refreshSession(RefreshSessionRequest request) {
        String name = request.getFsName();
        return underLock(name, () -> {
            FsInfo info = require(name);
            String key = mountKey(request.getMountpoint());
            Map<String, Instant> alive = sessions.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
            if (info.getMountpointsList().stream().anyMatch(m -> mountKey(m).equals(key))) {
                alive.put(key, clock.instant());
            } else {
                try {
                    checkMountable(info, request.getMountpoint());
                } catch (FsException e) {
                    throw new FsException(FSStatusCode.MOUNT_POINT_NOT_EXIST, "fs " + name + " is not mounted at "
                            + key + " and cannot take the mount back: " + e.getMessage());
                }
                info = addMountpoint(info, request.getMountpoint());
                LOG.info("fs {}: mount {} came back after its session expired", name, key);
            }
            long used = usedBytes.getOrDefault(name, 0L);
            if (request.hasFsDelta() && request.getFsDelta().getBytes() != 0) {
                used = Math.max(0, used + request.getFsDelta().getBytes());
                storage.put(Keys.fsUsage(name), usage(used).toByteArray());
                usedBytes.put(name, used);
            }
            RefreshSessionResponse.Builder response = RefreshSessionResponse.newBuilder()
                    .setStatusCode(FSStatusCode.OK).setEnableSumInDir(info.getEnableSumInDir())
                    .setFsCapacity(info.getCapacity()).setFsUsedBytes(used);
            int fsId = info.getFsId();
            for (PartitionTxId known : request.getTxIdsList()) {
                topology.partition(known.getPartitionId())
                        .filter(p -> p.getFsId() == fsId && p.getTxId() > known.getTxId())
                        .ifPresent(p -> response.addLatestTxIdList(PartitionTxId.newBuilder()
                                .setPartitionId(p.getPartitionId()).setTxId(p.getTxId())));
            }
            String override = clientMdsAddrsOverride;
            if (!override.isEmpty() && !override.equals(request.getMdsAddrs())) {
                response.setMdsAddrsOverride(override);
            }
            return response.build();
        });
    }

    /** Drops every mount point that has not refreshed within the session timeout. */
    public void expireSessions() {
        Instant oldest = clock.instant().minus(sessionTimeout);
        for (String name : List.copyOf(sessions.keySet())) {
            Map<String, Instant> alive = sessions.get(name);
            if (alive == null || alive.values().stream().noneMatch(t -> t.isBefore(oldest))) {
                continue;
            }
            underLock(name, () -> {
                FsInfo info = fsByName.get(name);
                if (info == null) {
                    return null;
                }
                List<String> expired = alive.entrySet().stream().filter(e -> e.getValue().isBefore(oldest))
                        .map(Map.Entry::getKey).toList();
                if (!expired.isEmpty()) {
                    removeMountpoints(info, expired);
                    alive.keySet().removeAll(expired);
                    LOG.info("fs {}: dropped mount points {} (no session refresh for {} s)", name, expired,
                            sessionTimeout.toSeconds());
                }
                return null;
            });
        }
    }

    public void setClientMdsAddrsOverride(String addresses) {
        clientMdsAddrsOverride = addresses == null ? "" : addresses;
    }

    // ---- chunk ids and tso --------------------------------------------------------------

    /** Reserves {@code count} chunk ids, unique across all fs and restarts; returns the first. */
    public long allocateChunkIds(int fsId, int count) {
        if (count < 1) {
            throw new FsException(FSStatusCode.PARAM_ERROR, "chunkIdNum must be at least 1");
        }
        getFsInfo(fsId);
        try {
            return chunkIds.allocate(count);
        } catch (StorageException e) {
            throw new FsException(FSStatusCode.ALLOCATE_CHUNKID_ERROR, e.getMessage());
        }
    }

    public long nextTimestamp() {
        return tso.allocate(1);
    }

    // ---- rename v1 transactions ----------------------------------------------------------

    /**
     * The fs txSequence and every partition txId. The sequence is read first: a commit updates
     * txIds before the sequence, so whoever sees a sequence past a rename's also sees its txIds
     * (metaservers rely on that to roll back only renames that cannot commit).
     */
    public GetLatestTxIdResponse getLatestTxId(GetLatestTxIdRequest request) {
        FsInfo info = request.hasFsId() ? getFsInfo(request.getFsId()) : require(request.getFsName());
        GetLatestTxIdResponse.Builder response = GetLatestTxIdResponse.newBuilder().setStatusCode(FSStatusCode.OK);
        if (request.getLock()) {
            if (request.getUuid().isEmpty()) {
                throw new FsException(FSStatusCode.PARAM_ERROR, "a locking GetLatestTxId needs a uuid");
            }
            FsInfo current = underLock(info.getFsName(), () -> {
                TxLock held = txLocks.get(info.getFsName());
                Instant now = clock.instant();
                if (held != null && now.isBefore(held.expires()) && !held.owner().equals(request.getUuid())) {
                    throw new FsException(FSStatusCode.LOCK_FAILED, "fs " + info.getFsName()
                            + " transaction lock is held by " + held.owner());
                }
                // Every grant gets a sequence of its own (persisted before it is handed out), so that
                // prepares and commits of an earlier holder, even of the same owner, can never pass
                // for this one's: CommitTx needs the current sequence, metaservers refuse older ones.
                FsInfo latest = require(info.getFsName());
                FsInfo granted = latest.toBuilder().setTxSequence(latest.getTxSequence() + 1).build();
                store(granted);
                txLocks.put(info.getFsName(), new TxLock(request.getUuid(), now.plus(TX_LOCK_TTL)));
                return granted;
            });
            response.setTxSequence(current.getTxSequence());
        } else {
            response.setTxSequence(require(info.getFsName()).getTxSequence());
        }
        for (PartitionInfo p : topology.partitionsOf(info.getFsId())) {
            response.addTxIds(PartitionTxId.newBuilder().setPartitionId(p.getPartitionId()).setTxId(p.getTxId()));
        }
        return response.build();
    }

    /**
     * Commits partition txIds atomically. With {@code lock}, the caller must hold the fs's
     * transaction lock and name the fs's current txSequence; the txIds, the next txSequence
     * and the owner are then written in one batch and the lock is released. A resent commit of
     * the grant that committed last (same owner, sequence one behind) is answered OK again.
     */
    public void commitTx(CommitTxRequest request) {
        Map<Integer, Long> txIds = new HashMap<>();
        request.getPartitionTxIdsList().forEach(t -> txIds.put(t.getPartitionId(), t.getTxId()));
        if (!request.getLock()) {
            commitTxIds(txIds, List.of());
            return;
        }
        String name = request.getFsName();
        underLock(name, () -> {
            FsInfo info = require(name);
            if (info.getTxOwner().equals(request.getUuid()) && info.getTxSequence() == request.getTxSequence() + 1) {
                return null; // this very commit was applied and its answer lost: a resend gets OK again
            }
            TxLock held = txLocks.get(name);
            if (held == null || !held.owner().equals(request.getUuid()) || !clock.instant().isBefore(held.expires())) {
                throw new FsException(FSStatusCode.LOCK_TIMEOUT, "fs " + name
                        + " transaction lock is not held by " + request.getUuid() + " (expired or never taken)");
            }
            if (request.getTxSequence() != info.getTxSequence()) {
                throw new FsException(FSStatusCode.COMMIT_TX_SEQUENCE_MISMATCH, "fs " + name + " txSequence is "
                        + info.getTxSequence() + ", commit names " + request.getTxSequence());
            }
            for (int partitionId : txIds.keySet()) {
                if (topology.partition(partitionId).map(p -> p.getFsId() != info.getFsId()).orElse(true)) {
                    throw new FsException(FSStatusCode.PARAM_ERROR, "partition " + partitionId
                            + " is not a partition of fs " + name);
                }
            }
            FsInfo next = info.toBuilder().setTxSequence(info.getTxSequence() + 1).setTxOwner(request.getUuid())
                    .build();
            commitTxIds(txIds, List.of(Mutation.put(Keys.fsInfo(name), next.toByteArray())));
            fsByName.put(name, next);
            txLocks.remove(name);
            return null;
        });
    }

    private void commitTxIds(Map<Integer, Long> txIds, List<Mutation> alsoWrite) {
        try {
            topology.commitTxIds(txIds, alsoWrite);
        } catch (TopologyException e) {
            throw new FsException(FSStatusCode.PARAM_ERROR, e.getMessage());
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private FsInfo require(String name) {
        FsInfo info = fsByName.get(name);
        if (info == null) {
            throw new FsException(FSStatusCode.NOT_FOUND, "fs " + name + " not found");
        }
        return info;
    }

    private Optional<FsInfo> byId(int fsId) {
        return fsByName.values().stream().filter(f -> f.getFsId() == fsId).findFirst();
    }

    private void store(FsInfo info) {
        storage.put(Keys.fsInfo(info.getFsName()), info.toByteArray());
        fsByName.put(info.getFsName(), info);
    }

    private <T> T underLock(String name, Supplier<T> work) {
        ReentrantLock lock = nameLocks.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    static String mountKey(Mountpoint m) {
        return m.getHostname() + ":" + m.getPort() + ":" + m.getPath();
    }

    private static FsUsage usage(long used) {
        return FsUsage.newBuilder().setUsedBytes(used).build();
    }

    private static FsInfo parse(byte[] bytes) {
        try {
            return FsInfo.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new StorageException("corrupt fs record: " + e.getMessage(), e);
        }
    }

    private static FsUsage parseUsage(byte[] bytes) {
        try {
            return FsUsage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new StorageException("corrupt fs usage record: " + e.getMessage(), e);
        }
    }
}
