package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.client.data.DataConfig;
import io.curvefs.client.data.FsLayout;
import io.curvefs.client.data.MdsChunkIdAllocator;
import io.curvefs.client.data.ObjectDataStore;
import io.curvefs.client.meta.Attr;
import io.curvefs.client.meta.CachingMetaClient;
import io.curvefs.client.meta.RemoteMetaClient;
import io.curvefs.client.vfs.Caller;
import io.curvefs.client.vfs.FsStats;
import io.curvefs.client.vfs.Mode;
import io.curvefs.client.vfs.SetAttr;
import io.curvefs.client.vfs.Vfs;
import io.curvefs.client.vfs.VfsException;
import io.curvefs.mds.MdsConfig;
import io.curvefs.mds.MdsServer;
import io.curvefs.metaserver.MetaServer;
import io.curvefs.metaserver.MetaserverConfig;
import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStoreConfig;
import io.curvefs.objectstore.ObjectStores;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.fs.FsRequests;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metaserver requests each metadata operation costs, counted by the servers' own RPC metrics:
 * an MDS, a metaserver and a VFS over the metadata client and a local-directory object store, all
 * in this process, driven the way an inode-based FUSE binding drives the VFS (a lookup precedes
 * every create, rename and unlink; a rename also invalidates the kernel's attributes of its
 * directory, so the next one starts with a getattr of it). Each workload prints its rate and its
 * requests per operation; the assertions hold the request counts (never times).
 * {@code -Dcurvefs.roundtrips.files=N} makes the runs longer, for measuring.
 */
class MetadataRoundTripsTest {

    private static final int FILES = Integer.getInteger("curvefs.roundtrips.files", 100);
    private static final int SMALL_FILE = 128 << 10;
    private static final int WRITERS = 8;

    @TempDir
    static Path dir;

    private static MdsServer mds;
    private static MetaServer metaserver;
    private static MdsClient mdsClient;
    private static RemoteMetaClient remote;
    private static CachingMetaClient meta;
    private static ObjectStore objects;
    private static ObjectDataStore data;
    private static Vfs vfs;
    private static int fsId;

