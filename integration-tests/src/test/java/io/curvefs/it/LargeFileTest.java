package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.objectstore.ObjectInfo;
import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStores;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB file written sequentially, then overwritten at random offsets, must read back the same
 * as a local reference copy: on the mount that wrote it, after a remount, and after the servers
 * were killed and restarted. Its data must sit in the bucket under upstream's object names.
 */
class LargeFileTest {

    private static final long SIZE = 1L << 30;
    private static final int OVERWRITES = 300;

    private Cluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = Cluster.start("large-file");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void randomOverwritesOfAOneGibFileSurviveRemountAndServerRestart() throws Exception {
        Path reference = cluster.dir.resolve("reference.bin");
        Cluster.Mount mount = cluster.mount("writer");
        Path file = mount.point.resolve("big.bin");

        Random random = new Random(7);
        byte[] block = new byte[1 << 20];
        try (RandomAccessFile ref = new RandomAccessFile(reference.toFile(), "rw");
             RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            for (long off = 0; off < SIZE; off += block.length) {
                random.nextBytes(block);
                ref.write(block);
                out.write(block);
            }
            for (int i = 0; i < OVERWRITES; i++) {
                int len = 1 + random.nextInt(block.length);
                long off = (long) (random.nextDouble() * (SIZE + (8 << 20) - len));
                random.nextBytes(block);
                ref.seek(off);
                ref.write(block, 0, len);
                out.seek(off);
                out.write(block, 0, len);
            }
        }
        String expected = sha256(reference);
        assertThat(Files.size(file)).isEqualTo(Files.size(reference));
        assertThat(sha256(file)).isEqualTo(expected);

        mount.unmount();
        mount = cluster.mount("reader");
        assertThat(sha256(mount.point.resolve("big.bin"))).as("after remount").isEqualTo(expected);
        mount.unmount();

        cluster.killAndRestartServers();
        mount = cluster.mount("after-restart");
        assertThat(sha256(mount.point.resolve("big.bin"))).as("after server restart").isEqualTo(expected);

        assertObjectsHaveUpstreamNames(mount.point.resolve("big.bin"));
    }

    private void assertObjectsHaveUpstreamNames(Path file) throws Exception {
        long inode = (long) Files.getAttribute(file, "unix:ino");
        int fsId;
        try (MdsClient mds = new MdsClient(List.of(HostPort.parse(cluster.mdsAddress())), java.time.Duration.ofSeconds(30))) {
            fsId = mds.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder().setFsName(cluster.fsName).build()))
                    .getFsInfo().getFsId();
        }
        try (ObjectStore store = ObjectStores.open(cluster.s3.config())) {
            List<ObjectInfo> objects = store.list(fsId + "_" + inode + "_");
            assertThat(objects).isNotEmpty();
            assertThat(objects).allSatisfy(o -> assertThat(o.key()).matches(fsId + "_" + inode + "_\\d+_\\d+_0"));
            long stored = objects.stream().mapToLong(ObjectInfo::size).sum();
            assertThat(stored).isGreaterThanOrEqualTo(SIZE);
        }
    }

    static String sha256(Path path) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new AssertionError("reading " + path + ": " + e, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
