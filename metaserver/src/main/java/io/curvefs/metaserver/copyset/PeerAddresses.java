package io.curvefs.metaserver.copyset;

import com.alipay.sofa.jraft.entity.PeerId;
import io.curvefs.proto.common.Peer;
import io.curvefs.rpc.HostPort;

/**
 * The one rule that links a metaserver's public address to its Raft endpoint: <b>Raft port =
 * gRPC listen port + {@value #RAFT_PORT_OFFSET}</b>, same host. Topology records and copyset
 * peers only carry the gRPC address ("ip:port:idx", upstream format), so every metaserver must
 * follow this rule for the others to reach its Raft groups.
 */
public final class PeerAddresses {

    public static final int RAFT_PORT_OFFSET = 1000;

    private PeerAddresses() {
    }

    public static HostPort raftOf(HostPort listen) {
        return new HostPort(listen.host(), listen.port() + RAFT_PORT_OFFSET);
    }

    /** "ip:listenPort:idx" to the Raft peer "ip:listenPort+1000:idx". */
    public static PeerId toRaftPeer(Peer peer) {
        String[] parts = peer.getAddress().split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("bad peer address '" + peer.getAddress() + "': expected ip:port:idx");
        }
        int port = Integer.parseInt(parts[1]);
        int idx = parts.length == 3 ? Integer.parseInt(parts[2]) : 0;
        if (port <= 0 || port + RAFT_PORT_OFFSET > 65535) {
            throw new IllegalArgumentException("bad peer address '" + peer.getAddress() + "': port out of range");
        }
        return new PeerId(parts[0], port + RAFT_PORT_OFFSET, idx);
    }

    /** The Raft peer back to the metaserver's "ip:listenPort:idx". */
    public static Peer toPeer(PeerId raftPeer) {
        return Peer.newBuilder().setAddress(raftPeer.getIp() + ":"
                + (raftPeer.getPort() - RAFT_PORT_OFFSET) + ":" + raftPeer.getIdx()).build();
    }
}
