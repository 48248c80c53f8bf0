package io.curvefs.client.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.cli2.GetLeaderResponse2;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.CreateInodeResponse;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.InodeAttr;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.topology.Copyset;
import io.curvefs.proto.topology.CreatePartitionRequest;
import io.curvefs.proto.topology.CreatePartitionResponse;
import io.curvefs.proto.topology.GetCopysetOfPartitionRequest;
import io.curvefs.proto.topology.GetCopysetOfPartitionResponse;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.proto.topology.ListPartitionResponse;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.proto.topology.TopologyServiceGrpc;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing, leader changes and partition exhaustion against fake MDS and metaservers on loopback. */
class RemoteMetaClientRoutingTest {

    private static final int FS = 7;
    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<PartitionInfo> partitions = new CopyOnWriteArrayList<>();
    private final AtomicInteger createPartitionCalls = new AtomicInteger();
    private volatile String leader;
    private FakeMetaserver a;
    private FakeMetaserver b;
    private MdsClient mds;

    @BeforeEach
    void start() throws IOException {
        a = new FakeMetaserver();
        b = new FakeMetaserver();
        a.start();
        b.start();
        partitions.add(partition(1, 0, 99));
        partitions.add(partition(2, 100, 199));
        leader = b.address;
        Server fakeMds = serve(new FakeTopology());
        mds = new MdsClient(List.of(new HostPort("127.0.0.1", fakeMds.getPort())));
    }

