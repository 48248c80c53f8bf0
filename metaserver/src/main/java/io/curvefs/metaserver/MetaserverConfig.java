package io.curvefs.metaserver;

import io.curvefs.metaserver.copyset.PeerAddresses;
import io.curvefs.rpc.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run a metaserver.
 *
 * @param listen gRPC address (MetaServerService, CopysetService, CliService2); this is the
 *     address registered with the MDS and used in copyset peers, so it must be a concrete IP.
 *     Port 0 picks a free port.
 * @param dataDir identity file, copysets (RocksDB, Raft logs and snapshots)
 * @param mds MDS addresses
 * @param raftListen the shared Raft endpoint of all copysets. It must be the listen host with
 *     port = listen port + {@value PeerAddresses#RAFT_PORT_OFFSET}, because peers find each
 *     other's Raft endpoint by that rule; port 0 means "derive it from the bound listen port".
 * @param heartbeatInterval between heartbeats to the MDS (upstream: 10 s)
 * @param electionTimeout Raft election timeout (upstream: 1 s)
 * @param snapshotInterval between automatic Raft snapshots (upstream: 1800 s)
 * @param serverName the host name sent at registration; the MDS puts the metaserver on the
 *     topology server of that name (else on the server with its IP). Empty means this machine's
 *     host name; several metaservers on one machine in different zones need distinct names.
 */
public record MetaserverConfig(HostPort listen, Path dataDir, List<HostPort> mds, HostPort raftListen,
        Duration heartbeatInterval, Duration electionTimeout, Duration snapshotInterval, String serverName) {

    public MetaserverConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(raftListen, "raftListen");
        mds = List.copyOf(mds);
        if (mds.isEmpty()) {
            throw new IllegalArgumentException("no MDS address given");
        }
        requirePositive(heartbeatInterval, "heartbeat interval");
        requirePositive(electionTimeout, "election timeout");
        requirePositive(snapshotInterval, "snapshot interval");
        Objects.requireNonNull(serverName, "serverName");
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    public static MetaserverConfig defaults(HostPort listen, Path dataDir, List<HostPort> mds) {
        HostPort raft = listen.port() == 0 ? new HostPort(listen.host(), 0) : PeerAddresses.raftOf(listen);
        return new MetaserverConfig(listen, dataDir, mds, raft, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(1800), "");
    }

    public MetaserverConfig withHeartbeatInterval(Duration interval) {
        return new MetaserverConfig(listen, dataDir, mds, raftListen, interval, electionTimeout, snapshotInterval,
                serverName);
    }

    public MetaserverConfig withElectionTimeout(Duration timeout) {
        return new MetaserverConfig(listen, dataDir, mds, raftListen, heartbeatInterval, timeout, snapshotInterval,
                serverName);
    }

    public MetaserverConfig withSnapshotInterval(Duration interval) {
        return new MetaserverConfig(listen, dataDir, mds, raftListen, heartbeatInterval, electionTimeout, interval,
                serverName);
    }

    public MetaserverConfig withServerName(String name) {
        return new MetaserverConfig(listen, dataDir, mds, raftListen, heartbeatInterval, electionTimeout,
                snapshotInterval, name);
    }
}
