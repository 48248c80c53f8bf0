package io.curvefs.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.curvefs.client.vfs.FsStats;
import io.curvefs.client.vfs.InMemoryDataStore;
import io.curvefs.client.vfs.InMemoryMetaClient;
import io.curvefs.client.vfs.Vfs;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a FUSE binding, through a real kernel mount over in-memory metadata and data
 * (runs as root with /dev/fuse); each binding runs it (see the subclasses). One mount serves all
 * tests; each test uses its own names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FuseMountTest {

    private Path dir;
    private FuseMount mount;
    private Path root;
    private InMemoryDataStore data;

    /** The options that choose the binding under test. */
    abstract FuseOptions options();

    @BeforeAll
    void mount(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        assumeTrue(Files.isWritable(Path.of("/dev/fuse")), "needs /dev/fuse");
        root = Files.createDirectory(dir.resolve("mnt"));
        data = new InMemoryDataStore();
        Vfs vfs = new Vfs(new InMemoryMetaClient(), data,
                () -> new FsStats(4096, 1L << 40, 1L << 30, 1 << 20, 10));
        mount = FuseMount.mount(vfs, root, options());
    }

    @AfterAll
    void unmount() throws InterruptedException {
        if (mount != null) {
            mount.close();
            assertThat(mount.awaitUnmounted(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anUnchangedFileKeepsItsPageCacheAcrossOpensAndAChangedOneDoesNot() throws IOException {
        Path f = Files.write(root.resolve("kept.bin"), new byte[256 << 10]);
        Process stat = new ProcessBuilder("stat", "-c", "%o", f.toString()).redirectErrorStream(true).start();
        assertThat(new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .as("st_blksize").isEqualTo(String.valueOf(1 << 20));
        Files.readAllBytes(f);
        data.unchangedOnOpen = true;
        try {
            int before = data.reads.get();
            Files.readAllBytes(f);
            Files.readAllBytes(f);
            assertThat(data.reads.get()).as("reads reaching the daemon with keep_cache").isEqualTo(before);
        } finally {
            data.unchangedOnOpen = false;
        }
        int before = data.reads.get();
        Files.readAllBytes(f);
        assertThat(data.reads.get()).as("reads reaching the daemon after a change").isGreaterThan(before);
    }

    @Test
    void filesDirectoriesAndLinksBehaveThroughTheKernel() throws IOException {
        Path base = Files.createDirectory(root.resolve("links"));
        Path d = Files.createDirectory(base.resolve("d"));
        Path f = d.resolve("f.txt");
        Files.writeString(f, "hello");
        Files.writeString(f, " world", StandardOpenOption.APPEND);
        assertThat(Files.readString(f)).isEqualTo("hello world");
        assertThat(Files.size(f)).isEqualTo(11);

        Path link = base.resolve("hard");
        Files.createLink(link, f);
        assertThat(Files.getAttribute(f, "unix:nlink")).isEqualTo(2);
        assertThat(Files.getAttribute(link, "unix:ino")).isEqualTo(Files.getAttribute(f, "unix:ino"));
        Files.writeString(link, "changed");
        assertThat(Files.readString(f)).isEqualTo("changed");

        Path utf8 = Files.writeString(base.resolve("é文件"), "ü");
        assertThat(Files.readString(utf8)).isEqualTo("ü");
        Files.delete(utf8);

        Path sym = base.resolve("sym");
        Files.createSymbolicLink(sym, Path.of("d/f.txt"));
        assertThat(Files.readSymbolicLink(sym)).isEqualTo(Path.of("d/f.txt"));
        assertThat(Files.readString(sym)).isEqualTo("changed");

        Files.move(f, base.resolve("moved"));
        assertThat(Files.exists(f)).isFalse();
        try (Stream<Path> names = Files.list(base)) {
            assertThat(names.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("d", "hard", "sym", "moved");
        }
        Files.writeString(d.resolve("x"), "x");
        assertThatThrownBy(() -> Files.delete(d)).isInstanceOf(DirectoryNotEmptyException.class);
        Files.delete(d.resolve("x"));
        Files.delete(d);
        assertThatThrownBy(() -> Files.size(d)).isInstanceOf(NoSuchFileException.class);

        Files.setPosixFilePermissions(link, PosixFilePermissions.fromString("rwx------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(link))).isEqualTo("rwx------");
    }

    @Test
    void xattrsAndStatfs() throws IOException {
        Path f = Files.writeString(root.resolve("f"), "");
        UserDefinedFileAttributeView view = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
        view.write("color", StandardCharsets.UTF_8.encode("blue"));
        assertThat(view.list()).containsExactly("color");
        ByteBuffer value = ByteBuffer.allocate(view.size("color"));
        view.read("color", value);
        assertThat(new String(value.array(), StandardCharsets.UTF_8)).isEqualTo("blue");
        view.delete("color");
        assertThat(view.list()).isEmpty();

        FileStore store = Files.getFileStore(root);
        assertThat(store.getTotalSpace()).isEqualTo(1L << 40);
        assertThat(store.getUsableSpace()).isEqualTo((1L << 40) - (1L << 30));
    }

    @Test
    void anUnmountFromOutsideEndsTheMount() throws Exception {
        Path point = Files.createDirectory(dir.resolve("external"));
        FuseMount other = FuseMount.mount(new Vfs(new InMemoryMetaClient(), new InMemoryDataStore(),
                () -> new FsStats(4096, 1L << 30, 0, 1 << 20, 1)), point, options());
        try {
            Process umount = new ProcessBuilder("fusermount", "-u", point.toString()).inheritIO().start();
            assertThat(umount.waitFor()).isZero();
            assertThat(other.awaitUnmounted(10, TimeUnit.SECONDS)).isTrue();
            assertThat(other.isMounted()).isFalse();
        } finally {
            other.close();
        }
    }

    @Test
    void largeWritesRoundTrip() throws IOException {
        byte[] data = new byte[3 * FuseOptions.MAX_IO + 12345];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Path f = Files.write(root.resolve("big"), data);
        assertThat(Files.readAllBytes(f)).isEqualTo(data);
        assertThat(List.of(Files.size(f))).containsExactly((long) data.length);
    }

    @Test
    void accessLogStreamsOneLinePerOperationAndIsNotListed() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader log = Files.newBufferedReader(root.resolve(".accesslog"))) {
            Files.createDirectory(root.resolve("seen"));
            Files.writeString(root.resolve("seen/f"), "abc");
            assertThat(Files.exists(root.resolve("seen/nothing"))).isFalse();
            String missing = ".* (lookup \\(\\d+,nothing\\)|getattr \\(/seen/nothing\\)): ENOENT <.*";
            while (lines.stream().noneMatch(l -> l.matches(missing))) {
                String line = log.readLine();
                if (!line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        assertThat(lines).anyMatch(l -> l.matches("^\\d{4}\\.\\d\\d\\.\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} "
                + "\\[uid:0,gid:0,pid:\\d+\\] mkdir \\((1,seen|/seen)\\): OK <\\d+\\.\\d{6}>$"));
        assertThat(lines).anyMatch(l -> l.matches(".* write \\((\\d+|/seen/f)\\): OK \\(3\\) <.*"));
        try (Stream<Path> names = Files.list(root)) {
            assertThat(names.map(p -> p.getFileName().toString())).contains("seen")
                    .doesNotContain(".accesslog", ".stats");
        }
        assertThat(Files.isRegularFile(root.resolve(".accesslog"))).isTrue();
    }

    @Test
    void statsShowTheCurrentCounters() throws IOException {
        Files.writeString(root.resolve("counted"), "x");
        String stats = Files.readString(root.resolve(".stats"));
        assertThat(stats).contains("curvefs_fuse_ops_total{op=\"create\",result=\"ok\"} ")
                .contains("curvefs_fuse_op_duration_seconds_count{op=\"write\"} ").doesNotContain("jvm_");
    }
}
