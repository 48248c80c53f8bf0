package io.curvefs.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.mds.GetFsInfoResponse;
import io.curvefs.proto.mds.MdsServiceGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An MDS that is a standby for its first calls (an election under way), then the leader. */
class MdsClientTest {

    private final AtomicInteger calls = new AtomicInteger();
    private volatile int standbyCalls;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new MdsServiceGrpc.MdsServiceImplBase() {
                    @Override
                    public void getFsInfo(GetFsInfoRequest request, StreamObserver<GetFsInfoResponse> response) {
                        if (calls.incrementAndGet() <= standbyCalls) {
                            response.onError(Status.UNAVAILABLE.withDescription("standby").asRuntimeException());
                            return;
                        }
                        response.onNext(GetFsInfoResponse.newBuilder().setStatusCode(FSStatusCode.NOT_FOUND).build());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private MdsClient client(Duration retryBudget) {
        return new MdsClient(List.of(new HostPort("127.0.0.1", server.getPort())), Duration.ofSeconds(5), retryBudget);
    }

    private static GetFsInfoResponse ask(MdsClient mds) {
        return mds.mds(stub -> stub.getFsInfo(GetFsInfoRequest.newBuilder().setFsName("x").build()));
    }

    @Test
    void withoutBudgetOneRoundThenOneError() {
        standbyCalls = 1;
        try (MdsClient mds = client(Duration.ZERO)) {
            assertThatThrownBy(() -> ask(mds)).isInstanceOf(MdsUnavailableException.class)
                    .hasMessageContaining("no MDS reachable").hasMessageContaining("standby");
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void withBudgetAnElectionIsWaitedOut() {
        standbyCalls = 3;
        try (MdsClient mds = client(Duration.ofSeconds(30))) {
            assertThat(ask(mds).getStatusCode()).isEqualTo(FSStatusCode.NOT_FOUND);
        }
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void anAnswerInTheBodyIsNotRetried() {
        standbyCalls = 0;
        try (MdsClient mds = client(Duration.ofSeconds(30))) {
            assertThat(ask(mds).getStatusCode()).isEqualTo(FSStatusCode.NOT_FOUND);
        }
        assertThat(calls.get()).isEqualTo(1);
    }
}
