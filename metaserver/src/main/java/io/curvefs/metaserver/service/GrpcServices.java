package io.curvefs.metaserver.service;

import io.curvefs.metaserver.copyset.CopysetRegistry;
import io.grpc.BindableService;
import java.util.List;

/** The gRPC services a metaserver exposes on its listen port. */
public final class GrpcServices {

    private GrpcServices() {
    }

    public static List<BindableService> of(CopysetRegistry copysets) {
        return List.of(new MetaServerServiceImpl(copysets), new CopysetServiceImpl(copysets),
                new CliService2Impl(copysets));
    }
}
