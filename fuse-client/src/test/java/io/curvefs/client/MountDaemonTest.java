package io.curvefs.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.MdsServiceGrpc;
import io.curvefs.proto.mds.MountFsRequest;
import io.curvefs.proto.mds.MountFsResponse;
import io.curvefs.rpc.HostPort;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways a mount fails before anything is mounted: each one clear line, quickly. */
class MountDaemonTest {

    @TempDir
    Path dir;

    @Test
    void unreachableMdsFailsAfterTheRetryBudgetWithTheAddress() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        HostPort mds = new HostPort("127.0.0.1", port);
        MountConfig config = MountConfig.defaults(List.of(mds), "fs", dir)
                .withRetry(Duration.ofSeconds(5), Duration.ofSeconds(1));
        assertThatThrownBy(() -> MountDaemon.mount(config))
                .isInstanceOf(MountException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageNotContaining("\n");
    }

    @Test
    void missingMountPointIsReported() {
        HostPort mds = new HostPort("127.0.0.1", 1);
        assertThatThrownBy(() -> MountDaemon.mount(MountConfig.defaults(List.of(mds), "fs", dir.resolve("none"))))
                .isInstanceOf(MountException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void unknownFileSystemIsReported() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new MdsServiceGrpc.MdsServiceImplBase() {
                    @Override
                    public void mountFs(MountFsRequest request, StreamObserver<MountFsResponse> out) {
                        out.onNext(MountFsResponse.newBuilder().setStatusCode(FSStatusCode.NOT_FOUND).build());
                        out.onCompleted();
                    }
                }).build().start();
        try {
            HostPort mds = new HostPort("127.0.0.1", server.getPort());
            assertThatThrownBy(() -> MountDaemon.mount(MountConfig.defaults(List.of(mds), "nofs", dir)))
                    .isInstanceOf(MountException.class)
                    .hasMessage("file system 'nofs' does not exist");
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
