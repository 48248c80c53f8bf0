package io.curvefs.metaserver.service;

import io.curvefs.metaserver.copyset.CopysetRegistry;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.grpc.BindableService;
import java.time.Duration;
import java.util.List;

/** The gRPC services a metaserver exposes on its listen port. */
public final class GrpcServices implements AutoCloseable {

    /** Twice the MDS rename lock's 5 s lifetime. */
    private static final Duration ABANDON_PENDING_RENAME_AFTER = Duration.ofSeconds(10);

    private final PendingRenames pendingRenames;
    private final List<BindableService> services;

    private GrpcServices(CopysetRegistry copysets, PendingRenames pendingRenames) {
        this.pendingRenames = pendingRenames;
        this.services = List.of(new MetaServerServiceImpl(copysets, pendingRenames), new CopysetServiceImpl(copysets),
                new CliService2Impl(copysets));
    }

    /** Pending renames are resolved against the MDS at {@code mds}; close the services after the server. */
    public static GrpcServices of(CopysetRegistry copysets, List<HostPort> mds) {
        return new GrpcServices(copysets, new PendingRenames(new MdsClient(mds), ABANDON_PENDING_RENAME_AFTER));
    }

    public List<BindableService> services() {
        return services;
    }

    @Override
    public void close() {
        pendingRenames.close();
    }
}
