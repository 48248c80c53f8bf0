package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.proto.mds.GetFsInfoRequest;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rename and nlink under concurrency from two mounts of one file system. Each test runs one
 * worker per mount at the same time, accepts only the errnos a lost race may give (ENOENT,
 * EEXIST), and checks the result in the metaservers themselves (no client cache in the way):
 * every name exactly once, every nlink exact, replaced inodes gone.
 */
class TwoMountsRenameTest {

    private static final Duration CACHES_EXPIRED = Duration.ofSeconds(30);

    private static Cluster cluster;
    private static Cluster.Mount first;
    private static Cluster.Mount second;
    private static MdsClient mds;
    private static MetaApi meta;
    private static ExecutorService workers;

    @BeforeAll
    static void mountTwice() throws Exception {
        cluster = Cluster.start("rename-fs");
        first = cluster.mount("first");
        second = cluster.mount("second");
        mds = new MdsClient(List.of(HostPort.parse(cluster.mdsAddress())), Duration.ofSeconds(30));
        int fsId = mds.mds(s -> s.getFsInfo(GetFsInfoRequest.newBuilder().setFsName(cluster.fsName).build()))
                .getFsInfo().getFsId();
        meta = new MetaApi(mds, fsId);
        workers = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
            workers.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (meta != null) {
            meta.close();
        }
        if (mds != null) {
            mds.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentRenamesFromBothMountsKeepEveryFileExactlyOnce() throws Exception {
        Path top = Files.createDirectories(first.point.resolve("shuffle"));
        List<String> dirs = List.of("d0", "d1", "d2");
        for (String d : dirs) {
            Files.createDirectory(top.resolve(d));
        }
        int files = 16;
        Map<String, Long> inodes = new HashMap<>();
        for (int i = 0; i < files; i++) {
            Path file = top.resolve("d0/f" + i);
            Files.writeString(file, "content of f" + i);
            inodes.put("f" + i, ino(file));
        }

        both(mount -> {
            Random random = new Random(mount == first ? 1 : 2);
            for (int step = 0; step < 40; step++) {
                String name = "f" + random.nextInt(files);
                int from = random.nextInt(3);
                int to = (from + 1 + random.nextInt(2)) % 3;
                Path base = mount.point.resolve("shuffle");
                String result = Syscalls.rename(base.resolve(dirs.get(from)).resolve(name),
                        base.resolve(dirs.get(to)).resolve(name));
                assertThat(result).as("rename of " + name).isIn(Syscalls.OK, "ENOENT");
            }
        });

        Map<String, Long> found = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        for (String d : dirs) {
            long dirIno = ino(top.resolve(d));
            assertThat(meta.inode(dirIno).getNlink()).as("nlink of " + d).isEqualTo(2);
            for (Dentry e : meta.list(dirIno, 100)) {
                assertThat(found.put(e.getName(), e.getInodeId())).as(e.getName() + " named twice").isNull();
                where.put(e.getName(), d);
            }
        }
        assertThat(found).isEqualTo(inodes);
        for (long ino : inodes.values()) {
            assertThat(meta.inode(ino).getNlink()).isEqualTo(1);
        }
        for (String name : inodes.keySet()) {
            Path onSecond = second.point.resolve("shuffle").resolve(where.get(name)).resolve(name);
            Eventually.until(CACHES_EXPIRED, () -> Files.exists(onSecond));
            assertThat(Files.readString(onSecond)).isEqualTo("content of " + name);
        }
    }

    @Test
    void directoryRenamesBetweenPartitionsFromBothMounts() throws Exception {
        Path[] parents = twoParentsInDifferentPartitions(first.point);
        String pa = parents[0].getFileName().toString();
        String pb = parents[1].getFileName().toString();
        Files.createDirectory(parents[0].resolve("sub"));
        Files.writeString(parents[0].resolve("sub/inner.txt"), "inner");
        long sub = ino(parents[0].resolve("sub"));

        both(mount -> {
            boolean forth = mount == first;
            Path base = mount.point;
            for (int step = 0; step < 25; step++) {
                Path from = base.resolve(forth ? pa : pb).resolve("sub");
                Path to = base.resolve(forth ? pb : pa).resolve("sub");
                // ENOENT: the other mount moved it first. ESTALE: the kernel's own answer when its cached
                // dentry of "sub" sits under the other parent (moved there by the other mount) while this
                // mount's cross-directory rename holds the rename lock, which d_splice_alias needs to move
                // the alias; it retries once with revalidation, then reports ESTALE, as on NFS.
                assertThat(Syscalls.rename(from, to)).isIn(Syscalls.OK, "ENOENT", "ESTALE");
                forth = !forth;
            }
        });

        long inA = namesOf(ino(parents[0])).stream().filter("sub"::equals).count();
        long inB = namesOf(ino(parents[1])).stream().filter("sub"::equals).count();
        assertThat(inA + inB).as("sub exactly once").isEqualTo(1);
        String holder = inA == 1 ? pa : pb;
        assertThat(meta.inode(ino(parents[0])).getNlink()).isEqualTo(inA == 1 ? 3 : 2);
        assertThat(meta.inode(ino(parents[1])).getNlink()).isEqualTo(inB == 1 ? 3 : 2);
        assertThat(meta.inode(sub).getNlink()).isEqualTo(2);
        Path onSecond = second.point.resolve(holder).resolve("sub/inner.txt");
        Eventually.until(CACHES_EXPIRED, () -> Files.exists(onSecond));
        assertThat(Files.readString(onSecond)).isEqualTo("inner");

        // An overwriting rename between the partitions releases the replaced file.
        Files.writeString(parents[0].resolve("x"), "new");
        Files.writeString(parents[1].resolve("y"), "old");
        long x = ino(parents[0].resolve("x"));
        long y = ino(parents[1].resolve("y"));
        Path secondTop = second.point;
        Eventually.until(CACHES_EXPIRED, () -> Files.exists(secondTop.resolve(pa).resolve("x")));
        assertThat(Syscalls.rename(secondTop.resolve(pa).resolve("x"), secondTop.resolve(pb).resolve("y")))
                .isEqualTo(Syscalls.OK);
        assertThat(namesOf(ino(parents[0]))).doesNotContain("x");
        assertThat(meta.list(ino(parents[1]), 100)).filteredOn(d -> d.getName().equals("y"))
                .singleElement().extracting(Dentry::getInodeId).isEqualTo(x);
        assertThat(meta.inode(x).getNlink()).isEqualTo(1);
        assertThatThrownBy(() -> meta.inode(y)).hasMessageContaining("NOT_FOUND");
        Eventually.until(CACHES_EXPIRED, () -> "new".equals(readOrNull(parents[1].resolve("y"))));
    }

    @Test
    void linksAndUnlinksFromBothMountsKeepNlinkExact() throws Exception {
        Path top = Files.createDirectories(first.point.resolve("links"));
        Files.writeString(top.resolve("base"), "data");
        long base = ino(top.resolve("base"));
        Eventually.until(CACHES_EXPIRED, () -> Files.exists(second.point.resolve("links/base")));
        int perMount = 12;

        both(mount -> {
            Path dir = mount.point.resolve("links");
            String prefix = mount == first ? "la" : "lb";
            for (int i = 0; i < perMount; i++) {
                assertThat(Syscalls.link(dir.resolve("base"), dir.resolve(prefix + i))).isEqualTo(Syscalls.OK);
            }
        });
        assertThat(meta.inode(base).getNlink()).isEqualTo(1 + 2 * perMount);

        // Each mount removes the other's links, and both race for the same shared names.
        for (int i = 0; i < perMount; i++) {
            Files.createLink(top.resolve("shared" + i), top.resolve("base"));
        }
        both(mount -> {
            Path dir = mount.point.resolve("links");
            String theirs = mount == first ? "lb" : "la";
            for (int i = 0; i < perMount; i++) {
                assertThat(Syscalls.unlink(dir.resolve(theirs + i))).isEqualTo(Syscalls.OK);
                assertThat(Syscalls.unlink(dir.resolve("shared" + i))).isIn(Syscalls.OK, "ENOENT");
            }
        });
        assertThat(namesOf(ino(top))).containsExactly("base");
        assertThat(meta.inode(base).getNlink()).isEqualTo(1);
        assertThat(Files.readString(top.resolve("base"))).isEqualTo("data");

        assertThat(Syscalls.unlink(second.point.resolve("links/base"))).isEqualTo(Syscalls.OK);
        assertThatThrownBy(() -> meta.inode(base)).hasMessageContaining("NOT_FOUND");
    }

    /**
     * Directories in the mount's root until two have inode ids in different partitions: only the
     * root's directories spread over partitions, every other inode lives with its parent.
     */
    private static Path[] twoParentsInDifferentPartitions(Path root) throws Exception {
        Map<Integer, Path> byPartition = new HashMap<>();
        for (int i = 0; i < 40 && byPartition.size() < 2; i++) {
            Path dir = Files.createDirectory(root.resolve("cross-p" + i));
            byPartition.putIfAbsent(meta.partitionOf(ino(dir)).getPartitionId(), dir);
        }
        assertThat(byPartition).as("directories spread over partitions").hasSize(2);
        return byPartition.values().toArray(Path[]::new);
    }

    private static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> namesOf(long dir) {
        return meta.list(dir, 100).stream().map(Dentry::getName).toList();
    }

    private static long ino(Path p) throws Exception {
        return Stat.of(p).ino();
    }

    private interface MountWork {
        void run(Cluster.Mount mount) throws Exception;
    }

    /** Runs {@code work} on both mounts at once and fails with the first failure of either. */
    private static void both(MountWork work) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (Cluster.Mount mount : Set.of(first, second)) {
            running.add(workers.submit(() -> {
                work.run(mount);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
    }
}
