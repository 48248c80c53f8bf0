package io.curvefs.mds.metaserver;

import io.curvefs.rpc.HostPort;
import java.util.Optional;

/** Raft peer addresses as metaservers spell them: {@code ip:port:index}. */
public final class PeerAddress {

    private PeerAddress() {
    }

    public static String of(HostPort metaserver, int index) {
        return metaserver + ":" + index;
    }

    /** The metaserver address inside {@code ip:port:index}, or empty for blank or malformed text. */
    public static Optional<HostPort> parse(String peer) {
        if (peer == null || peer.isBlank()) {
            return Optional.empty();
        }
        int last = peer.lastIndexOf(':');
        if (last <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(HostPort.parse(peer.substring(0, last)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
