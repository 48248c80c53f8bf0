package io.curvefs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.curvefs.mds.MdsConfig;
import io.curvefs.mds.MdsServer;
import io.curvefs.metaserver.MetaServer;
import io.curvefs.metaserver.MetaserverConfig;
import io.curvefs.proto.common.FSType;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.CreateFsRequest;
import io.curvefs.proto.mds.CreateFsResponse;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsDetail;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real mount: MDS and metaserver in this JVM, file data in a local-directory object store,
 * the kernel talking to MountDaemon through /dev/fuse (needs root).
 */
class MountDaemonEndToEndTest {

    private static final String FS = "e2e";
    @TempDir
    static Path dir;
    private static MdsServer mds;
    private static MetaServer metaserver;
    private static MountConfig config;
    private static MountDaemon mount;
    private static Path root;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/fuse")), "needs /dev/fuse");
        mds = MdsServer.start(MdsConfig.defaults(new HostPort("127.0.0.1", 0), dir.resolve("mds")));
        metaserver = MetaServer.start(MetaserverConfig.defaults(new HostPort("127.0.0.1", 0),
                dir.resolve("metaserver"), List.of(mds.address())).withHeartbeatInterval(Duration.ofMillis(300)));
        createFs();
        root = Files.createDirectory(dir.resolve("mnt"));
        config = MountConfig.defaults(List.of(mds.address()), FS, root);
        mount = MountDaemon.mount(config);
    }

    private static void createFs() throws InterruptedException {
        S3Info store = S3Info.newBuilder().setEndpoint(dir.resolve("objects").toUri().toString())
                .setBucketname("curvefs").setAk("").setSk("").setBlockSize(256 << 10).setChunkSize(1 << 20).build();
        CreateFsRequest request = CreateFsRequest.newBuilder().setFsName(FS).setBlockSize(4096)
                .setFsType(FSType.TYPE_S3).setFsDetail(FsDetail.newBuilder().setS3Info(store))
                .setEnableSumInDir(false).setOwner("root").setCapacity(1L << 40).build();
        try (MdsClient client = new MdsClient(List.of(mds.address()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            FSStatusCode status;
            do {
                CreateFsResponse r = client.mds(stub -> stub.createFs(request));
                status = r.getStatusCode();
                if (status != FSStatusCode.OK) {
                    Thread.sleep(100);
                }
            } while (status != FSStatusCode.OK && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(FSStatusCode.OK);
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {mount, metaserver, mds}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("stopping " + c + ": " + e);
            }
        }
    }

    @Test
    void posixBasicsOnRealServers() throws Exception {
        Path base = Files.createDirectory(root.resolve("basics"));
        Path f = base.resolve("f");
        Files.writeString(f, "hello");
        Files.writeString(f, " world", StandardOpenOption.APPEND);
        assertThat(Files.readString(f)).isEqualTo("hello world");
        assertThat(Files.getAttribute(base, "unix:nlink")).isEqualTo(2);

        Path sub = Files.createDirectory(base.resolve("sub"));
        assertThat(Files.getAttribute(base, "unix:nlink")).isEqualTo(3);
        Files.createLink(sub.resolve("hard"), f);
        assertThat(Files.getAttribute(f, "unix:nlink")).isEqualTo(2);
        Files.move(f, sub.resolve("moved"));
        assertThat(Files.readString(sub.resolve("moved"))).isEqualTo("hello world");
        assertThatThrownBy(() -> Files.delete(sub)).isInstanceOf(DirectoryNotEmptyException.class);
        try (Stream<Path> listing = Files.list(sub)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("hard", "moved");
        }

        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(sub.resolve("moved"),
                UserDefinedFileAttributeView.class);
        xattrs.write("k", StandardCharsets.UTF_8.encode("v"));
        assertThat(xattrs.list()).containsExactly("k");
        xattrs.delete("k");
        assertThat(xattrs.list()).isEmpty();

        Files.delete(sub.resolve("hard"));
        Files.delete(sub.resolve("moved"));
        Files.delete(sub);
        assertThatThrownBy(() -> Files.size(sub)).isInstanceOf(NoSuchFileException.class);
        assertThat(Files.getAttribute(base, "unix:nlink")).isEqualTo(2);
        assertThat(Files.getFileStore(root).getTotalSpace()).isEqualTo(1L << 40);
    }

    @Test
    void dataSurvivesARemount() throws Exception {
        byte[] data = new byte[(1 << 20) + (300 << 10)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        Files.write(root.resolve("big"), data);
        mount.close();
        mount = MountDaemon.mount(config);
        assertThat(Files.readAllBytes(root.resolve("big"))).isEqualTo(data);
        try (var channel = Files.newByteChannel(root.resolve("big"))) {
            ByteBuffer buf = ByteBuffer.allocate(10);
            channel.position(1 << 20).read(buf);
            assertThat(buf.array()[0]).isEqualTo(data[1 << 20]);
        }
    }
}
