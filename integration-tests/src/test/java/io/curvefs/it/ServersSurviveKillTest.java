package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The foundation end to end: an MDS and a metaserver as separate processes, a file system
 * created with the tool, metadata written through the metaserver API, both servers killed
 * with SIGKILL and restarted, and everything found again.
 */
class ServersSurviveKillTest {

    private static final int FILES = 10_000;

    private Path dir;
    private int mdsPort;
    private int metaPort;
    private DaemonProcess mdsProcess;
    private DaemonProcess metaProcess;

    @BeforeEach
    void startServers() throws Exception {
        dir = Files.createTempDirectory(Path.of("target"), "servers-");
        mdsPort = DaemonProcess.freePort();
        metaPort = DaemonProcess.freePortPair(1000);
        startMds();
        startMetaserver();
    }

    private void startMds() throws Exception {
        mdsProcess = new DaemonProcess("mds", dir, "mds", "--listen", "127.0.0.1:" + mdsPort,
                "--data-dir", dir.resolve("mds").toString()).start().awaitPort(mdsPort, Duration.ofSeconds(60));
    }

    private void startMetaserver() throws Exception {
        metaProcess = new DaemonProcess("metaserver", dir, "metaserver", "--listen", "127.0.0.1:" + metaPort,
                "--data-dir", dir.resolve("metaserver").toString(), "--mds", mds())
                .start().awaitPort(metaPort, Duration.ofSeconds(60));
    }

    private String mds() {
        return "127.0.0.1:" + mdsPort;
    }

    @AfterEach
    void stopServers() throws Exception {
        if (metaProcess != null) {
            metaProcess.close();
        }
        if (mdsProcess != null) {
            mdsProcess.close();
        }
    }

    @Test
    void createFsWriteMetadataKillRestartAndFindEverything() throws Exception {
        awaitMetaserverRegistered();

        ToolRun created = ToolRun.of("create-fs", "--mds", mds(), "--fs-name", "it-fs",
                "--local-dir", dir.resolve("objects").toString());
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(created.stdout()).contains("created file system it-fs");

        ToolRun again = ToolRun.of("create-fs", "--mds", mds(), "--fs-name", "it-fs",
                "--local-dir", dir.resolve("objects").toString());
        assertThat(again.exitCode()).as("same name, same settings: idempotent; " + again.stderr()).isZero();

        long subdir;
        try (MdsClient client = new MdsClient(List.of(HostPort.parse(mds())), java.time.Duration.ofSeconds(30));
             MetaApi meta = new MetaApi(client, fsInfo(client, "it-fs").getFsId())) {
            assertThat(meta.partitions()).isNotEmpty();
            assertThat(meta.inode(1).getType()).isEqualTo(FsFileType.TYPE_DIRECTORY);

            subdir = meta.create(1, "dataset", FsFileType.TYPE_DIRECTORY, 040755);
            meta.create(1, "readme", FsFileType.TYPE_S3, 0100644);
            createFilesInParallel(meta, subdir);

            assertListing(meta, subdir);
            assertThat(meta.inode(1).getNlink()).isEqualTo(3);
        }

        metaProcess.kill9();
        mdsProcess.kill9();
        startMds();
        startMetaserver();

        try (MdsClient client = new MdsClient(List.of(HostPort.parse(mds())), java.time.Duration.ofSeconds(30))) {
            FsInfo fs = awaitFsInfo(client, "it-fs");
            assertThat(fs.getFsName()).isEqualTo("it-fs");
            try (MetaApi meta = awaitMetaApi(client, fs.getFsId())) {
                assertThat(meta.list(1, 100)).extracting(Dentry::getName).containsExactly("dataset", "readme");
                assertListing(meta, subdir);
                assertThat(meta.inode(subdir).getNlink()).isEqualTo(2);
            }
        }

        ToolRun listed = ToolRun.of("list-fs", "--mds", mds());
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.stdout()).contains("it-fs");
        ToolRun info = ToolRun.of("fs-info", "--mds", mds(), "--fs-name", "it-fs");
        assertThat(info.exitCode()).isZero();
        assertThat(info.stdout()).contains("it-fs").contains("INITED");
    }

    @Test
    void toolErrorsAreOneClearLine() throws Exception {
        ToolRun badName = ToolRun.of("create-fs", "--mds", mds(), "--fs-name", "Bad_Name",
                "--local-dir", dir.resolve("objects").toString());
        assertThat(badName.exitCode()).isEqualTo(1);
        assertThat(badName.stderr().strip()).startsWith("curvefs: bad file system name").doesNotContain("\n");

        ToolRun missing = ToolRun.of("fs-info", "--mds", mds(), "--fs-name", "nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr().strip()).isEqualTo("curvefs: no file system named 'nope'");

        ToolRun unreachable = ToolRun.of("list-fs", "--mds", "127.0.0.1:" + DaemonProcess.freePort());
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.stderr().strip()).startsWith("curvefs: no MDS reachable at").doesNotContain("\n");

        ToolRun badFlag = ToolRun.of("list-fs", "--no-such-flag");
        assertThat(badFlag.exitCode()).isEqualTo(2);
        assertThat(badFlag.stderr()).contains("Unknown option: '--no-such-flag'");
    }

    private void createFilesInParallel(MetaApi meta, long parent) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Long>> done = new ArrayList<>();
            IntStream.range(0, FILES).forEach(i -> done.add(pool.submit(
                    () -> meta.create(parent, String.format("f%05d", i), FsFileType.TYPE_S3, 0100644))));
            for (Future<Long> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertListing(MetaApi meta, long dir) {
        List<String> names = meta.list(dir, 1000).stream().map(Dentry::getName).toList();
        assertThat(names).hasSize(FILES);
        assertThat(names).isSorted();
        assertThat(names.get(0)).isEqualTo("f00000");
        assertThat(names.get(FILES - 1)).isEqualTo(String.format("f%05d", FILES - 1));
    }

    private void awaitMetaserverRegistered() throws Exception {
        try (MdsClient client = new MdsClient(List.of(HostPort.parse(mds())), java.time.Duration.ofSeconds(30))) {
            Eventually.until(Duration.ofSeconds(30), () -> client.topology(s -> s.listTopology(
                    ListTopologyRequest.getDefaultInstance())).getMetaserversCount() > 0);
        }
    }

    private static FsInfo fsInfo(MdsClient client, String name) {
        return client.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder().setFsName(name).build())).getFsInfo();
    }

    private static FsInfo awaitFsInfo(MdsClient client, String name) throws Exception {
        return Eventually.get(Duration.ofSeconds(30), () -> fsInfo(client, name));
    }

    private static MetaApi awaitMetaApi(MdsClient client, int fsId) throws Exception {
        return Eventually.get(Duration.ofSeconds(60), () -> {
            MetaApi api = new MetaApi(client, fsId);
            try {
                api.inode(1);
                return api;
            } catch (RuntimeException notYet) {
                api.close();
                throw notYet;
            }
        });
    }
}
