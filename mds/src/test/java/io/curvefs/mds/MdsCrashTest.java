package io.curvefs.mds;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.mds.AllocateS3ChunkRequest;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.FsStatus;
import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.mds.MountFsRequest;
import io.curvefs.proto.mds.Mountpoint;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an MDS acknowledged is still there after the process is killed with SIGKILL. */
class MdsCrashTest {

    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveKill9() throws Exception {
        Path data = dir.resolve("mds");
        Mountpoint mp = MdsTestCluster.mountpoint("client", "/mnt", true);
        long lastChunkId;
        int fsId;
        try (FakeMetaserver metaserver = new FakeMetaserver()) {
            Process child = startChild(data);
            try (MdsClient client = new MdsClient(List.of(new HostPort("127.0.0.1", awaitPort(child))), java.time.Duration.ofSeconds(30))) {
                MdsTestCluster.register(client, metaserver.address());
                FsInfo fs = client.mds(s -> s.createFs(MdsTestCluster.s3Fs(dir, "durable").build())).getFsInfo();
                fsId = fs.getFsId();
                assertThat(client.mds(s -> s.mountFs(MountFsRequest.newBuilder().setFsName("durable")
                        .setMountpoint(mp).build())).getStatusCode()).isEqualTo(FSStatusCode.OK);
                lastChunkId = client.mds(s -> s.allocateS3Chunk(AllocateS3ChunkRequest.newBuilder()
                        .setFsId(fsId).setChunkIdNum(10).build())).getBeginChunkId() + 9;
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }

        try (MdsServer mds = MdsServer.start(MdsConfig.defaults(new HostPort("127.0.0.1", 0), data));
                MdsClient client = new MdsClient(List.of(mds.address()), java.time.Duration.ofSeconds(30))) {
            FsInfo fs = client.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder().setFsName("durable").build()))
                    .getFsInfo();
            assertThat(fs.getStatus()).isEqualTo(FsStatus.INITED);
            assertThat(fs.getMountpointsList()).containsExactly(mp);
            long next = client.mds(s -> s.allocateS3Chunk(AllocateS3ChunkRequest.newBuilder().setFsId(fsId)
                    .build())).getBeginChunkId();
            assertThat(next).isGreaterThan(lastChunkId);
        }
    }

    private static Process startChild(Path data) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), MdsProcess.class.getName(),
                data.toString()).redirectErrorStream(true).start();
    }

    /** Reads the child's output until it names its port, then keeps draining it in the background. */
    private static int awaitPort(Process child) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("LISTENING ")) {
                        port.complete(Integer.parseInt(line.substring("LISTENING ".length()).trim()));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("MDS process exited before listening"));
        }, "mds-child-output");
        drain.setDaemon(true);
        drain.start();
        return port.get(60, TimeUnit.SECONDS);
    }
}
