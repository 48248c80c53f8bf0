package io.curvefs.metaserver.copyset;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.rpc.RpcServer;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.copyset.CreateCopysetRequest;
import io.curvefs.rpc.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copysets of this metaserver. Each created copyset leaves a directory
 * {@code copysets/<poolId>-<copysetId>/} whose file {@code peers} (a CreateCopysetRequest.Copyset)
 * is written before its Raft node starts; at startup every such directory is reopened.
 */
public final class CopysetRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CopysetRegistry.class);
    private static final String PEERS_FILE = "peers";

    /** What {@link #create} did. */
    public enum Outcome { CREATED, EXISTS, PEER_MISMATCH, BAD_PEER, FAILED }

    private final Path root;
    private final HostPort raftEndpoint;
    private final RpcServer rpcServer;
    private final RaftSettings settings;
    private final Map<CopysetKey, CopysetNode> nodes = new ConcurrentHashMap<>();

    public CopysetRegistry(Path root, HostPort raftEndpoint, RpcServer rpcServer, RaftSettings settings) {
        this.root = root;
        this.raftEndpoint = raftEndpoint;
        this.rpcServer = rpcServer;
        this.settings = settings;
        CopysetMetrics.watch(this);
    }

    /** Where this process's Raft groups talk to their peers. */
    public HostPort raftEndpoint() {
        return raftEndpoint;
    }

    /** Reopens every copyset found under the root directory. */
    public synchronized void openExisting() {
        try {
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(PEERS_FILE))).sorted().toList()) {
                    CopysetKey key = CopysetKey.ofDirectoryName(dir.getFileName().toString());
                    List<Peer> peers = CreateCopysetRequest.Copyset.parseFrom(
                            Files.readAllBytes(dir.resolve(PEERS_FILE))).getPeersList();
                    nodes.put(key, CopysetNode.open(key, peers, selfIn(peers), dir, rpcServer, settings));
                    LOG.info("reopened copyset {}", key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read copysets under " + root, e);
        }
    }

    public synchronized Outcome create(CopysetKey key, List<Peer> peers) {
        List<PeerId> raftPeers = new ArrayList<>();
        try {
            peers.forEach(p -> raftPeers.add(PeerAddresses.toRaftPeer(p)));
        } catch (IllegalArgumentException e) {
            LOG.warn("copyset {}: {}", key, e.getMessage());
            return Outcome.BAD_PEER;
        }
        if (raftPeers.isEmpty()) {
            return Outcome.BAD_PEER;
        }
        CopysetNode existing = nodes.get(key);
        if (existing != null) {
            boolean same = addresses(existing.peers()).equals(addresses(peers))
                    || addresses(existing.members()).equals(addresses(peers));
            return same ? Outcome.EXISTS : Outcome.PEER_MISMATCH;
        }
        Path dir = root.resolve(key.directoryName());
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(PEERS_FILE + ".tmp");
            Files.write(tmp, CreateCopysetRequest.Copyset.newBuilder().setPoolId(key.poolId())
                    .setCopysetId(key.copysetId()).addAllPeers(peers).build().toByteArray());
            Files.move(tmp, dir.resolve(PEERS_FILE), StandardCopyOption.ATOMIC_MOVE);
            nodes.put(key, CopysetNode.open(key, peers, selfIn(peers), dir, rpcServer, settings));
            LOG.info("created copyset {} with peers {}", key, addresses(peers));
            return Outcome.CREATED;
        } catch (IOException | RuntimeException e) {
            LOG.error("creating copyset {} failed", key, e);
            deleteQuietly(dir);
            return Outcome.FAILED;
        }
    }

    /**
     * Stops a copyset and deletes its directory (the MDS says this metaserver is no longer one of
     * its members). Returns false when there was no such copyset.
     */
    public synchronized boolean remove(CopysetKey key) {
        CopysetNode node = nodes.remove(key);
        if (node == null) {
            return false;
        }
        node.close();
        deleteQuietly(root.resolve(key.directoryName()));
        LOG.info("removed copyset {}", key);
        return true;
    }

    public Optional<CopysetNode> get(int poolId, int copysetId) {
        return Optional.ofNullable(nodes.get(new CopysetKey(poolId, copysetId)));
    }

    public Collection<CopysetNode> all() {
        return List.copyOf(nodes.values());
    }

    /** This server's Raft peer id; its index comes from the matching peer when there is one. */
    private PeerId selfIn(List<Peer> peers) {
        for (Peer p : peers) {
            PeerId raftPeer = PeerAddresses.toRaftPeer(p);
            if (raftPeer.getIp().equals(raftEndpoint.host()) && raftPeer.getPort() == raftEndpoint.port()) {
                return raftPeer;
            }
        }
        LOG.warn("this metaserver (Raft {}) is not among the peers {}", raftEndpoint, addresses(peers));
        return new PeerId(raftEndpoint.host(), raftEndpoint.port());
    }

    private static Set<String> addresses(List<Peer> peers) {
        return peers.stream().map(Peer::getAddress).collect(Collectors.toSet());
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        CopysetMetrics.forget(this);
        for (CopysetNode node : nodes.values()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                LOG.warn("closing copyset {} failed", node.key(), e);
            }
        }
        nodes.clear();
    }
}