    @AfterEach
    void stop() throws InterruptedException {
        mds.close();
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private RemoteMetaClient client(Duration budget) {
        return RemoteMetaClient.connect(mds, FS, 1, Duration.ofSeconds(10), budget);
    }

    @Test
    void followsTheLeaderWhenItMoves() {
        try (RemoteMetaClient client = client(Duration.ofSeconds(10))) {
            assertThat(client.lookup(1, "x")).contains(new DirEntry("x", 42, InodeType.FILE));
            assertThat(b.served.get()).isEqualTo(1);
            assertThat(a.served.get()).isZero();

            leader = a.address;
            assertThat(client.lookup(1, "x")).isPresent();
            assertThat(a.served.get()).isEqualTo(1);
            assertThat(b.redirected.get()).isEqualTo(1);
        }
    }

    @Test
    void movesOnFromExhaustedPartitionsAndCreatesNewOnes() {
        b.exhausted.add(1);
        try (RemoteMetaClient client = client(Duration.ofSeconds(10))) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.createInode(spec()).ino()).isBetween(100L, 199L);
            }
            assertThat(createPartitionCalls.get()).isZero();
            b.exhausted.add(2);
            assertThat(client.createInode(spec()).ino()).isBetween(200L, 299L);
            assertThat(createPartitionCalls.get()).isEqualTo(1);
        }
    }

    @Test
    void aColdLookupAndTheGetattrAfterItAreOneRequest() {
        try (CachingMetaClient cached = new CachingMetaClient(client(Duration.ofSeconds(10)), Duration.ofMinutes(1),
                Duration.ofMinutes(1), 100)) {
            DirEntry found = cached.lookup(1, "x").orElseThrow();
            assertThat(cached.getAttr(found.ino()).mode()).isEqualTo(0100644);
            assertThat(b.served.get()).as("GetDentry only; the fake answers no BatchGetInodeAttr").isEqualTo(1);
        }
    }

    @Test
    void newInodesGoToTheirParentsPartition() {
        try (RemoteMetaClient client = client(Duration.ofSeconds(10))) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.createInode(childOf(150)).ino()).isBetween(100L, 199L);
                assertThat(client.createInode(childOf(50)).ino()).isBetween(0L, 99L);
            }
            b.exhausted.add(2);
            assertThat(client.createInode(childOf(150)).ino()).as("falls back to a usable partition")
                    .isBetween(0L, 99L);
        }
    }

    @Test
    void givesUpAfterTheRetryBudgetWithOneClearError() {
        a.server.shutdownNow();
        b.server.shutdownNow();
        try (RemoteMetaClient client = client(Duration.ofMillis(300))) {
            assertThatThrownBy(() -> client.lookup(1, "x"))
                    .isInstanceOfSatisfying(MetaException.class,
                            e -> assertThat(e.kind()).isEqualTo(MetaException.Kind.UNAVAILABLE))
                    .hasMessageContaining("partition 1");
        }
    }

    @Test
    void parsesPeerAddressesWithIndex() {
        assertThat(MetaRouter.peerAddress("10.0.0.1:6800:0")).isEqualTo(new HostPort("10.0.0.1", 6800));
        assertThat(MetaRouter.peerAddress("10.0.0.1:6801")).isEqualTo(new HostPort("10.0.0.1", 6801));
    }

    private static NewInode childOf(long parent) {
        return new NewInode(InodeType.FILE, 0100644, 0, 0, parent, 0, null, 0, 0);
    }

    private static NewInode spec() {
        return new NewInode(InodeType.FILE, 0100644, 0, 0, 1, 0, null, 0, 0);
    }

    private PartitionInfo partition(int id, long start, long end) {
        return PartitionInfo.newBuilder().setFsId(FS).setPoolId(1).setCopysetId(1).setPartitionId(id)
                .setStart(start).setEnd(end).setStatus(PartitionStatus.READWRITE).build();
    }

    private Server serve(io.grpc.BindableService... services) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        for (io.grpc.BindableService s : services) {
            builder.addService(s);
        }
        Server server = builder.build().start();
        servers.add(server);
        return server;
    }

    private static String address(Server server) {
        return "127.0.0.1:" + server.getPort() + ":0";
    }

    private final class FakeTopology extends TopologyServiceGrpc.TopologyServiceImplBase {
        @Override
        public void listPartition(ListPartitionRequest request, StreamObserver<ListPartitionResponse> out) {
            out.onNext(ListPartitionResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .addAllPartitionInfoList(partitions).build());
            out.onCompleted();
        }

        @Override
        public void getCopysetOfPartition(GetCopysetOfPartitionRequest request,
                                          StreamObserver<GetCopysetOfPartitionResponse> out) {
            GetCopysetOfPartitionResponse.Builder r = GetCopysetOfPartitionResponse.newBuilder()
                    .setStatusCode(TopoStatusCode.TOPO_OK);
            for (int id : request.getPartitionIdList()) {
                r.putCopysetMap(id, Copyset.newBuilder().setPoolId(1).setCopysetId(1)
                        .addPeers(Peer.newBuilder().setAddress(a.address))
                        .addPeers(Peer.newBuilder().setAddress(b.address)).build());
            }
            out.onNext(r.build());
            out.onCompleted();
        }

        @Override
        public void createPartition(CreatePartitionRequest request, StreamObserver<CreatePartitionResponse> out) {
            int n = createPartitionCalls.incrementAndGet();
            PartitionInfo p = partition(2 + n, 100L + n * 100, 199L + n * 100);
            partitions.add(p);
            out.onNext(CreatePartitionResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .addPartitionInfoList(p).build());
            out.onCompleted();
        }
    }

    /** Serves only while it is the leader; answers REDIRECTED otherwise. */
    private final class FakeMetaserver {
        Server server;
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger redirected = new AtomicInteger();
        final Set<Integer> exhausted = ConcurrentHashMap.newKeySet();
        final AtomicInteger nextOffset = new AtomicInteger();

        String address;

        void start() throws IOException {
            server = serve(services());
            address = address(server);
        }

        boolean isLeader() {
            return leader.equals(address);
        }

        io.grpc.BindableService[] services() {
            return new io.grpc.BindableService[] {new MetaServerServiceGrpc.MetaServerServiceImplBase() {
                @Override
                public void getDentry(GetDentryRequest request, StreamObserver<GetDentryResponse> out) {
                    GetDentryResponse.Builder r = GetDentryResponse.newBuilder();
                    if (!isLeader()) {
                        redirected.incrementAndGet();
                        r.setStatusCode(MetaStatusCode.REDIRECTED);
                    } else {
                        served.incrementAndGet();
                        r.setStatusCode(MetaStatusCode.OK).setDentry(Dentry.newBuilder().setFsId(FS).setInodeId(42)
                                .setParentInodeId(request.getParentInodeId()).setName(request.getName())
                                .setType(FsFileType.TYPE_S3));
                        if (request.getReturnInodeAttr()) {
                            r.setInodeAttr(InodeAttr.newBuilder().setInodeId(42).setFsId(FS).setLength(0)
                                    .setCtime(0).setCtimeNs(0).setMtime(0).setMtimeNs(0).setAtime(0).setAtimeNs(0)
                                    .setUid(0).setGid(0).setMode(0100644).setNlink(1).setType(FsFileType.TYPE_S3));
                        }
                    }
                    out.onNext(r.build());
                    out.onCompleted();
                }

                @Override
                public void createInode(CreateInodeRequest request, StreamObserver<CreateInodeResponse> out) {
                    CreateInodeResponse.Builder r = CreateInodeResponse.newBuilder();
                    PartitionInfo p = partitions.stream()
                            .filter(x -> x.getPartitionId() == request.getPartitionId()).findFirst().orElseThrow();
                    if (!isLeader()) {
                        r.setStatusCode(MetaStatusCode.REDIRECTED);
                    } else if (exhausted.contains(request.getPartitionId())) {
                        r.setStatusCode(MetaStatusCode.PARTITION_ALLOC_ID_FAIL);
                    } else {
                        long ino = p.getStart() + nextOffset.incrementAndGet();
                        r.setStatusCode(MetaStatusCode.OK).setInode(Inode.newBuilder().setInodeId(ino).setFsId(FS)
                                .setLength(0).setCtime(0).setCtimeNs(0).setMtime(0).setMtimeNs(0).setAtime(0)
                                .setAtimeNs(0).setUid(0).setGid(0).setMode(request.getMode()).setNlink(1)
                                .setType(request.getType()));
                    }
                    out.onNext(r.build());
                    out.onCompleted();
                }
            }, new CliService2Grpc.CliService2ImplBase() {
                @Override
                public void getLeader(GetLeaderRequest2 request, StreamObserver<GetLeaderResponse2> out) {
                    out.onNext(GetLeaderResponse2.newBuilder()
                            .setLeader(Peer.newBuilder().setAddress(leader)).build());
                    out.onCompleted();
                }
            }};
        }
    }
}
