package io.curvefs.metaserver.service;

import io.curvefs.metaserver.copyset.CopysetRegistry;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC services a metaserver exposes on its listen port, and the threads their calls run on.
 *
 * <p>The metadata requests a mount sends on every file operation run on the network thread that
 * read them (the server is built with a direct executor): each only reads RocksDB by key or hands
 * a command to Raft, whose threads answer it. gRPC's default executor would instead pass every call
 * between the network thread and a pool thread four times (call start, message, half-close, close),
 * which on a small machine cost more than the request itself. Everything else (directory scans,
 * copyset creation, leader transfer) and the rare request that must first resolve a pending rename
 * against the MDS run on {@link #blockingCalls}.
 */
public final class GrpcServices implements AutoCloseable {

    /** Twice the MDS rename lock's 5 s lifetime. */
    private static final Duration ABANDON_PENDING_RENAME_AFTER = Duration.ofSeconds(10);

    private final PendingRenames pendingRenames;
    private final ExecutorService blockingCalls;
    private final List<BindableService> services;

    private GrpcServices(CopysetRegistry copysets, PendingRenames pendingRenames) {
        this.pendingRenames = pendingRenames;
        AtomicInteger threads = new AtomicInteger();
        this.blockingCalls = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "metaserver-rpc-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.services = List.of(new MetaServerServiceImpl(copysets, pendingRenames, blockingCalls),
                new CopysetServiceImpl(copysets), new CliService2Impl(copysets));
    }

    /** Pending renames are resolved against the MDS at {@code mds}; close the services after the server. */
    public static GrpcServices of(CopysetRegistry copysets, List<HostPort> mds) {
        return new GrpcServices(copysets, new PendingRenames(new MdsClient(mds), ABANDON_PENDING_RENAME_AFTER));
    }

    public List<BindableService> services() {
        return services;
    }

    /** For a server built with a direct executor: the calls that may block move to a pool. */
    public ServerCallExecutorSupplier callExecutors() {
        return new ServerCallExecutorSupplier() {
            @Override
            public <ReqT, RespT> ExecutorService getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
                return MetaServerServiceImpl.runsOnNetworkThread(call.getMethodDescriptor()) ? null : blockingCalls;
            }
        };
    }

    /** After the server terminated, no call is left on the pool. */
    @Override
    public void close() {
        blockingCalls.shutdownNow();
        pendingRenames.close();
    }
}
