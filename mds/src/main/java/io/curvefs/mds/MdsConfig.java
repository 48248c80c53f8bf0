package io.curvefs.mds;

import io.curvefs.rpc.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything an MDS needs to start. {@link #defaults} gives upstream's values where they
 * exist: three replicas per copyset, though the pool made automatically (no create-topology)
 * fits copysets to the online metaservers, so a single metaserver is a working cluster.
 *
 * @param listen                 address to serve on; port 0 picks a free port
 * @param dataDir                where the MDS keeps its RocksDB state
 * @param partitionsPerFs        partitions CreateFs makes (upstream CreatePartitionNumber = 12)
 * @param idsPerPartition        inode ids per partition (upstream IdNumberInPartition = 2^20)
 * @param sessionTimeout         a mount that has not refreshed for this long is dropped (upstream 20 s)
 * @param chunkIdBundle          chunk ids reserved per storage write (upstream 1000)
 * @param defaultReplicaNum      replicas per copyset in the pool made automatically (3, fewer while
 *                               fewer metaservers are online)
 * @param heartbeatTimeout       a metaserver without heartbeat for this long is offline (upstream 30 s)
 * @param maxPartitionsPerCopyset partitions a copyset takes before a new copyset is made (upstream 128)
 * @param metaserverRpcTimeout   deadline of each call to a metaserver
 * @param leaderWait             how long a request to a copyset waits for it to have a leader
 * @param etcdEndpoints          etcd client URLs holding the state; empty means embedded RocksDB in
 *                               {@code dataDir} and no election (a single MDS)
 * @param leaderLease            with etcd: the TTL of the lease behind this MDS's leadership; a leader
 *                               that stops renewing it for this long is replaced (whole seconds, >= 2)
 * @param offlineTimeout         a metaserver without heartbeat this long has its replicas moved to
 *                               other metaservers (upstream 30 min)
 */
public record MdsConfig(HostPort listen, Path dataDir, int partitionsPerFs, long idsPerPartition,
        Duration sessionTimeout, int chunkIdBundle, int defaultReplicaNum, Duration heartbeatTimeout,
        int maxPartitionsPerCopyset, Duration metaserverRpcTimeout, Duration leaderWait,
        List<String> etcdEndpoints, Duration leaderLease, Duration offlineTimeout) {

    public static final int DEFAULT_PORT = 6700;

    public MdsConfig {
        if (partitionsPerFs < 1 || idsPerPartition < 3 || chunkIdBundle < 1 || defaultReplicaNum < 1
                || maxPartitionsPerCopyset < 1) {
            throw new IllegalArgumentException("MDS config: counts must be positive (idsPerPartition >= 3)");
        }
        etcdEndpoints = List.copyOf(etcdEndpoints);
        if (leaderLease.toSeconds() < 2) {
            throw new IllegalArgumentException("MDS config: the leader lease must be at least 2 s");
        }
        if (offlineTimeout.isNegative() || offlineTimeout.isZero()) {
            throw new IllegalArgumentException("MDS config: the offline timeout must be positive");
        }
    }

    public static MdsConfig defaults(HostPort listen, Path dataDir) {
        return new MdsConfig(listen, dataDir, 12, 1L << 20, Duration.ofSeconds(20), 1000, 3,
                Duration.ofSeconds(30), 128, Duration.ofSeconds(5), Duration.ofSeconds(30), List.of(),
                Duration.ofSeconds(10), Duration.ofMinutes(30));
    }

    public MdsConfig withSessionTimeout(Duration timeout) {
        return new MdsConfig(listen, dataDir, partitionsPerFs, idsPerPartition, timeout, chunkIdBundle,
                defaultReplicaNum, heartbeatTimeout, maxPartitionsPerCopyset, metaserverRpcTimeout, leaderWait,
                etcdEndpoints, leaderLease, offlineTimeout);
    }

    public MdsConfig withPartitionsPerFs(int count) {
        return new MdsConfig(listen, dataDir, count, idsPerPartition, sessionTimeout, chunkIdBundle,
                defaultReplicaNum, heartbeatTimeout, maxPartitionsPerCopyset, metaserverRpcTimeout, leaderWait,
                etcdEndpoints, leaderLease, offlineTimeout);
    }

    public MdsConfig withDefaultReplicaNum(int replicas) {
        return new MdsConfig(listen, dataDir, partitionsPerFs, idsPerPartition, sessionTimeout, chunkIdBundle,
                replicas, heartbeatTimeout, maxPartitionsPerCopyset, metaserverRpcTimeout, leaderWait,
                etcdEndpoints, leaderLease, offlineTimeout);
    }

    public MdsConfig withMaxPartitionsPerCopyset(int max) {
        return new MdsConfig(listen, dataDir, partitionsPerFs, idsPerPartition, sessionTimeout, chunkIdBundle,
                defaultReplicaNum, heartbeatTimeout, max, metaserverRpcTimeout, leaderWait,
                etcdEndpoints, leaderLease, offlineTimeout);
    }

    public MdsConfig withLeaderWait(Duration wait) {
        return new MdsConfig(listen, dataDir, partitionsPerFs, idsPerPartition, sessionTimeout, chunkIdBundle,
                defaultReplicaNum, heartbeatTimeout, maxPartitionsPerCopyset, metaserverRpcTimeout, wait,
                etcdEndpoints, leaderLease, offlineTimeout);
    }

    /** State in etcd at {@code endpoints}, with leader election among the MDSs sharing it. */
    public MdsConfig withEtcd(List<String> endpoints, Duration lease) {
        return new MdsConfig(listen, dataDir, partitionsPerFs, idsPerPartition, sessionTimeout, chunkIdBundle,
                defaultReplicaNum, heartbeatTimeout, maxPartitionsPerCopyset, metaserverRpcTimeout, leaderWait,
                endpoints, lease, offlineTimeout);
    }

    /** A metaserver offline this long has its copyset replicas moved to other metaservers. */
    public MdsConfig withOfflineTimeout(Duration timeout) {
        return new MdsConfig(listen, dataDir, partitionsPerFs, idsPerPartition, sessionTimeout, chunkIdBundle,
                defaultReplicaNum, heartbeatTimeout, maxPartitionsPerCopyset, metaserverRpcTimeout, leaderWait,
                etcdEndpoints, leaderLease, timeout);
    }

    /** A metaserver without heartbeat this long is offline (no new copysets go to it). */
    public MdsConfig withHeartbeatTimeout(Duration timeout) {
        return new MdsConfig(listen, dataDir, partitionsPerFs, idsPerPartition, sessionTimeout, chunkIdBundle,
                defaultReplicaNum, timeout, maxPartitionsPerCopyset, metaserverRpcTimeout, leaderWait,
                etcdEndpoints, leaderLease, offlineTimeout);
    }

    public boolean usesEtcd() {
        return !etcdEndpoints.isEmpty();
    }
}
