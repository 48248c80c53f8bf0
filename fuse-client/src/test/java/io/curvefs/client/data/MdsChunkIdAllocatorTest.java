package io.curvefs.client.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.proto.mds.AllocateS3ChunkRequest;
import io.curvefs.proto.mds.AllocateS3ChunkResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.MdsServiceGrpc;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real gRPC server on loopback that plays the MDS's AllocateS3Chunk. */
class MdsChunkIdAllocatorTest {

    private final List<AllocateS3ChunkRequest> requests = new ArrayList<>();
    private volatile FSStatusCode answer = FSStatusCode.OK;
    private long nextFree = 5000;
    private Server server;
    private MdsClient mds;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new MdsServiceGrpc.MdsServiceImplBase() {
                    @Override
                    public void allocateS3Chunk(AllocateS3ChunkRequest request,
                                                StreamObserver<AllocateS3ChunkResponse> response) {
                        AllocateS3ChunkResponse.Builder reply = AllocateS3ChunkResponse.newBuilder()
                                .setStatusCode(answer);
                        synchronized (MdsChunkIdAllocatorTest.this) {
                            requests.add(request);
                            if (answer == FSStatusCode.OK) {
                                reply.setBeginChunkId(nextFree);
                                nextFree += request.getChunkIdNum();
                            }
                        }
                        response.onNext(reply.build());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
        mds = new MdsClient(List.of(new HostPort("127.0.0.1", server.getPort())), java.time.Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws InterruptedException {
        mds.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void handsOutBatchesWithOneRoundTripEach() {
        MdsChunkIdAllocator allocator = new MdsChunkIdAllocator(mds, 9, 1000);
        HashSet<Long> ids = new HashSet<>();
        for (int i = 0; i < 2500; i++) {
            ids.add(allocator.allocate());
        }
        assertThat(ids).hasSize(2500);
        assertThat(ids).allSatisfy(id -> assertThat(id).isBetween(5000L, 7499L));
        synchronized (this) {
            assertThat(requests).hasSize(3);
            assertThat(requests).allSatisfy(r -> {
                assertThat(r.getFsId()).isEqualTo(9);
                assertThat(r.getChunkIdNum()).isEqualTo(1000);
            });
        }
    }

    @Test
    void aRefusalIsOneClearError() {
        answer = FSStatusCode.NOT_FOUND;
        MdsChunkIdAllocator allocator = new MdsChunkIdAllocator(mds, 9);
        assertThatThrownBy(allocator::allocate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the MDS allocated no chunk ids for fs 9: NOT_FOUND");
    }
}
