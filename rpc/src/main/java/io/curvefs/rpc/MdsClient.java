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
 *
 * <p>Daemons (mounts, metaservers) give a retry budget: while an election is under way every
 * address answers UNAVAILABLE for a few seconds, and a call made then keeps going round the list
 * with growing pauses until a leader answers or the budget is spent, so that an MDS failover
 * costs a pause, not a failed call. Tools use no budget: one round, then one clear error.
 */
public final class MdsClient implements AutoCloseable {

    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 1000;

    private final List<HostPort> addresses;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Duration timeout;
    private final Duration retryBudget;
    private volatile int current;

    public MdsClient(List<HostPort> addresses, Duration timeout) {
        this(addresses, timeout, Duration.ZERO);
    }

    /** @param retryBudget how long a call keeps trying the addresses while none answers */
    public MdsClient(List<HostPort> addresses, Duration timeout, Duration retryBudget) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no MDS address given");
        }
        this.addresses = List.copyOf(addresses);
        this.timeout = timeout;
        this.retryBudget = retryBudget;
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
        long deadline = System.nanoTime() + retryBudget.toNanos();
        long pauseMs = FIRST_PAUSE_MS;
        while (true) {
            MdsUnavailableException none;
            try {
                return oneRound(call);
            } catch (MdsUnavailableException e) {
                none = e;
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs) - deadline > 0) {
                throw none;
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw none;
            }
            pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
        }
    }

    private <T> T oneRound(Function<Channel, T> call) {
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
