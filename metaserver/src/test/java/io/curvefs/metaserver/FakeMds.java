package io.curvefs.metaserver;

import io.curvefs.proto.heartbeat.HeartbeatServiceGrpc;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.GetLatestTxIdRequest;
import io.curvefs.proto.mds.GetLatestTxIdResponse;
import io.curvefs.proto.mds.MdsServiceGrpc;
import io.curvefs.proto.mds.PartitionTxId;
import io.curvefs.proto.heartbeat.HeartbeatStatusCode;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatRequest;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatResponse;
import io.curvefs.proto.topology.MetaServerRegistRequest;
import io.curvefs.proto.topology.MetaServerRegistResponse;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.proto.topology.TopologyServiceGrpc;
import io.curvefs.rpc.HostPort;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test double of the MDS: accepts registrations (id 7, token "token-7"), records heartbeats,
 * and answers GetLatestTxId from {@link #txIds} and {@link #txSequence} (what a test says the
 * MDS committed).
 */
final class FakeMds implements AutoCloseable {

    final List<MetaServerRegistRequest> registrations = new CopyOnWriteArrayList<>();
    final List<MetaServerHeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
    final Map<Integer, Long> txIds = new ConcurrentHashMap<>();
    final AtomicLong txSequence = new AtomicLong();
    private final Server server;

    FakeMds() throws IOException {
        this(0);
    }

    FakeMds(int port) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new TopologyServiceGrpc.TopologyServiceImplBase() {
                    @Override
                    public void registMetaServer(MetaServerRegistRequest request,
                            StreamObserver<MetaServerRegistResponse> out) {
                        registrations.add(request);
                        out.onNext(MetaServerRegistResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                                .setMetaServerID(7).setToken("token-7").build());
                        out.onCompleted();
                    }
                })
                .addService(new HeartbeatServiceGrpc.HeartbeatServiceImplBase() {
                    @Override
                    public void metaServerHeartbeat(MetaServerHeartbeatRequest request,
                            StreamObserver<MetaServerHeartbeatResponse> out) {
                        heartbeats.add(request);
                        out.onNext(MetaServerHeartbeatResponse.newBuilder()
                                .setStatusCode(HeartbeatStatusCode.hbOK).build());
                        out.onCompleted();
                    }
                })
                .addService(new MdsServiceGrpc.MdsServiceImplBase() {
                    @Override
                    public void getLatestTxId(GetLatestTxIdRequest request,
                            StreamObserver<GetLatestTxIdResponse> out) {
                        GetLatestTxIdResponse.Builder answer = GetLatestTxIdResponse.newBuilder()
                                .setStatusCode(FSStatusCode.OK).setTxSequence(txSequence.get());
                        txIds.forEach((partition, txId) -> answer.addTxIds(
                                PartitionTxId.newBuilder().setPartitionId(partition).setTxId(txId)));
                        out.onNext(answer.build());
                        out.onCompleted();
                    }
                })
                .build().start();
    }

    HostPort address() {
        return new HostPort("127.0.0.1", server.getPort());
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
