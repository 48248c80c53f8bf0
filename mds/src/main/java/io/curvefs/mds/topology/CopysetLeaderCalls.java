package io.curvefs.mds.topology;

import io.curvefs.mds.metaserver.MetaserverCallException;
import io.curvefs.mds.metaserver.MetaserverClient;
import io.curvefs.mds.metaserver.PeerAddress;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.topology.CopysetData;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.rpc.HostPort;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a request on a copyset's leader. The leader is not known up front (a new copyset is
 * still electing one, and leadership moves), so a call starts from the last heartbeat's
 * leader or asks the members, and on REDIRECTED, COPYSET_NOTEXIST or no answer looks the
 * leader up again, backing off from 50 ms up to 1 s until a time bound.
 */
final class CopysetLeaderCalls {

    private static final Logger LOG = LoggerFactory.getLogger(CopysetLeaderCalls.class);
    private static final long FIRST_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 1000;

    private final Topology topology;
    private final MetaserverClient metaservers;
    private final Duration bound;

    CopysetLeaderCalls(Topology topology, MetaserverClient metaservers, Duration bound) {
        this.topology = topology;
        this.metaservers = metaservers;
        this.bound = bound;
    }

    /** The first answer of {@code call} that is not a redirection; throws when time runs out. */
    MetaStatusCode onLeader(CopysetData copyset, Function<HostPort, MetaStatusCode> call) {
        long deadline = System.nanoTime() + bound.toNanos();
        long backoff = FIRST_BACKOFF_MILLIS;
        Optional<HostPort> leader = topology.copysetReport(copyset.getPoolId(), copyset.getCopysetId())
                .flatMap(r -> PeerAddress.parse(r.getLeaderPeer().getAddress()));
        String lastProblem = "no leader elected";
        while (true) {
            if (leader.isEmpty()) {
                leader = askMembers(copyset);
            }
            if (leader.isPresent()) {
                try {
                    MetaStatusCode code = call.apply(leader.get());
                    if (code != MetaStatusCode.REDIRECTED && code != MetaStatusCode.COPYSET_NOTEXIST) {
                        return code;
                    }
                    lastProblem = leader.get() + " answered " + code;
                } catch (MetaserverCallException e) {
                    lastProblem = e.getMessage();
                }
                leader = Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                throw new TopologyException(TopoStatusCode.TOPO_LEADER_NOT_FOUND, "copyset "
                        + copyset.getPoolId() + "/" + copyset.getCopysetId() + " has no usable leader after "
                        + bound.toMillis() + " ms: " + lastProblem);
            }
            pause(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private Optional<HostPort> askMembers(CopysetData copyset) {
        for (int id : copyset.getMetaServerIdsList()) {
            Optional<HostPort> member = topology.metaserver(id).map(Topology::address);
            if (member.isEmpty()) {
                continue;
            }
            try {
                Optional<HostPort> leader = metaservers.getLeader(member.get(), copyset.getPoolId(),
                        copyset.getCopysetId());
                if (leader.isPresent()) {
                    return leader;
                }
            } catch (MetaserverCallException e) {
                LOG.debug("leader lookup: {}", e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopologyException(TopoStatusCode.TOPO_INTERNAL_ERROR, "interrupted while waiting for a leader");
        }
    }
}
