package io.curvefs.rpc;

import io.curvefs.proto.heartbeat.HeartbeatServiceGrpc;
import io.curvefs.proto.mds.MdsServiceGrpc;
import io.curvefs.proto.topology.TopologyServiceGrpc;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Calls the MDS through a list of addresses. The MDS runs as one leader with standbys; a
 * standby (or a dead process) answers UNAVAILABLE, so a call moves on to the next address
 * and remembers the one that answered. Only transport failures fail over: an answer with a
 * status code in its body is the MDS speaking and is returned as is.
 */
public final class MdsClient implements AutoCloseable {

    private final List<HostPort> addresses;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Duration timeout;
    private volatile int current;

    public MdsClient(List<HostPort> addresses, Duration timeout) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no MDS address given");
        }
        this.addresses = List.copyOf(addresses);
        this.timeout = timeout;
        for (HostPort address : this.addresses) {
            channels.add(Channels.open(address));
        }
    }

    public MdsClient(List<HostPort> addresses) {
        this(addresses, Duration.ofSeconds(5));
    }

    public List<HostPort> addresses() {
        return addresses;
    }

    public <T> T mds(Function<MdsServiceGrpc.MdsServiceBlockingStub, T> call) {
        return invoke(channel -> call.apply(MdsServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)));
    }

    public <T> T topology(Function<TopologyServiceGrpc.TopologyServiceBlockingStub, T> call) {
        return invoke(channel -> call.apply(TopologyServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)));
    }

    public <T> T heartbeat(Function<HeartbeatServiceGrpc.HeartbeatServiceBlockingStub, T> call) {
        return invoke(channel -> call.apply(HeartbeatServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)));
    }

    private <T> T invoke(Function<Channel, T> call) {
        int start = current;
        StatusRuntimeException last = null;
        for (int i = 0; i < channels.size(); i++) {
            int index = (start + i) % channels.size();
            try {
                T result = call.apply(channels.get(index));
                current = index;
                return result;
            } catch (StatusRuntimeException e) {
                if (!isFailover(e.getStatus().getCode())) {
                    throw e;
                }
                last = e;
            }
        }
        throw new MdsUnavailableException("no MDS reachable at " + HostPort.join(addresses)
                + " (" + describe(last) + ")", last);
    }

    private static boolean isFailover(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }

    private static String describe(StatusRuntimeException e) {
        if (e == null) {
            return "no attempt";
        }
        String d = e.getStatus().getDescription();
        return e.getStatus().getCode() + (d == null ? "" : ": " + d);
    }

    @Override
    public void close() {
        channels.forEach(Channels::close);
    }
}
