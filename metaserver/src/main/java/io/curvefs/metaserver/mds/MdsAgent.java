package io.curvefs.metaserver.mds;

import io.curvefs.metaserver.copyset.CopysetKey;
import io.curvefs.metaserver.copyset.CopysetNode;
import io.curvefs.metaserver.copyset.CopysetRegistry;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.heartbeat.CopySetConf;
import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.heartbeat.HeartbeatStatusCode;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatRequest;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatResponse;
import io.curvefs.proto.heartbeat.MetaServerSpaceStatus;
import io.curvefs.proto.topology.MetaServerRegistRequest;
import io.curvefs.proto.topology.MetaServerRegistResponse;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metaserver's side of the MDS conversation, on one background thread: register once
 * (RegistMetaServer; retried every second while the MDS is unreachable or refuses, and skipped
 * when the data directory already holds an identity), then send a heartbeat every interval.
 * A streak of failures is logged once, and its end once.
 *
 * <p>A heartbeat carries, per copyset: the Raft members, epoch 0 (the MDS orders membership
 * reports by term), the leader, term, applied index and every partition record (status, nextId,
 * inodeNum, dentryNum); then leaderCount, copysetCount, and spaceStatus (disk numbers of the data
 * directory's file system, memory numbers of this JVM). The answer may list copysets whose
 * membership disagrees with what this metaserver holds; see {@link #follow}.
 */
public final class MdsAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MdsAgent.class);
    private static final Duration REGISTER_RETRY = Duration.ofSeconds(1);

    private final MdsClient mds;
    private final Path dataDir;
    private final HostPort address;
    private final Duration interval;
    private final String serverName;
    private final CopysetRegistry copysets;
    private final long startTime = Instant.now().getEpochSecond();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile Identity identity;
    private boolean failing;

    public MdsAgent(List<HostPort> mdsAddresses, Path dataDir, HostPort address, Duration interval,
            String serverName, CopysetRegistry copysets) {
        this.mds = new MdsClient(mdsAddresses);
        this.dataDir = dataDir;
        this.address = address;
        this.interval = interval;
        this.serverName = serverName.isBlank() ? hostName() : serverName;
        this.copysets = copysets;
        this.identity = Identity.load(dataDir).orElse(null);
        this.thread = new Thread(this::run, "metaserver-mds-agent");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The id the MDS issued, once registered. */
    public Optional<Integer> metaServerId() {
        Identity current = identity;
        return current == null ? Optional.empty() : Optional.of(current.id());
    }

    private void run() {
        try {
            while (closed.getCount() > 0) {
                Duration pause;
                if (identity == null) {
                    pause = register() ? Duration.ZERO : REGISTER_RETRY;
                } else {
                    heartbeat();
                    pause = interval;
                }
                if (closed.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean register() {
        MetaServerRegistRequest request = MetaServerRegistRequest.newBuilder()
                .setHostName(serverName)
                .setInternalIp(address.host()).setInternalPort(address.port())
                .setExternalIp(address.host()).setExternalPort(address.port())
                .build();
        try {
            MetaServerRegistResponse response = mds.topology(stub -> stub.registMetaServer(request));
            if (response.getStatusCode() != TopoStatusCode.TOPO_OK) {
                failed("the MDS refused registration: " + response.getStatusCode());
                return false;
            }
            Identity issued = new Identity(response.getMetaServerID(), response.getToken());
            issued.save(dataDir);
            identity = issued;
            recovered();
            LOG.info("registered with the MDS as metaserver {}", Integer.toUnsignedString(issued.id()));
            return true;
        } catch (RuntimeException e) {
            failed("registration with the MDS failed: " + e.getMessage());
            return false;
        }
    }

    private void heartbeat() {
        try {
            MetaServerHeartbeatRequest request = heartbeatRequest(identity);
            MetaServerHeartbeatResponse response = mds.heartbeat(stub -> stub.metaServerHeartbeat(request));
            if (response.getStatusCode() != HeartbeatStatusCode.hbOK) {
                failed("the MDS rejected a heartbeat: " + response.getStatusCode());
                return;
            }
            recovered();
            response.getNeedUpdateCopysetsList().forEach(this::follow);
        } catch (RuntimeException e) {
            failed("heartbeat to the MDS failed: " + e.getMessage());
        }
    }

    /**
     * Brings one copyset in line with the MDS's record: a copyset this metaserver is a member of
     * but lacks (its data directory was wiped) is created with the recorded peers, and its leader
     * catches it up; a copyset it holds but is no longer a member of is dropped.
     */
    private void follow(CopySetConf conf) {
        CopysetKey key = new CopysetKey(conf.getPoolId(), conf.getCopysetId());
        boolean member = conf.getPeersList().stream().anyMatch(this::isSelf);
        boolean present = copysets.get(key.poolId(), key.copysetId()).isPresent();
        if (member && !present) {
            LOG.info("the MDS lists this metaserver in copyset {}, which is missing here: creating it", key);
            copysets.create(key, conf.getPeersList());
        } else if (!member && present) {
            LOG.info("the MDS no longer lists this metaserver in copyset {}: dropping it", key);
            copysets.remove(key);
        }
    }

    private boolean isSelf(Peer peer) {
        String[] parts = peer.getAddress().split(":");
        return parts.length >= 2 && parts[0].equals(address.host()) && parts[1].equals(String.valueOf(address.port()));
    }

    MetaServerHeartbeatRequest heartbeatRequest(Identity id) {
        MetaServerHeartbeatRequest.Builder b = MetaServerHeartbeatRequest.newBuilder()
                .setMetaServerID(id.id()).setToken(id.token())
                .setIp(address.host()).setPort(address.port()).setStartTime(startTime);
        int leaders = 0;
        int count = 0;
        for (CopysetNode node : copysets.all()) {
            boolean leader = node.isLeader();
            leaders += leader ? 1 : 0;
            count++;
            b.addCopysetInfos(CopySetInfo.newBuilder()
                    .setPoolId(node.key().poolId()).setCopysetId(node.key().copysetId())
                    .addAllPeers(node.members())
                    .setEpoch(0)
                    .setLeaderPeer(node.leader().orElse(Peer.getDefaultInstance()))
                    .setTerm(node.term()).setAppliedIndex(node.appliedIndex())
                    .addAllPartitionInfoList(node.partitions()));
        }
        return b.setLeaderCount(leaders).setCopysetCount(count).setSpaceStatus(spaceStatus()).build();
    }

    private MetaServerSpaceStatus spaceStatus() {
        long diskTotal = 0;
        long diskUsed = 0;
        try {
            FileStore store = Files.getFileStore(dataDir);
            diskTotal = store.getTotalSpace();
            diskUsed = diskTotal - store.getUnallocatedSpace();
        } catch (IOException e) {
            LOG.debug("cannot stat the file system of {}: {}", dataDir, e.getMessage());
        }
        Runtime rt = Runtime.getRuntime();
        return MetaServerSpaceStatus.newBuilder()
                .setDiskThresholdByte(diskTotal).setDiskCopysetMinRequireByte(0).setDiskUsedByte(diskUsed)
                .setMemoryThresholdByte(rt.maxMemory()).setMemoryCopySetMinRequireByte(0)
                .setMemoryUsedByte(rt.totalMemory() - rt.freeMemory())
                .build();
    }

    private void failed(String message) {
        if (!failing) {
            LOG.warn("{} (retrying quietly)", message);
            failing = true;
        }
    }

    private void recovered() {
        if (failing) {
            LOG.info("the MDS answers again");
            failing = false;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mds.close();
    }
}
