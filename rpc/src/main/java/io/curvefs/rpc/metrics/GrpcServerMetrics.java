package io.curvefs.rpc.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Counts and times every call a gRPC server answers, by service, method and status code.
 * The metrics live in the default Prometheus registry and are always collected (a counter
 * increment per call); whether anyone can scrape them is decided by the daemon's launcher.
 * Service names tell the MDS's calls from the metaserver's when both run in one process.
 */
public final class GrpcServerMetrics implements ServerInterceptor {

    private static final Counter REQUESTS = Counter.builder()
            .name("curvefs_rpc_server_requests")
            .help("RPCs answered by this process's gRPC servers")
            .labelNames("service", "method", "code")
            .withoutExemplars()
            .register();

    private static final Histogram DURATION = Histogram.builder()
            .name("curvefs_rpc_server_duration_seconds")
            .help("Time from the start of an RPC to its answer")
            .unit(Unit.SECONDS)
            .classicOnly()
            .labelNames("service", "method")
            .withoutExemplars()
            .register();

    private static final GrpcServerMetrics INSTANCE = new GrpcServerMetrics();

    private GrpcServerMetrics() {
    }

    /** The interceptor to register once per server. */
    public static ServerInterceptor interceptor() {
        return INSTANCE;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        long started = System.nanoTime();
        String service = call.getMethodDescriptor().getServiceName();
        String method = call.getMethodDescriptor().getBareMethodName();
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                REQUESTS.labelValues(service, method, status.getCode().name()).inc();
                DURATION.labelValues(service, method).observe((System.nanoTime() - started) / 1e9);
                super.close(status, trailers);
            }
        }, headers);
    }
}
