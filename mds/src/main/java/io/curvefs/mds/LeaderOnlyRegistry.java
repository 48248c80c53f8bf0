package io.curvefs.mds;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The MDS's gRPC methods, switched between leader and standby. The port stays open either way
 * (clients and metaservers list every MDS), and while this MDS is a standby every known method
 * answers UNAVAILABLE, which makes an {@code MdsClient} try its next address. Each term as
 * leader installs services built on freshly loaded state, so nothing from an earlier term serves.
 */
final class LeaderOnlyRegistry extends HandlerRegistry {

    private final Map<String, ServerMethodDefinition<?, ?>> refusals = new HashMap<>();
    private volatile Map<String, ServerMethodDefinition<?, ?>> serving;

    LeaderOnlyRegistry(List<ServiceDescriptor> services, String standbyMessage) {
        Status unavailable = Status.UNAVAILABLE.withDescription(standbyMessage);
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                refusals.put(method.getFullMethodName(), refusing(method, unavailable));
            }
        }
    }

    private static <Q, R> ServerMethodDefinition<Q, R> refusing(MethodDescriptor<Q, R> method, Status status) {
        return ServerMethodDefinition.create(method, (ServerCall<Q, R> call, Metadata headers) -> {
            call.close(status, new Metadata());
            return new ServerCall.Listener<>() {
            };
        });
    }

    /** From now on, calls go to {@code services}. */
    void serve(List<ServerServiceDefinition> services) {
        Map<String, ServerMethodDefinition<?, ?>> methods = new HashMap<>();
        for (ServerServiceDefinition service : services) {
            for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
                methods.put(method.getMethodDescriptor().getFullMethodName(), method);
            }
        }
        serving = Map.copyOf(methods);
    }

    /** From now on, every call is refused with UNAVAILABLE. */
    void standBy() {
        serving = null;
    }

    boolean isServing() {
        return serving != null;
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
        Map<String, ServerMethodDefinition<?, ?>> current = serving;
        return current != null ? current.get(methodName) : refusals.get(methodName);
    }
}