    @BeforeAll
    static void start() throws Exception {
        mds = MdsServer.start(MdsConfig.defaults(new HostPort("127.0.0.1", 0), dir.resolve("mds")));
        metaserver = MetaServer.start(MetaserverConfig.defaults(new HostPort("127.0.0.1", 0),
                dir.resolve("metaserver"), List.of(mds.address())).withHeartbeatInterval(Duration.ofMillis(200)));
        mdsClient = new MdsClient(List.of(mds.address()), Duration.ofSeconds(10));
        S3Info store = FsRequests.localStore(dir.resolve("objects"), 4 << 20, 64 << 20);
        FsInfo fs = Eventually.get(Duration.ofSeconds(60),
                () -> FsRequests.send(mdsClient, FsRequests.createFs("roundtrips", store, 0)));
        fsId = fs.getFsId();
        remote = RemoteMetaClient.connect(mdsClient, fs.getFsId(), fs.getRootInodeId(),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        meta = new CachingMetaClient(remote, Duration.ofSeconds(60), Duration.ofSeconds(60), 100_000);
        objects = ObjectStores.open(ObjectStoreConfig.of(store.getEndpoint(), store.getBucketname(), "", ""));
        data = new ObjectDataStore(new FsLayout(fs.getFsId(), store.getBlockSize(), store.getChunkSize()), objects,
                remote.chunkInfoStore(), new MdsChunkIdAllocator(mdsClient, fs.getFsId()), DataConfig.defaults());
        vfs = new Vfs(meta, data, () -> new FsStats(4096, 1L << 40, 0, 1L << 30, 0));
    }

    @AfterAll
    static void stop() throws Exception {
        Exception failure = null;
        for (AutoCloseable c : new AutoCloseable[] {data, objects, meta, mdsClient, metaserver, mds}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void eachOperationCostsFewMetaserverRequests() throws Exception {
        long dirIno = vfs.mkdir(vfs.rootIno(), "d", 0755, Caller.ROOT).ino();

        Map<String, Double> create = measure("create empty file", FILES, () -> {
            for (int i = 0; i < FILES; i++) {
                String name = "f" + i;
                lookupMissing(dirIno, name);
                long h = vfs.create(dirIno, name, 0644, Mode.O_CREAT | Mode.O_WRONLY, Caller.ROOT).handle();
                vfs.flush(h);
                vfs.release(h);
            }
        });
        Map<String, Double> setattr = measure("utimens + chmod", FILES, () -> {
            for (int i = 0; i < FILES; i++) {
                long ino = vfs.lookup(dirIno, "f" + i).ino();
                vfs.setattr(ino, SetAttr.times(1_000_000_000L * i, 1_000_000_000L * i));
                vfs.setattr(ino, SetAttr.chmod(0600));
            }
        });
        Vfs coldMount = new Vfs(new CachingMetaClient(remote, Duration.ofSeconds(60), Duration.ofSeconds(60),
                100_000), data, () -> new FsStats(4096, 1L << 40, 0, 1L << 30, 0));
        Map<String, Double> coldStat = measure("stat, cold cache", FILES, () -> {
            for (int i = 0; i < FILES; i++) {
                long ino = coldMount.lookup(dirIno, "f" + i).ino();
                coldMount.getattr(ino);
            }
        });
        Map<String, Double> rename = measure("rename", FILES, () -> {
            for (int i = 0; i < FILES; i++) {
                vfs.getattr(dirIno);
                vfs.lookup(dirIno, "f" + i);
                lookupMissing(dirIno, "g" + i);
                vfs.rename(dirIno, "f" + i, dirIno, "g" + i);
            }
        });
        Map<String, Double> unlink = measure("unlink", FILES, () -> {
            for (int i = 0; i < FILES; i++) {
                vfs.lookup(dirIno, "g" + i);
                vfs.unlink(dirIno, "g" + i);
            }
        });
        for (int i = 0; i < FILES; i++) {
            vfs.mkdir(dirIno, "e" + i, 0755, Caller.ROOT);
        }
        Map<String, Double> rmdir = measure("rmdir", FILES, () -> {
            for (int i = 0; i < FILES; i++) {
                vfs.lookup(dirIno, "e" + i);
                vfs.rmdir(dirIno, "e" + i);
            }
        });
        Map<String, Double> smallWrite = measure("small file write (8 threads)", FILES, () -> {
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < WRITERS; t++) {
                    int writer = t;
                    done.add(pool.submit(() -> {
                        byte[] content = new byte[SMALL_FILE];
                        for (int i = writer; i < FILES; i += WRITERS) {
                            String name = "s" + i;
                            lookupMissing(dirIno, name);
                            long h = vfs.create(dirIno, name, 0644, Mode.O_CREAT | Mode.O_WRONLY, Caller.ROOT)
                                    .handle();
                            vfs.write(h, 0, ByteBuffer.wrap(content));
                            vfs.fsync(h);
                            vfs.flush(h);
                            vfs.release(h);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        });
        Map<String, Double> coldRead;
        try (ObjectDataStore coldData = new ObjectDataStore(new FsLayout(fsId, 4 << 20, 64 << 20), objects,
                remote.chunkInfoStore(), new MdsChunkIdAllocator(mdsClient, fsId), DataConfig.defaults())) {
            Vfs coldReader = new Vfs(new CachingMetaClient(remote, Duration.ofSeconds(60), Duration.ofSeconds(60),
                    100_000), coldData, () -> new FsStats(4096, 1L << 40, 0, 1L << 30, 0));
            ByteBuffer buffer = ByteBuffer.allocate(SMALL_FILE);
            coldRead = measure("small file read, cold mount", FILES, () -> {
                for (int i = 0; i < FILES; i++) {
                    long h = coldReader.open(coldReader.lookup(dirIno, "s" + i).ino(), Mode.O_RDONLY);
                    buffer.clear();
                    assertThat(coldReader.read(h, 0, buffer)).isEqualTo(SMALL_FILE);
                    coldReader.flush(h);
                    coldReader.release(h);
                }
            });
        }
        Attr written = vfs.lookup(dirIno, "s0");
        assertThat(written.length()).isEqualTo(SMALL_FILE);
        String objectsOfS0 = fsId + "_" + written.ino() + "_";
        assertThat(objects.list(objectsOfS0)).isNotEmpty();
        vfs.unlink(dirIno, "s0");
        assertThat(objects.list(objectsOfS0)).as("the objects of an unlinked file").isEmpty();
        String objectsOfS2 = fsId + "_" + vfs.lookup(dirIno, "s2").ino() + "_";
        assertThat(objects.list(objectsOfS2)).isNotEmpty();
        vfs.rename(dirIno, "s1", dirIno, "s2");
        assertThat(objects.list(objectsOfS2)).as("the objects of a file a rename replaced").isEmpty();

        assertThat(total(create)).as("requests per create (lookup + CreateInode with its dentry)").isLessThanOrEqualTo(2.1);
        assertThat(total(setattr)).as("requests per utimens + chmod").isLessThanOrEqualTo(2.1);
        assertThat(total(coldStat)).as("requests per cold stat (files live in their directory's partition)")
                .isLessThanOrEqualTo(1.1);
        assertThat(total(unlink)).as("requests per unlink (lookup + DeleteDentry dropping the link)").isLessThanOrEqualTo(2.1);
        assertThat(total(rename)).as("requests per rename (one RenameInPartition, the lookup of the missing target)")
                .isLessThanOrEqualTo(2.1);
        assertThat(total(rmdir)).as("requests per rmdir (emptiness listing + DeleteDentry removing the inode)")
                .isLessThanOrEqualTo(2.1);
        assertThat(total(smallWrite)).as("requests per small file").isLessThanOrEqualTo(3.1);
        assertThat(coldRead).as("a cold open and read: lookup and one GetInode for attributes and chunk lists")
                .doesNotContainKey("BatchGetInodeAttr");
        assertThat(total(coldRead) - coldRead.getOrDefault("UpdateInode", 0.0)).as("requests per cold small read")
                .isLessThanOrEqualTo(2.1);
    }

    private static void lookupMissing(long dirIno, String name) {
        assertThatThrownBy(() -> vfs.lookup(dirIno, name)).isInstanceOf(VfsException.class);
    }

    private interface Workload {
        void run() throws Exception;
    }

    /** Runs the workload; prints and returns its metaserver and MDS requests per operation. */
    private static Map<String, Double> measure(String name, int ops, Workload workload) throws Exception {
        Map<String, Long> before = requests();
        Map<String, Double> secondsBefore = serverSeconds();
        long start = System.nanoTime();
        workload.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> after = requests();
        Map<String, Double> secondsAfter = serverSeconds();
        Map<String, Double> perOp = new TreeMap<>();
        Map<String, String> latency = new TreeMap<>();
        after.forEach((method, count) -> {
            long delta = count - before.getOrDefault(method, 0L);
            if (delta > 0 && !method.contains("Heartbeat") && !method.startsWith("RefreshSession")) {
                perOp.put(method, (double) delta / ops);
                double spent = secondsAfter.getOrDefault(method, 0.0) - secondsBefore.getOrDefault(method, 0.0);
                latency.put(method, String.format("%.2f ms", spent * 1000 / delta));
            }
        });
        System.out.printf("round trips: %-30s %8.0f ops/s  %5.2f requests/op  %s%n", name, ops / seconds,
                total(perOp), perOp);
        System.out.printf("round trips: %-30s server time per request %s%n", name, latency);
        return perOp;
    }

    private static double total(Map<String, Double> perOp) {
        return perOp.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Seconds the servers spent answering, by method. */
    private static Map<String, Double> serverSeconds() {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSnapshot snapshot : PrometheusRegistry.defaultRegistry.scrape()) {
            if (snapshot instanceof HistogramSnapshot histogram
                    && histogram.getMetadata().getName().equals("curvefs_rpc_server_duration_seconds")) {
                for (HistogramSnapshot.HistogramDataPointSnapshot p : histogram.getDataPoints()) {
                    out.merge(p.getLabels().get("method"), p.getSum(), Double::sum);
                }
            }
        }
        return out;
    }

    /** Answered RPCs by method, from this process's gRPC servers (the MDS's and the metaserver's). */
    private static Map<String, Long> requests() {
        Map<String, Long> out = new TreeMap<>();
        for (MetricSnapshot snapshot : PrometheusRegistry.defaultRegistry.scrape()) {
            if (snapshot instanceof CounterSnapshot counter
                    && counter.getMetadata().getName().equals("curvefs_rpc_server_requests")) {
                for (CounterSnapshot.CounterDataPointSnapshot p : counter.getDataPoints()) {
                    out.merge(p.getLabels().get("method"), (long) p.getValue(), Long::sum);
                }
            }
        }
        return out;
    }
}
