package io.curvefs.mds;

import io.curvefs.proto.common.FSType;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.FsDetail;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.proto.topology.MetaServerRegistRequest;
import io.curvefs.proto.topology.MetaServerRegistResponse;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** An MDS on 127.0.0.1 with fake metaservers and a client; closes everything it started. */
final class MdsTestCluster implements AutoCloseable {

    final Path dir;
    final List<FakeMetaserver> metaservers = new ArrayList<>();
    private final UnaryOperator<MdsConfig> tune;
    MdsServer mds;
    MdsClient client;

    MdsTestCluster(Path dir, UnaryOperator<MdsConfig> tune) {
        this.dir = dir;
        this.tune = tune;
        startMds();
    }

    void startMds() {
        mds = MdsServer.start(tune.apply(MdsConfig.defaults(new HostPort("127.0.0.1", 0), dir.resolve("mds"))));
        client = new MdsClient(List.of(mds.address()), java.time.Duration.ofSeconds(30));
    }

    void restartMds() {
        client.close();
        mds.close();
        startMds();
    }

    FakeMetaserver addMetaserver() {
        FakeMetaserver fake = new FakeMetaserver();
        metaservers.add(fake);
        MetaServerRegistResponse r = register(fake.address());
        if (r.getStatusCode().getNumber() != 0) {
            throw new IllegalStateException("registration failed: " + r.getStatusCode());
        }
        return fake;
    }

    MetaServerRegistResponse register(HostPort address) {
        return register(client, address);
    }

    static MetaServerRegistResponse register(MdsClient client, HostPort address) {
        return client.topology(s -> s.registMetaServer(MetaServerRegistRequest.newBuilder()
                .setHostName("host-" + address.port()).setInternalIp(address.host())
                .setInternalPort(address.port()).setExternalIp(address.host())
                .setExternalPort(address.port()).build()));
    }

    CreateFsRequest.Builder s3Fs(String name) {
        return s3Fs(dir, name);
    }

    /** An s3-type fs whose data store is the local directory {@code dir/objects}. */
    static CreateFsRequest.Builder s3Fs(Path dir, String name) {
        S3Info s3 = S3Info.newBuilder().setAk("ak").setSk("sk")
                .setEndpoint("file://" + dir.resolve("objects").toAbsolutePath()).setBucketname("bucket")
                .setBlockSize(4 << 20).setChunkSize(64 << 20).build();
        return CreateFsRequest.newBuilder().setFsName(name).setBlockSize(4096).setFsType(FSType.TYPE_S3)
                .setFsDetail(FsDetail.newBuilder().setS3Info(s3)).setEnableSumInDir(false).setOwner("test")
                .setCapacity(100L << 30);
    }

    static Mountpoint mountpoint(String host, String path, boolean cto) {
        return Mountpoint.newBuilder().setHostname(host).setPort(9000).setPath(path).setCto(cto).build();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (mds != null) {
            mds.close();
        }
        metaservers.forEach(FakeMetaserver::close);
    }
}
