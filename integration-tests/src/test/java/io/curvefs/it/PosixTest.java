package io.curvefs.it;

import static io.curvefs.it.Syscalls.AT_FDCWD;
import static io.curvefs.it.Syscalls.C;
import static io.curvefs.it.Syscalls.FALLOC_FL_KEEP_SIZE;
import static io.curvefs.it.Syscalls.FALLOC_FL_PUNCH_HOLE;
import static io.curvefs.it.Syscalls.FALLOC_FL_ZERO_RANGE;
import static io.curvefs.it.Syscalls.OK;
import static io.curvefs.it.Syscalls.O_APPEND;
import static io.curvefs.it.Syscalls.O_CREAT;
import static io.curvefs.it.Syscalls.O_EXCL;
import static io.curvefs.it.Syscalls.O_RDONLY;
import static io.curvefs.it.Syscalls.O_RDWR;
import static io.curvefs.it.Syscalls.O_TRUNC;
import static io.curvefs.it.Syscalls.O_WRONLY;
import static io.curvefs.it.Syscalls.UTIME_NOW;
import static io.curvefs.it.Syscalls.UTIME_OMIT;
import static io.curvefs.it.Syscalls.XATTR_CREATE;
import static io.curvefs.it.Syscalls.XATTR_REPLACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.curvefs.objectstore.ObjectInfo;
import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStores;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * POSIX semantics of a real mount, grouped by system call in the manner of pjdfstest. Every case
 * checks the errno of the call and the state it leaves behind. One cluster and one mount serve
 * all groups; each test works in a fresh directory of its own.
 */
class PosixTest {

    private static final String LONG_NAME = "n".repeat(256);
    private static final AtomicInteger TEST_DIRS = new AtomicInteger();

    private static Cluster cluster;
    private static Cluster.Mount mount;
    private static int umask;

    private Path dir;

    @BeforeAll
    static void mountOnce() throws Exception {
        cluster = Cluster.start("posix");
        mount = cluster.mount("posix");
        umask = Syscalls.umask();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void freshDirectory(TestInfo test) throws Exception {
        String name = test.getTestMethod().orElseThrow().getName();
        dir = Files.createDirectory(mount.point.resolve(TEST_DIRS.incrementAndGet() + "-" + name));
    }

    private Path p(String name) {
        return dir.resolve(name);
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(p(name), content);
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p);
    }

    private static Stat stat(Path p) throws Exception {
        return Stat.of(p);
    }

    /**
     * Runs python statements as {@code uid} (and gid {@code uid}) in this test's directory; the
     * process enters the directory before it drops root, so the statements use relative names.
     * {@code t(f, *args)} prints OK or the errno's name of one call. Returns the printed lines.
     */
    private List<String> asUser(int uid, String statements) throws Exception {
        return asUserInGroups(uid, List.of(), statements);
    }

    /** Like {@link #asUser} with supplementary groups. */
    private List<String> asUserInGroups(int uid, List<Integer> groups, String statements) throws Exception {
        String script = String.join("\n",
                "import os, errno",
                "os.chdir(" + pythonString(dir.toString()) + ")",
                "os.setgroups(" + groups + "); os.setgid(" + uid + "); os.setuid(" + uid + ")",
                "def t(f, *a, **k):",
                "    try:",
                "        f(*a, **k); print('OK')",
                "    except OSError as e:",
                "        print(errno.errorcode[e.errno])",
                statements);
        Process process = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.lines().toList();
    }

    /** The data objects in the bucket that belong to inode {@code ino} (names fsId_inode_chunk_block_compaction). */
    private static List<String> objectsOf(long ino) {
        try (ObjectStore store = ObjectStores.open(cluster.s3.config())) {
            return store.list("").stream().map(ObjectInfo::key)
                    .filter(key -> key.split("_").length == 5 && key.split("_")[1].equals(Long.toString(ino)))
                    .toList();
        }
    }

    private static String pythonString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Nested
    class Open {
        @Test
        void missingFileWithoutCreateIsEnoent() {
            assertThat(Syscalls.open(p("none"), O_RDONLY)).isEqualTo("ENOENT");
            assertThat(Files.exists(p("none"))).isFalse();
        }

        @Test
        void createInMissingDirectoryIsEnoent() {
            assertThat(Syscalls.open(p("none/f"), O_CREAT | O_WRONLY)).isEqualTo("ENOENT");
        }

        @Test
        void pathThroughAFileIsEnotdir() throws Exception {
            file("f", "x");
            assertThat(Syscalls.open(p("f/g"), O_RDONLY)).isEqualTo("ENOTDIR");
            assertThat(Syscalls.open(p("f/g"), O_CREAT | O_WRONLY)).isEqualTo("ENOTDIR");
        }

        @Test
        void directoryForWritingIsEisdir() throws Exception {
            Files.createDirectory(p("d"));
            assertThat(Syscalls.open(p("d"), O_WRONLY)).isEqualTo("EISDIR");
            assertThat(Syscalls.open(p("d"), O_RDWR)).isEqualTo("EISDIR");
            assertThat(Syscalls.open(p("d"), O_RDONLY)).isEqualTo(OK);
        }

        @Test
        void nameOf256BytesIsEnametoolong() {
            assertThat(Syscalls.open(p(LONG_NAME), O_CREAT | O_WRONLY)).isEqualTo("ENAMETOOLONG");
            assertThat(Syscalls.open(p(LONG_NAME.substring(1)), O_CREAT | O_WRONLY)).isEqualTo(OK);
            assertThat(Files.exists(p(LONG_NAME.substring(1)))).isTrue();
        }

        @Test
        void exclusiveCreateOfAnExistingNameIsEexistAndLeavesItAlone() throws Exception {
            file("f", "kept");
            Files.createSymbolicLink(p("dangling"), Path.of("nowhere"));
            assertThat(Syscalls.open(p("f"), O_CREAT | O_EXCL | O_WRONLY)).isEqualTo("EEXIST");
            assertThat(Syscalls.open(p("dangling"), O_CREAT | O_EXCL | O_WRONLY)).isEqualTo("EEXIST");
            assertThat(read(p("f"))).isEqualTo("kept");
            assertThat(Files.exists(p("nowhere"))).isFalse();
            assertThat(Syscalls.open(p("new"), O_CREAT | O_EXCL | O_WRONLY, 0640)).isEqualTo(OK);
            assertThat(stat(p("new")).mode()).isEqualTo(Stat.S_IFREG | (0640 & ~umask));
        }

        @Test
        void truncateOnOpenEmptiesTheFile() throws Exception {
            file("f", "some content");
            assertThat(Syscalls.open(p("f"), O_WRONLY | O_TRUNC)).isEqualTo(OK);
            assertThat(stat(p("f")).size()).isZero();
            assertThat(read(p("f"))).isEmpty();
        }

        @Test
        void truncateWithReadOnlyAccessLeavesContent() throws Exception {
            file("f", "abc");
            assertThat(Syscalls.open(p("f"), O_RDONLY | O_CREAT)).isEqualTo(OK);
            assertThat(read(p("f"))).isEqualTo("abc");
        }

        @Test
        void appendWritesAtTheEndWhateverTheOffset() throws Exception {
            file("f", "hello");
            int fd = Syscalls.fd(p("f"), O_WRONLY | O_APPEND);
            try {
                Syscalls.write(fd, " world");
                Syscalls.write(fd, "!");
            } finally {
                Syscalls.close(fd);
            }
            assertThat(read(p("f"))).isEqualTo("hello world!");
        }

        @Test
        void twoDescriptorsSeeEachOthersWrites() throws Exception {
            int writer = Syscalls.fd(p("f"), O_CREAT | O_RDWR);
            int reader = Syscalls.fd(p("f"), O_RDONLY);
            try {
                Syscalls.pwrite(writer, "shared", 0);
                assertThat(new String(Syscalls.pread(reader, 100, 0), StandardCharsets.UTF_8)).isEqualTo("shared");
            } finally {
                Syscalls.close(writer);
                Syscalls.close(reader);
            }
        }
    }

    @Nested
    class Mkdir {
        @Test
        void createsWithModeAndRaisesParentLinkCount() throws Exception {
            assertThat(Syscalls.mkdir(p("d"), 0751)).isEqualTo(OK);
            Stat d = stat(p("d"));
            assertThat(d.mode()).isEqualTo(Stat.S_IFDIR | (0751 & ~umask));
            assertThat(d.nlink()).isEqualTo(2);
            assertThat(stat(dir).nlink()).isEqualTo(3);
            assertThat(Syscalls.mkdir(p("e"), 0755)).isEqualTo(OK);
            assertThat(stat(dir).nlink()).isEqualTo(4);
        }

        @Test
        void existingNameIsEexist() throws Exception {
            Files.createDirectory(p("d"));
            file("f", "x");
            assertThat(Syscalls.mkdir(p("d"), 0755)).isEqualTo("EEXIST");
            assertThat(Syscalls.mkdir(p("f"), 0755)).isEqualTo("EEXIST");
            assertThat(stat(p("f")).type()).isEqualTo(Stat.S_IFREG);
            assertThat(stat(dir).nlink()).isEqualTo(3);
        }

        @Test
        void missingParentIsEnoentAndFileParentIsEnotdir() throws Exception {
            file("f", "x");
            assertThat(Syscalls.mkdir(p("none/d"), 0755)).isEqualTo("ENOENT");
            assertThat(Syscalls.mkdir(p("f/d"), 0755)).isEqualTo("ENOTDIR");
        }

        @Test
        void nameOf256BytesIsEnametoolong() throws Exception {
            assertThat(Syscalls.mkdir(p(LONG_NAME), 0755)).isEqualTo("ENAMETOOLONG");
            assertThat(Syscalls.mkdir(p(LONG_NAME.substring(1)), 0755)).isEqualTo(OK);
            assertThat(stat(dir).nlink()).isEqualTo(3);
        }
    }

    @Nested
    class Rmdir {
        @Test
        void removesAnEmptyDirectoryAndLowersParentLinkCount() throws Exception {
            Files.createDirectory(p("d"));
            assertThat(Syscalls.rmdir(p("d"))).isEqualTo(OK);
            assertThat(Files.exists(p("d"))).isFalse();
            assertThat(stat(dir).nlink()).isEqualTo(2);
        }

        @Test
        void nonEmptyIsEnotempty() throws Exception {
            Files.createDirectories(p("d/sub"));
            Files.createDirectory(p("e"));
            Files.writeString(p("e/f"), "x");
            assertThat(Syscalls.rmdir(p("d"))).isEqualTo("ENOTEMPTY");
            assertThat(Syscalls.rmdir(p("e"))).isEqualTo("ENOTEMPTY");
            assertThat(Files.isDirectory(p("d/sub"))).isTrue();
            assertThat(read(p("e/f"))).isEqualTo("x");
        }

        @Test
        void fileIsEnotdirMissingIsEnoentDotIsEinval() throws Exception {
            file("f", "x");
            Files.createDirectory(p("d"));
            assertThat(Syscalls.rmdir(p("f"))).isEqualTo("ENOTDIR");
            assertThat(Syscalls.rmdir(p("none"))).isEqualTo("ENOENT");
            assertThat(Syscalls.rmdir(p("d/."))).isEqualTo("EINVAL");
            assertThat(Files.exists(p("f"))).isTrue();
            assertThat(Files.isDirectory(p("d"))).isTrue();
        }
    }

    @Nested
    class Unlink {
        @Test
        void removesTheName() throws Exception {
            file("f", "x");
            assertThat(Syscalls.unlink(p("f"))).isEqualTo(OK);
            assertThat(Files.exists(p("f"))).isFalse();
            assertThat(Syscalls.unlink(p("f"))).isEqualTo("ENOENT");
        }

        @Test
        void directoryIsEisdirAndPathThroughFileIsEnotdir() throws Exception {
            Files.createDirectory(p("d"));
            file("f", "x");
            assertThat(Syscalls.unlink(p("d"))).isEqualTo("EISDIR");
            assertThat(Syscalls.unlink(p("f/g"))).isEqualTo("ENOTDIR");
            assertThat(Files.isDirectory(p("d"))).isTrue();
        }

        @Test
        void openFileStaysReadableAndWritableUntilClosed() throws Exception {
            int fd = Syscalls.fd(p("f"), O_CREAT | O_RDWR);
            try {
                Syscalls.pwrite(fd, "before", 0);
                assertThat(Syscalls.unlink(p("f"))).isEqualTo(OK);
                assertThat(Files.exists(p("f"))).isFalse();
                Syscalls.pwrite(fd, " and after", 6);
                assertThat(new String(Syscalls.pread(fd, 100, 0), StandardCharsets.UTF_8))
                        .isEqualTo("before and after");
                assertThat(C.fsync(fd)).isZero();
            } finally {
                Syscalls.close(fd);
            }
            assertThat(Files.exists(p("f"))).isFalse();
            file("f", "new");
            assertThat(read(p("f"))).isEqualTo("new");
        }
    }

    @Nested
    class UnlinkedButOpen {
        @Test
        void fstatShowsNoLinksAndTheCurrentSize() throws Exception {
            assertThat(asUser(0, String.join("\n",
                    "fd = os.open('g', os.O_CREAT | os.O_RDWR)",
                    "os.unlink('g')",
                    "print(os.fstat(fd).st_nlink, os.write(fd, b'abc'), os.fstat(fd).st_size)")))
                    .containsExactly("0 3 3");
        }
    }

    @Nested
    class Rename {
        /**
         * The kernel answers RENAME_NOREPLACE onto an existing name itself (EEXIST). Everything
         * else with flags needs FUSE's RENAME2, which libfuse 2 lacks: the kernel then answers
         * EINVAL (as upstream CurveFS does). Either way both names stay as they were.
         */
        @Test
        void withFlagsIsRefusedAndChangesNothing() throws Exception {
            file("x", "x");
            file("y", "y");
            assertThat(renameat2("x", "y", Syscalls.RENAME_NOREPLACE)).isEqualTo("EEXIST");
            assertThat(renameat2("x", "z", Syscalls.RENAME_NOREPLACE)).isEqualTo("EINVAL");
            assertThat(renameat2("x", "y", Syscalls.RENAME_EXCHANGE)).isEqualTo("EINVAL");
            assertThat(read(p("x"))).isEqualTo("x");
            assertThat(read(p("y"))).isEqualTo("y");
            assertThat(Files.exists(p("z"))).isFalse();
        }

        private String renameat2(String from, String to, int flags) {
            return Syscalls.result(Syscalls.C.renameat2(Syscalls.AT_FDCWD, p(from).toString(),
                    Syscalls.AT_FDCWD, p(to).toString(), flags));
        }

        @Test
        void withinADirectory() throws Exception {
            file("a", "content");
            long ino = stat(p("a")).ino();
            assertThat(Syscalls.rename(p("a"), p("b"))).isEqualTo(OK);
            assertThat(Files.exists(p("a"))).isFalse();
            assertThat(read(p("b"))).isEqualTo("content");
            assertThat(stat(p("b")).ino()).isEqualTo(ino);
        }

        @Test
        void acrossDirectoriesKeepsDirectoryLinkCounts() throws Exception {
            Files.createDirectories(p("from/moved/inner"));
            Files.createDirectory(p("to"));
            Files.writeString(p("from/moved/inner/f"), "deep");
            file("from/plain", "p");
            assertThat(stat(p("from")).nlink()).isEqualTo(3);
            assertThat(stat(p("to")).nlink()).isEqualTo(2);

            assertThat(Syscalls.rename(p("from/moved"), p("to/moved"))).isEqualTo(OK);
            assertThat(Syscalls.rename(p("from/plain"), p("to/plain"))).isEqualTo(OK);
            assertThat(stat(p("from")).nlink()).isEqualTo(2);
            assertThat(stat(p("to")).nlink()).isEqualTo(3);
            assertThat(stat(p("to/moved")).nlink()).isEqualTo(3);
            assertThat(read(p("to/moved/inner/f"))).isEqualTo("deep");
            assertThat(read(p("to/plain"))).isEqualTo("p");
            assertThat(Files.exists(p("from/moved"))).isFalse();
            assertThat(Syscalls.rmdir(p("from"))).isEqualTo(OK);
        }

        @Test
        void replacingAFileDropsOneLinkOfTheReplacedInode() throws Exception {
            file("a", "new");
            file("b", "old");
            Files.createLink(p("b-link"), p("b"));
            assertThat(stat(p("b")).nlink()).isEqualTo(2);
            assertThat(Syscalls.rename(p("a"), p("b"))).isEqualTo(OK);
            assertThat(read(p("b"))).isEqualTo("new");
            assertThat(Files.exists(p("a"))).isFalse();
            assertThat(stat(p("b-link")).nlink()).isEqualTo(1);
            assertThat(read(p("b-link"))).isEqualTo("old");
        }

        @Test
        void replacingAnEmptyDirectory() throws Exception {
            Files.createDirectory(p("src"));
            Files.writeString(p("src/f"), "x");
            Files.createDirectory(p("dst"));
            assertThat(stat(dir).nlink()).isEqualTo(4);
            assertThat(Syscalls.rename(p("src"), p("dst"))).isEqualTo(OK);
            assertThat(read(p("dst/f"))).isEqualTo("x");
            assertThat(Files.exists(p("src"))).isFalse();
            assertThat(stat(dir).nlink()).isEqualTo(3);
        }

        @Test
        void typeMismatchesAndNonEmptyTargets() throws Exception {
            Files.createDirectories(p("d/sub"));
            Files.createDirectory(p("e"));
            file("f", "x");
            assertThat(Syscalls.rename(p("f"), p("e"))).isEqualTo("EISDIR");
            assertThat(Syscalls.rename(p("e"), p("f"))).isEqualTo("ENOTDIR");
            assertThat(Syscalls.rename(p("e"), p("d"))).isEqualTo("ENOTEMPTY");
            assertThat(Syscalls.rename(p("none"), p("g"))).isEqualTo("ENOENT");
            assertThat(Syscalls.rename(p("f"), p("none/g"))).isEqualTo("ENOENT");
            assertThat(Syscalls.rename(p("f"), p(LONG_NAME))).isEqualTo("ENAMETOOLONG");
            assertThat(read(p("f"))).isEqualTo("x");
            assertThat(Files.isDirectory(p("d/sub"))).isTrue();
            assertThat(Files.isDirectory(p("e"))).isTrue();
        }

        @Test
        void directoryIntoItsOwnSubtreeIsEinval() throws Exception {
            Files.createDirectories(p("d/sub/deeper"));
            assertThat(Syscalls.rename(p("d"), p("d/sub/deeper/d"))).isEqualTo("EINVAL");
            assertThat(Syscalls.rename(p("d"), p("d/x"))).isEqualTo("EINVAL");
            assertThat(Files.isDirectory(p("d/sub/deeper"))).isTrue();
        }

        @Test
        void twoNamesOfOneInodeStayBoth() throws Exception {
            file("a", "x");
            Files.createLink(p("b"), p("a"));
            assertThat(Syscalls.rename(p("a"), p("b"))).isEqualTo(OK);
            assertThat(Files.exists(p("a"))).isTrue();
            assertThat(stat(p("b")).nlink()).isEqualTo(2);
        }
    }

    @Nested
    class Link {
        @Test
        void bothNamesShareOneInode() throws Exception {
            file("a", "first");
            assertThat(Syscalls.link(p("a"), p("b"))).isEqualTo(OK);
            assertThat(stat(p("a")).nlink()).isEqualTo(2);
            assertThat(stat(p("b")).nlink()).isEqualTo(2);
            assertThat(stat(p("b")).ino()).isEqualTo(stat(p("a")).ino());

            Files.writeString(p("b"), "written through b");
            assertThat(read(p("a"))).isEqualTo("written through b");
            assertThat(stat(p("a")).size()).isEqualTo("written through b".length());

            assertThat(Syscalls.unlink(p("a"))).isEqualTo(OK);
            assertThat(stat(p("b")).nlink()).isEqualTo(1);
            assertThat(read(p("b"))).isEqualTo("written through b");
        }

        @Test
        void acrossDirectories() throws Exception {
            Files.createDirectory(p("d"));
            file("a", "x");
            assertThat(Syscalls.link(p("a"), p("d/a"))).isEqualTo(OK);
            assertThat(Syscalls.unlink(p("a"))).isEqualTo(OK);
            assertThat(read(p("d/a"))).isEqualTo("x");
            assertThat(stat(p("d/a")).nlink()).isEqualTo(1);
        }

        @Test
        void errors() throws Exception {
            file("a", "x");
            file("b", "y");
            Files.createDirectory(p("d"));
            assertThat(Syscalls.link(p("a"), p("b"))).isEqualTo("EEXIST");
            assertThat(Syscalls.link(p("none"), p("c"))).isEqualTo("ENOENT");
            assertThat(Syscalls.link(p("d"), p("e"))).isEqualTo("EPERM");
            assertThat(Syscalls.link(p("a"), p("none/c"))).isEqualTo("ENOENT");
            assertThat(stat(p("a")).nlink()).isEqualTo(1);
            assertThat(read(p("b"))).isEqualTo("y");
        }
    }

    @Nested
    class Symlink {
        @Test
        void readlinkGivesTheTargetAndLstatTheLink() throws Exception {
            file("target", "x");
            assertThat(Syscalls.symlink("target", p("link"))).isEqualTo(OK);
            assertThat(Syscalls.readlink(p("link"))).isEqualTo("target");
            Stat link = stat(p("link"));
            assertThat(link.type()).isEqualTo(Stat.S_IFLNK);
            assertThat(link.size()).isEqualTo("target".length());
            assertThat(read(p("link"))).isEqualTo("x");
        }

        @Test
        void danglingAndErrors() throws Exception {
            file("f", "x");
            assertThat(Syscalls.symlink("../nowhere/at/all", p("dangling"))).isEqualTo(OK);
            assertThat(Syscalls.readlink(p("dangling"))).isEqualTo("../nowhere/at/all");
            assertThat(Syscalls.open(p("dangling"), O_RDONLY)).isEqualTo("ENOENT");
            assertThat(Syscalls.symlink("t", p("f"))).isEqualTo("EEXIST");
            assertThat(Syscalls.readlink(p("f"))).isEqualTo("!EINVAL");
            assertThat(Syscalls.symlink("t", p(LONG_NAME))).isEqualTo("ENAMETOOLONG");
            assertThat(read(p("f"))).isEqualTo("x");
        }
    }

    @Nested
    class Chmod {
        @Test
        void setsPermissionBitsAndKeepsTheType() throws Exception {
            file("f", "x");
            Files.createDirectory(p("d"));
            assertThat(Syscalls.chmod(p("f"), 04751)).isEqualTo(OK);
            assertThat(Syscalls.chmod(p("d"), 01700)).isEqualTo(OK);
            assertThat(stat(p("f")).mode()).isEqualTo(Stat.S_IFREG | 04751);
            assertThat(stat(p("d")).mode()).isEqualTo(Stat.S_IFDIR | 01700);
            assertThat(Syscalls.chmod(p("none"), 0644)).isEqualTo("ENOENT");
        }
    }

    @Nested
    class Chown {
        @Test
        void rootGivesFilesAwayAndMinusOneKeepsAnId() throws Exception {
            file("f", "x");
            assertThat(Syscalls.chown(p("f"), 1234, 5678)).isEqualTo(OK);
            assertThat(stat(p("f")).uid()).isEqualTo(1234);
            assertThat(stat(p("f")).gid()).isEqualTo(5678);
            assertThat(Syscalls.chown(p("f"), -1, 42)).isEqualTo(OK);
            assertThat(stat(p("f")).uid()).isEqualTo(1234);
            assertThat(stat(p("f")).gid()).isEqualTo(42);
            assertThat(Syscalls.chown(p("none"), 1, 1)).isEqualTo("ENOENT");
        }
    }

    @Nested
    class Truncate {
        @Test
        void downKeepsThePrefixAndUpAddsZeros() throws Exception {
            file("f", "0123456789");
            assertThat(Syscalls.truncate(p("f"), 4)).isEqualTo(OK);
            assertThat(read(p("f"))).isEqualTo("0123");
            assertThat(Syscalls.truncate(p("f"), 8)).isEqualTo(OK);
            assertThat(Files.readAllBytes(p("f"))).containsExactly('0', '1', '2', '3', 0, 0, 0, 0);
            assertThat(Syscalls.truncate(p("f"), 0)).isEqualTo(OK);
            assertThat(stat(p("f")).size()).isZero();
        }

        @Test
        void throughAnOpenDescriptorAfterWrites() throws Exception {
            int fd = Syscalls.fd(p("f"), O_CREAT | O_RDWR);
            try {
                Syscalls.pwrite(fd, "abcdefgh", 0);
                assertThat(C.ftruncate(fd, 3)).isZero();
                Syscalls.pwrite(fd, "Z", 5);
                assertThat(Syscalls.pread(fd, 100, 0)).containsExactly('a', 'b', 'c', 0, 0, 'Z');
            } finally {
                Syscalls.close(fd);
            }
            assertThat(Files.readAllBytes(p("f"))).containsExactly('a', 'b', 'c', 0, 0, 'Z');
        }

        @Test
        void errors() throws Exception {
            Files.createDirectory(p("d"));
            file("f", "x");
            assertThat(Syscalls.truncate(p("d"), 0)).isEqualTo("EISDIR");
            assertThat(Syscalls.truncate(p("none"), 0)).isEqualTo("ENOENT");
            assertThat(Syscalls.truncate(p("f"), -1)).isEqualTo("EINVAL");
            assertThat(read(p("f"))).isEqualTo("x");
        }
    }

    @Nested
    class Utimensat {
        @Test
        void explicitTimesKeepNanoseconds() throws Exception {
            file("f", "x");
            assertThat(Syscalls.utimens(p("f"), 1_000_000_000L, 123_456_789, 1_500_000_000L, 987_654_321))
                    .isEqualTo(OK);
            Stat s = stat(p("f"));
            assertThat(s.atime()).isEqualTo(1_000_000_000_123_456_789L);
            assertThat(s.mtime()).isEqualTo(1_500_000_000_987_654_321L);
        }

        @Test
        void omitKeepsAndNowSetsTheCurrentTime() throws Exception {
            file("f", "x");
            Syscalls.utimens(p("f"), 1_000_000_000L, 1, 1_000_000_000L, 2);
            long before = nowNanos();
            assertThat(Syscalls.utimens(p("f"), 0, UTIME_OMIT, 0, UTIME_NOW)).isEqualTo(OK);
            long after = nowNanos();
            Stat s = stat(p("f"));
            assertThat(s.atime()).isEqualTo(1_000_000_000_000_000_001L);
            assertThat(s.mtime()).isBetween(before - 1_000_000_000L, after + 1_000_000_000L);
            assertThat(Syscalls.utimens(p("f"), 0, UTIME_NOW, 0, UTIME_OMIT)).isEqualTo(OK);
            assertThat(stat(p("f")).mtime()).isEqualTo(s.mtime());
            assertThat(stat(p("f")).atime()).isGreaterThan(1_000_000_000_000_000_001L);
        }

        @Test
        void onADirectoryAndAMissingName() throws Exception {
            Files.createDirectory(p("d"));
            assertThat(Syscalls.utimens(p("d"), 7, 7, 8, 8)).isEqualTo(OK);
            assertThat(stat(p("d")).mtime()).isEqualTo(8_000_000_008L);
            assertThat(Syscalls.result(C.utimensat(AT_FDCWD, p("none").toString(), null, 0))).isEqualTo("ENOENT");
        }

        private static long nowNanos() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    }

    @Nested
    class Xattr {
        @Test
        void createReplaceAndRemove() throws Exception {
            file("f", "x");
            assertThat(Syscalls.getxattr(p("f"), "user.color", 100)).isEqualTo("!ENODATA");
            assertThat(Syscalls.setxattr(p("f"), "user.color", "red", XATTR_REPLACE)).isEqualTo("ENODATA");
            assertThat(Syscalls.setxattr(p("f"), "user.color", "red", XATTR_CREATE)).isEqualTo(OK);
            assertThat(Syscalls.setxattr(p("f"), "user.color", "blue", XATTR_CREATE)).isEqualTo("EEXIST");
            assertThat(Syscalls.getxattr(p("f"), "user.color", 100)).isEqualTo("red");
            assertThat(Syscalls.setxattr(p("f"), "user.color", "green", XATTR_REPLACE)).isEqualTo(OK);
            assertThat(Syscalls.setxattr(p("f"), "user.shape", "", 0)).isEqualTo(OK);
            assertThat(Syscalls.getxattr(p("f"), "user.color", 100)).isEqualTo("green");
            assertThat(Syscalls.getxattr(p("f"), "user.shape", 100)).isEmpty();
            assertThat(Syscalls.listxattr(p("f")).split(",")).contains("user.color", "user.shape");
            assertThat(Syscalls.removexattr(p("f"), "user.color")).isEqualTo(OK);
            assertThat(Syscalls.removexattr(p("f"), "user.color")).isEqualTo("ENODATA");
            assertThat(Syscalls.getxattr(p("f"), "user.color", 100)).isEqualTo("!ENODATA");
        }

        @Test
        void sizeProbeAndTooSmallBuffer() throws Exception {
            file("f", "x");
            Syscalls.setxattr(p("f"), "user.long", "0123456789", 0);
            assertThat(Syscalls.getxattr(p("f"), "user.long", 0)).isEqualTo("10");
            assertThat(Syscalls.getxattr(p("f"), "user.long", 4)).isEqualTo("!ERANGE");
            assertThat(Syscalls.getxattr(p("f"), "user.long", 10)).isEqualTo("0123456789");
        }

        @Test
        void onDirectoriesAndThroughHardLinks() throws Exception {
            Files.createDirectory(p("d"));
            file("a", "x");
            Files.createLink(p("b"), p("a"));
            assertThat(Syscalls.setxattr(p("d"), "user.k", "dir", 0)).isEqualTo(OK);
            assertThat(Syscalls.setxattr(p("a"), "user.k", "file", 0)).isEqualTo(OK);
            assertThat(Syscalls.getxattr(p("d"), "user.k", 100)).isEqualTo("dir");
            assertThat(Syscalls.getxattr(p("b"), "user.k", 100)).isEqualTo("file");
        }
    }

    @Nested
    class Mknod {
        @Test
        void fifoHasItsTypeAndMode() throws Exception {
            assertThat(Syscalls.mkfifo(p("pipe"), 0640)).isEqualTo(OK);
            Stat s = stat(p("pipe"));
            assertThat(s.type()).isEqualTo(Stat.S_IFIFO);
            assertThat(s.permissions()).isEqualTo(0640 & ~umask);
            assertThat(Syscalls.mkfifo(p("pipe"), 0640)).isEqualTo("EEXIST");
            assertThat(Syscalls.unlink(p("pipe"))).isEqualTo(OK);
        }
    }

    @Nested
    class LargeOffsets {
        @Test
        void oneByteAtFiveGibIsSparseBelow() throws Exception {
            long fiveGib = 5L << 30;
            int fd = Syscalls.fd(p("sparse"), O_CREAT | O_RDWR);
            try {
                Syscalls.pwrite(fd, new byte[] {42}, fiveGib);
            } finally {
                Syscalls.close(fd);
            }
            assertThat(stat(p("sparse")).size()).isEqualTo(fiveGib + 1);
            fd = Syscalls.fd(p("sparse"), O_RDONLY);
            try {
                assertThat(Syscalls.pread(fd, 16, fiveGib)).containsExactly(42);
                assertThat(Syscalls.pread(fd, 4096, (4L << 30) - 2048)).containsOnly(0).hasSize(4096);
                assertThat(Syscalls.pread(fd, 8, fiveGib - 7)).containsExactly(0, 0, 0, 0, 0, 0, 0, 42);
                assertThat(Syscalls.pread(fd, 8, fiveGib + 1)).isEmpty();
            } finally {
                Syscalls.close(fd);
            }
        }
    }

    @Nested
    class Permissions {
        @Test
        void otherUsersMeetModeBits() throws Exception {
            file("secret", "s");
            Syscalls.chmod(p("secret"), 0600);
            file("public", "p");
            Syscalls.chmod(p("public"), 0644);
            Files.createDirectory(p("open"));
            Syscalls.chmod(p("open"), 0777);
            assertThat(asUser(1000, String.join("\n",
                    "t(os.open, 'secret', os.O_RDONLY)",
                    "t(os.open, 'public', os.O_RDONLY)",
                    "t(os.open, 'public', os.O_WRONLY)",
                    "t(os.open, 'mine', os.O_CREAT | os.O_WRONLY, 0o644)",
                    "t(os.mkdir, 'mine-dir')",
                    "t(os.open, 'open/mine', os.O_CREAT | os.O_WRONLY, 0o644)",
                    "t(os.chmod, 'public', 0o666)",
                    "t(os.chown, 'open/mine', 1001, -1)",
                    "t(os.chmod, 'open/mine', 0o600)")))
                    .containsExactly("EACCES", "OK", "EACCES", "EACCES", "EACCES", "OK", "EPERM", "EPERM", "OK");
            Stat mine = stat(p("open/mine"));
            assertThat(mine.uid()).isEqualTo(1000);
            assertThat(mine.gid()).isEqualTo(1000);
            assertThat(mine.permissions()).isEqualTo(0600);
            assertThat(stat(p("public")).permissions()).isEqualTo(0644);
            assertThat(Files.exists(p("mine"))).isFalse();
        }

        @Test
        void stickyDirectoryProtectsOtherUsersNames() throws Exception {
            Files.createDirectory(p("tmp"));
            Syscalls.chmod(p("tmp"), 01777);
            file("tmp/roots", "r");
            assertThat(asUser(1000, String.join("\n",
                    "t(os.unlink, 'tmp/roots')",
                    "t(os.rename, 'tmp/roots', 'tmp/taken')",
                    "t(os.open, 'tmp/own', os.O_CREAT | os.O_WRONLY, 0o644)",
                    "t(os.rename, 'tmp/own', 'tmp/own2')",
                    "t(os.unlink, 'tmp/own2')")))
                    .containsExactly("EPERM", "EPERM", "OK", "OK", "OK");
            assertThat(read(p("tmp/roots"))).isEqualTo("r");
            assertThat(Files.exists(p("tmp/own2"))).isFalse();
        }

        @Test
        void onlyTheOwnerSetsExplicitTimesWritersMayTouch() throws Exception {
            file("shared", "x");
            Syscalls.chmod(p("shared"), 0666);
            Syscalls.utimens(p("shared"), 5, 0, 5, 0);
            assertThat(asUser(1000, String.join("\n",
                    "t(os.utime, 'shared', ns=(1, 1))",
                    "t(os.utime, 'shared')")))
                    .containsExactly("EPERM", "OK");
            assertThat(stat(p("shared")).mtime()).isGreaterThan(5_000_000_000L);
        }

        @Test
        void setgidDirectoryPassesItsGroupOn() throws Exception {
            Files.createDirectory(p("team"));
            Syscalls.chown(p("team"), 0, 4242);
            Syscalls.chmod(p("team"), 02775);
            Files.createDirectory(p("team/sub"));
            file("team/f", "x");
            assertThat(stat(p("team/sub")).gid()).isEqualTo(4242);
            assertThat(stat(p("team/sub")).permissions() & 02000).isEqualTo(02000);
            assertThat(stat(p("team/f")).gid()).isEqualTo(4242);
        }

        @Test
        void chownClearsSetuid() throws Exception {
            file("tool", "x");
            Syscalls.chmod(p("tool"), 04755);
            assertThat(Syscalls.chown(p("tool"), 1234, -1)).isEqualTo(OK);
            assertThat(stat(p("tool")).permissions()).isEqualTo(0755);
            assertThat(stat(p("tool")).uid()).isEqualTo(1234);
        }
    }

    @Nested
    class Readdir {
        @Test
        void listsEveryNameAcrossPages() throws Exception {
            Files.createDirectory(p("many"));
            for (int i = 0; i < 1030; i++) {
                assertThat(Syscalls.open(p("many/f" + i), O_CREAT | O_WRONLY)).isEqualTo(OK);
            }
            try (var names = Files.list(p("many"))) {
                assertThat(names.map(n -> n.getFileName().toString())).hasSize(1030).doesNotHaveDuplicates()
                        .contains("f0", "f1029");
            }
        }

        @Test
        void entryTypesMatchTheInodes() throws Exception {
            file("f", "x");
            Files.createDirectory(p("d"));
            Files.createSymbolicLink(p("l"), Path.of("f"));
            Syscalls.mkfifo(p("p"), 0644);
            assertThat(Syscalls.direntTypes(dir)).containsExactly(entry(".", 4), entry("..", 4), entry("d", 4),
                    entry("f", 8), entry("l", 10), entry("p", 1));
        }
    }

    @Nested
    class RenameOverOpenFile {
        @Test
        void replacedFileStaysReadableThroughItsDescriptor() throws Exception {
            file("old", "old content");
            file("new", "new content");
            int fd = Syscalls.fd(p("old"), O_RDONLY);
            try {
                assertThat(Syscalls.rename(p("new"), p("old"))).isEqualTo(OK);
                assertThat(new String(Syscalls.pread(fd, 100, 0), StandardCharsets.UTF_8)).isEqualTo("old content");
            } finally {
                Syscalls.close(fd);
            }
            assertThat(read(p("old"))).isEqualTo("new content");
        }
    }

    @Nested
    class Timestamps {
        private static final long OLD = 1_000_000_000_000_000_000L;

        private void makeOld(Path path) {
            assertThat(Syscalls.utimens(path, OLD / 1_000_000_000L, 0, OLD / 1_000_000_000L, 0)).isEqualTo(OK);
        }

        @Test
        void namesAddedOrRemovedChangeTheDirectorysMtimeAndCtime() throws Exception {
            Files.createDirectory(p("d"));
            for (String step : List.of("create", "mkdir", "rename", "unlink", "rmdir")) {
                makeOld(p("d"));
                long ctimeBefore = stat(p("d")).ctime();
                switch (step) {
                    case "create" -> file("d/f", "x");
                    case "mkdir" -> Files.createDirectory(p("d/sub"));
                    case "rename" -> assertThat(Syscalls.rename(p("d/f"), p("d/g"))).isEqualTo(OK);
                    case "unlink" -> assertThat(Syscalls.unlink(p("d/g"))).isEqualTo(OK);
                    default -> assertThat(Syscalls.rmdir(p("d/sub"))).isEqualTo(OK);
                }
                Stat d = stat(p("d"));
                assertThat(d.mtime()).as(step).isGreaterThan(OLD);
                assertThat(d.ctime()).as(step).isGreaterThanOrEqualTo(ctimeBefore);
            }
        }

        @Test
        void writeChangesMtimeChmodOnlyCtimeReadNeither() throws Exception {
            file("f", "x");
            makeOld(p("f"));
            assertThat(Syscalls.chmod(p("f"), 0600)).isEqualTo(OK);
            assertThat(stat(p("f")).mtime()).isEqualTo(OLD);
            assertThat(stat(p("f")).ctime()).isGreaterThan(OLD);
            assertThat(read(p("f"))).isEqualTo("x");
            assertThat(stat(p("f")).mtime()).isEqualTo(OLD);
            Files.writeString(p("f"), "y");
            assertThat(stat(p("f")).mtime()).isGreaterThan(OLD);
        }
    }

    @Nested
    class Names {
        @Test
        void multiByteNamesCountBytesNotCharacters() throws Exception {
            String fits = "\u00e9".repeat(127) + "x";
            String tooLong = "\u00e9".repeat(128);
            assertThat(Syscalls.mkdir(p(fits), 0755)).isEqualTo(OK);
            assertThat(Syscalls.mkdir(p(tooLong), 0755)).isEqualTo("ENAMETOOLONG");
            try (var names = Files.list(dir)) {
                assertThat(names.map(n -> n.getFileName().toString())).containsExactly(fits);
            }
        }

        @Test
        void spacesNewlinesAndQuotesAreOrdinaryCharacters() throws Exception {
            List<String> odd = List.of("a b", "line\nbreak", "quote'\"", "back\\slash", "-dash", "..dots", "tab\there");
            for (String name : odd) {
                file(name, name);
            }
            for (String name : odd) {
                assertThat(read(p(name))).isEqualTo(name);
            }
            try (var names = Files.list(dir)) {
                assertThat(names.map(n -> n.getFileName().toString())).containsExactlyInAnyOrderElementsOf(odd);
            }
        }

        /** Paths reach the daemon decoded from UTF-8, so other bytes cannot be kept; they are refused. */
        @Test
        void namesThatAreNotUtf8AreRefusedRatherThanMerged() throws Exception {
            assertThat(asUser(0, String.join("\n",
                    "t(os.open, b'bad-\\xff', os.O_CREAT | os.O_WRONLY)",
                    "t(os.open, b'bad-\\xfe', os.O_CREAT | os.O_WRONLY)",
                    "t(os.mkdir, b'bad-\\xfe')",
                    "t(os.symlink, b'to-\\xff', 'link')",
                    "print(os.listdir(b'.'))")))
                    .containsExactly("EILSEQ", "EILSEQ", "EILSEQ", "EILSEQ", "[]");
        }

        @Test
        void longSymlinkTargetsAreKept() throws Exception {
            String target = ("segment/").repeat(511) + "end1234";
            assertThat(target.length()).isEqualTo(4095);
            assertThat(Syscalls.symlink(target, p("long"))).isEqualTo(OK);
            assertThat(Syscalls.readlink(p("long"))).isEqualTo(target);
            assertThat(stat(p("long")).size()).isEqualTo(4095);
        }
    }

    @Nested
    class LargeXattrs {
        @Test
        void valuesUpTo64KibAndListSizeProbe() throws Exception {
            file("f", "x");
            String big = "v".repeat(65536);
            assertThat(Syscalls.setxattr(p("f"), "user.big", big, 0)).isEqualTo(OK);
            assertThat(Syscalls.getxattr(p("f"), "user.big", 65536)).isEqualTo(big);
            assertThat(Syscalls.setxattr(p("f"), "user.small", "s", 0)).isEqualTo(OK);
            assertThat(Syscalls.result(C.listxattr(p("f").toString(), null, 0)))
                    .isEqualTo(OK);
            assertThat(C.listxattr(p("f").toString(), null, 0)).isEqualTo("user.big\0user.small\0".length());
            assertThat(Syscalls.result(C.listxattr(p("f").toString(), new byte[4], 4))).isEqualTo("ERANGE");
        }
    }

    @Nested
    class SetuidOnWrite {
        @Test
        void anotherUsersWriteClearsSetuid() throws Exception {
            file("tool", "x");
            Syscalls.chmod(p("tool"), 04777);
            assertThat(asUser(1000, String.join("\n",
                    "fd = os.open('tool', os.O_WRONLY)",
                    "t(os.write, fd, b'y')",
                    "os.close(fd)"))).containsExactly("OK");
            assertThat(stat(p("tool")).permissions()).isEqualTo(0777);
            assertThat(read(p("tool"))).isEqualTo("y");
        }
    }

    @Nested
    class MappedAndExecuted {
        @Test
        void sharedMappingWritesReachTheFile() throws Exception {
            Files.write(p("m"), new byte[8192]);
            try (var channel = FileChannel.open(p("m"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                var map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 8192);
                map.put(4096, (byte) 'M').put(0, (byte) 'm');
                map.force();
            }
            byte[] content = Files.readAllBytes(p("m"));
            assertThat(content).hasSize(8192);
            assertThat(content[0]).isEqualTo((byte) 'm');
            assertThat(content[4096]).isEqualTo((byte) 'M');
        }

        @Test
        void scriptsRunOnlyWithAnExecuteBit() throws Exception {
            file("hello.sh", "#!/bin/sh\necho hello from the mount\n");
            assertThat(asUser(0, String.join("\n",
                    "import subprocess",
                    "t(subprocess.run, ['./hello.sh'])",
                    "os.chmod('hello.sh', 0o755)",
                    "print(subprocess.run(['./hello.sh'], capture_output=True, text=True).stdout.strip())",
                    "print(os.statvfs('.').f_namemax)")))
                    .containsExactly("EACCES", "hello from the mount", "255");
        }
    }

    @Nested
    class TruncateWithBufferedWrites {
        @Test
        void truncateByNameSeesAndCutsWritesNotYetFlushed() throws Exception {
            int fd = Syscalls.fd(p("f"), O_CREAT | O_RDWR);
            try {
                Syscalls.pwrite(fd, "abcdef", 0);
                assertThat(Syscalls.truncate(p("f"), 2)).isEqualTo(OK);
                assertThat(stat(p("f")).size()).isEqualTo(2);
                Syscalls.pwrite(fd, "Z", 4);
                assertThat(Syscalls.pread(fd, 100, 0)).containsExactly('a', 'b', 0, 0, 'Z');
            } finally {
                Syscalls.close(fd);
            }
            assertThat(Files.readAllBytes(p("f"))).containsExactly('a', 'b', 0, 0, 'Z');
        }
    }

    @Nested
    class ReleaseOfData {
        @Test
        void objectsOfAnUnlinkedOpenFileGoAtTheLastClose() throws Exception {
            int fd = Syscalls.fd(p("f"), O_CREAT | O_RDWR);
            long ino;
            try {
                Syscalls.pwrite(fd, new byte[100_000], 0);
                assertThat(C.fsync(fd)).isZero();
                ino = stat(p("f")).ino();
                assertThat(objectsOf(ino)).isNotEmpty();
                assertThat(Syscalls.unlink(p("f"))).isEqualTo(OK);
                Syscalls.pwrite(fd, "more", 100_000);
                assertThat(C.fsync(fd)).isZero();
                assertThat(Syscalls.pread(fd, 4, 100_000)).containsExactly('m', 'o', 'r', 'e');
                assertThat(objectsOf(ino)).isNotEmpty();
            } finally {
                Syscalls.close(fd);
            }
            Eventually.until(Duration.ofSeconds(30), () -> objectsOf(ino).isEmpty());
        }

        @Test
        void objectsGoWithTheLastNameIncludingTruncatedAndOverwrittenData() throws Exception {
            file("f", "x".repeat(50_000));
            Syscalls.truncate(p("f"), 10);
            Files.writeString(p("f"), "y".repeat(20_000));
            Files.createLink(p("g"), p("f"));
            long ino = stat(p("f")).ino();
            assertThat(objectsOf(ino)).hasSizeGreaterThanOrEqualTo(2);
            assertThat(Syscalls.unlink(p("f"))).isEqualTo(OK);
            assertThat(objectsOf(ino)).isNotEmpty();
            assertThat(read(p("g"))).hasSize(20_000);
            assertThat(Syscalls.unlink(p("g"))).isEqualTo(OK);
            assertThat(objectsOf(ino)).isEmpty();
        }

        @Test
        void replacingRenameReleasesTheOldTarget() throws Exception {
            file("old", "o".repeat(10_000));
            file("new", "n");
            long ino = stat(p("old")).ino();
            assertThat(objectsOf(ino)).isNotEmpty();
            assertThat(Syscalls.rename(p("new"), p("old"))).isEqualTo(OK);
            assertThat(objectsOf(ino)).isEmpty();
        }
    }

    @Nested
    class Fallocate {
        /** EOPNOTSUPP, which has the same number (95) as ENOTSUP on Linux and goes by that name here. */
        private static final String EOPNOTSUPP = "ENOTSUP";

        @Test
        void modeZeroExtendsWithZerosAndKeepSizeDoesNot() throws Exception {
            file("f", "abc");
            int fd = Syscalls.fd(p("f"), O_RDWR);
            try {
                assertThat(Syscalls.fallocate(fd, 0, 0, 2)).isEqualTo(OK);
                assertThat(stat(p("f")).size()).isEqualTo(3);
                assertThat(Syscalls.fallocate(fd, 0, 2, 8)).isEqualTo(OK);
                assertThat(stat(p("f")).size()).isEqualTo(10);
                assertThat(Syscalls.fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20)).isEqualTo(OK);
                assertThat(stat(p("f")).size()).isEqualTo(10);
                assertThat(Syscalls.pread(fd, 100, 0)).containsExactly('a', 'b', 'c', 0, 0, 0, 0, 0, 0, 0);
            } finally {
                Syscalls.close(fd);
            }
            assertThat(Files.readAllBytes(p("f"))).hasSize(10);
        }

        @Test
        void otherModesAreEopnotsuppAndBadArgumentsFail() throws Exception {
            file("f", "abcdef");
            int fd = Syscalls.fd(p("f"), O_RDWR);
            int readOnly = Syscalls.fd(p("f"), O_RDONLY);
            try {
                assertThat(Syscalls.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 2))
                        .isEqualTo(EOPNOTSUPP);
                assertThat(Syscalls.fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 2)).isEqualTo(EOPNOTSUPP);
                assertThat(Syscalls.fallocate(fd, 0, 0, 0)).isEqualTo("EINVAL");
                assertThat(Syscalls.fallocate(fd, 0, -1, 10)).isEqualTo("EINVAL");
                assertThat(Syscalls.fallocate(readOnly, 0, 0, 100)).isEqualTo("EBADF");
            } finally {
                Syscalls.close(fd);
                Syscalls.close(readOnly);
            }
            assertThat(read(p("f"))).isEqualTo("abcdef");
        }

        @Test
        void beyondFourGib() throws Exception {
            int fd = Syscalls.fd(p("f"), O_CREAT | O_RDWR);
            try {
                assertThat(Syscalls.fallocate(fd, 0, (5L << 30) - 1, 1)).isEqualTo(OK);
                assertThat(Syscalls.pread(fd, 2, (5L << 30) - 1)).containsExactly(0);
            } finally {
                Syscalls.close(fd);
            }
            assertThat(stat(p("f")).size()).isEqualTo(5L << 30);
        }
    }

    @Nested
    class MknodOfEveryType {
        @Test
        void devicesKeepModeAndRdevAndSocketsBind() throws Exception {
            assertThat(asUser(0, String.join("\n",
                    "import stat, socket",
                    "os.umask(0)",
                    "t(os.mknod, 'chr', stat.S_IFCHR | 0o620, os.makedev(1, 3))",
                    "t(os.mknod, 'blk', stat.S_IFBLK | 0o660, os.makedev(8, 17))",
                    "t(os.mknod, 'sock', stat.S_IFSOCK | 0o700)",
                    "t(os.mknod, 'fifo', stat.S_IFIFO | 0o604)",
                    "t(os.mknod, 'reg', stat.S_IFREG | 0o640)",
                    "t(os.mknod, 'chr', stat.S_IFCHR | 0o620, os.makedev(1, 3))",
                    "for n in ['chr', 'blk', 'sock', 'fifo', 'reg']:",
                    "    s = os.lstat(n)",
                    "    print(n, oct(s.st_mode), os.major(s.st_rdev), os.minor(s.st_rdev), s.st_size)",
                    "server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                    "t(server.bind, 'bound')",
                    "print(stat.S_ISSOCK(os.lstat('bound').st_mode))",
                    "server.close()",
                    "t(os.unlink, 'bound')")))
                    .containsExactly("OK", "OK", "OK", "OK", "OK", "EEXIST",
                            "chr 0o20620 1 3 0", "blk 0o60660 8 17 0", "sock 0o140700 0 0 0",
                            "fifo 0o10604 0 0 0", "reg 0o100640 0 0 0",
                            "OK", "True", "OK");
            assertThat(Syscalls.direntTypes(dir)).containsEntry("chr", 2).containsEntry("blk", 6)
                    .containsEntry("sock", 12).containsEntry("fifo", 1).containsEntry("reg", 8);
        }

        @Test
        void devicesDoNotOpenOnANodevMount() throws Exception {
            assertThat(asUser(0, String.join("\n",
                    "import stat",
                    "os.mknod('null', stat.S_IFCHR | 0o666, os.makedev(1, 3))",
                    "t(os.open, 'null', os.O_RDONLY)")))
                    .containsExactly("EACCES");
        }
    }

    @Nested
    class Atime {
        private static final long OLD_SECONDS = 1_000_000_000L;

        @Test
        void readSetsAtimeOncePerChangeAsRelatime() throws Exception {
            file("f", "x");
            assertThat(Syscalls.utimens(p("f"), OLD_SECONDS, 0, OLD_SECONDS, 0)).isEqualTo(OK);
            assertThat(read(p("f"))).isEqualTo("x");
            Stat afterRead = stat(p("f"));
            assertThat(afterRead.atime()).isGreaterThan(afterRead.ctime());
            assertThat(afterRead.mtime()).isEqualTo(OLD_SECONDS * 1_000_000_000L);
            assertThat(read(p("f"))).isEqualTo("x");
            assertThat(stat(p("f")).atime()).isEqualTo(afterRead.atime());
            Files.writeString(p("f"), "y");
            assertThat(read(p("f"))).isEqualTo("y");
            Stat afterWrite = stat(p("f"));
            assertThat(afterWrite.atime()).isGreaterThan(afterRead.atime()).isGreaterThanOrEqualTo(afterWrite.mtime());
        }

        @Test
        void listingSetsTheDirectorysAtimeAndStatSetsNothing() throws Exception {
            Files.createDirectory(p("d"));
            file("d/f", "x");
            assertThat(Syscalls.utimens(p("d"), OLD_SECONDS, 0, OLD_SECONDS, 0)).isEqualTo(OK);
            assertThat(Syscalls.utimens(p("d/f"), OLD_SECONDS, 0, OLD_SECONDS, 0)).isEqualTo(OK);
            stat(p("d/f"));
            assertThat(stat(p("d/f")).atime()).isEqualTo(OLD_SECONDS * 1_000_000_000L);
            try (var names = Files.list(p("d"))) {
                assertThat(names.count()).isEqualTo(1);
            }
            assertThat(stat(p("d")).atime()).isGreaterThan(OLD_SECONDS * 1_000_000_000L);
            assertThat(stat(p("d/f")).atime()).isEqualTo(OLD_SECONDS * 1_000_000_000L);
        }
    }

    @Nested
    class TimestampsOfEveryCall {
        private static final long OLD = 1_000_000_000_000_000_000L;

        private Stat aged(Path path) throws Exception {
            assertThat(Syscalls.utimens(path, OLD / 1_000_000_000L, 0, OLD / 1_000_000_000L, 0)).isEqualTo(OK);
            return stat(path);
        }

        @Test
        void linkChangesTheInodesCtimeAndTheDirectorysMtime() throws Exception {
            file("f", "x");
            Stat before = aged(p("f"));
            aged(dir);
            assertThat(Syscalls.link(p("f"), p("g"))).isEqualTo(OK);
            Stat after = stat(p("f"));
            assertThat(after.ctime()).isGreaterThan(before.ctime());
            assertThat(after.mtime()).isEqualTo(OLD);
            assertThat(stat(dir).mtime()).isGreaterThan(OLD);
        }

        @Test
        void renameChangesTheMovedInodesCtimeOnly() throws Exception {
            file("f", "x");
            Stat before = aged(p("f"));
            assertThat(Syscalls.rename(p("f"), p("g"))).isEqualTo(OK);
            Stat after = stat(p("g"));
            assertThat(after.ctime()).isGreaterThan(before.ctime());
            assertThat(after.mtime()).isEqualTo(OLD);
        }

        @Test
        void xattrAndChownChangeCtimeOnly() throws Exception {
            file("f", "x");
            Stat before = aged(p("f"));
            assertThat(Syscalls.setxattr(p("f"), "user.a", "1", 0)).isEqualTo(OK);
            Stat afterSet = stat(p("f"));
            assertThat(afterSet.ctime()).isGreaterThan(before.ctime());
            assertThat(Syscalls.removexattr(p("f"), "user.a")).isEqualTo(OK);
            Stat afterRemove = stat(p("f"));
            assertThat(afterRemove.ctime()).isGreaterThan(afterSet.ctime());
            assertThat(Syscalls.chown(p("f"), 7, 7)).isEqualTo(OK);
            assertThat(stat(p("f")).ctime()).isGreaterThan(afterRemove.ctime());
            assertThat(stat(p("f")).mtime()).isEqualTo(OLD);
        }

        @Test
        void truncateOpenWithTruncAndFallocateChangeMtimeAndCtime() throws Exception {
            file("f", "content");
            for (String step : List.of("truncate", "O_TRUNC", "fallocate")) {
                Stat before = aged(p("f"));
                switch (step) {
                    case "truncate" -> assertThat(Syscalls.truncate(p("f"), 3)).isEqualTo(OK);
                    case "O_TRUNC" -> assertThat(Syscalls.open(p("f"), O_WRONLY | O_TRUNC)).isEqualTo(OK);
                    default -> {
                        int fd = Syscalls.fd(p("f"), O_WRONLY);
                        try {
                            assertThat(Syscalls.fallocate(fd, 0, 0, 100)).isEqualTo(OK);
                        } finally {
                            Syscalls.close(fd);
                        }
                    }
                }
                Stat after = stat(p("f"));
                assertThat(after.mtime()).as(step).isGreaterThan(OLD);
                assertThat(after.ctime()).as(step).isGreaterThan(before.ctime());
            }
            assertThat(stat(p("f")).size()).isEqualTo(100);
        }

        @Test
        void createSetsTheNewFilesTimesAndTheDirectorysMtime() throws Exception {
            aged(dir);
            file("f", "");
            Stat f = stat(p("f"));
            assertThat(f.mtime()).isEqualTo(f.ctime());
            assertThat(f.atime()).isGreaterThan(OLD);
            assertThat(stat(dir).mtime()).isGreaterThan(OLD);
        }
    }

    @Nested
    class Locks {
        /**
         * The kernel keeps flock and POSIX record locks of a FUSE file system that implements
         * neither; a second process (python) tries the locks the first one holds.
         */
        @Test
        void posixRecordLocksAndFlockAreEnforcedBetweenProcesses() throws Exception {
            file("f", "0123456789");
            assertThat(asUser(0, String.join("\n",
                    "import fcntl, subprocess, sys",
                    "fd = os.open('f', os.O_RDWR)",
                    "fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 5, 0)",
                    "fl = os.open('f', os.O_RDONLY)",
                    "fcntl.flock(fl, fcntl.LOCK_SH)",
                    "other = '''",
                    "import os, fcntl, struct, errno",
                    "def t(f, *a):",
                    "    try:",
                    "        f(*a); print('OK', flush=True)",
                    "    except OSError as e:",
                    "        print(errno.errorcode[e.errno], flush=True)",
                    "fd = os.open('f', os.O_RDWR)",
                    "t(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 5, 0)",
                    "t(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 3, 4)",
                    "t(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 5, 5)",
                    "probe = struct.pack('hhqqi4x', fcntl.F_WRLCK, 0, 0, 10, 0)",
                    "kind, _, start, length, pid = struct.unpack('hhqqi4x', fcntl.fcntl(fd, fcntl.F_GETLK, probe))",
                    "print(kind == fcntl.F_WRLCK, start, length, pid == os.getppid(), flush=True)",
                    "fl = os.open('f', os.O_RDONLY)",
                    "t(fcntl.flock, fl, fcntl.LOCK_SH | fcntl.LOCK_NB)",
                    "fcntl.flock(fl, fcntl.LOCK_UN)",
                    "t(fcntl.flock, fl, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                    "print('waiting', flush=True)",
                    "fcntl.lockf(fd, fcntl.LOCK_EX, 5, 0)",
                    "print('got the record lock', flush=True)",
                    "'''",
                    "child = subprocess.Popen([sys.executable, '-c', other], stdout=subprocess.PIPE, text=True)",
                    "for line in child.stdout:",
                    "    print(line.strip(), flush=True)",
                    "    if line.strip() == 'waiting':",
                    "        fcntl.lockf(fd, fcntl.LOCK_UN, 5, 0)",
                    "print(child.wait())")))
                    .containsExactly("EAGAIN", "EAGAIN", "OK", "True 0 5 True", "OK", "EAGAIN",
                            "waiting", "got the record lock", "0");
        }
    }

    @Nested
    class SeekHoleAndData {
        /** libfuse 2 has no lseek operation, so the kernel answers generically: all data, the hole at the end. */
        @Test
        void aSparseFileIsReportedAsAllData() throws Exception {
            assertThat(asUser(0, String.join("\n",
                    "fd = os.open('f', os.O_CREAT | os.O_RDWR)",
                    "os.pwrite(fd, b'x', 1 << 24)",
                    "print(os.lseek(fd, 0, os.SEEK_DATA), os.lseek(fd, 0, os.SEEK_HOLE))",
                    "t(os.lseek, fd, (1 << 24) + 1, os.SEEK_DATA)")))
                    .containsExactly("0 " + ((1 << 24) + 1), "ENXIO");
        }
    }

    @Nested
    class PathLimits {
        @Test
        void pathsUpToPathMaxWorkAndLongerAreEnametoolong() throws Exception {
            assertThat(asUser(0, String.join("\n",
                    "path = '.'",
                    "while 4095 - len(path) - 1 > 255:",
                    "    path += '/' + 'd' * min(254, 4095 - len(path) - 2 - 200)",
                    "    os.mkdir(path)",
                    "leaf = path + '/' + 'f' * (4095 - len(path) - 1)",
                    "print(len(leaf))",
                    "t(os.close, os.open(leaf, os.O_CREAT | os.O_WRONLY))",
                    "print(os.stat(leaf).st_size)",
                    "t(os.open, leaf + 'x', os.O_CREAT | os.O_WRONLY)")))
                    .containsExactly("4095", "OK", "0", "ENAMETOOLONG");
        }
    }

    @Nested
    class XattrLimits {
        @Test
        void nameAndValueLimitsOfLinux() throws Exception {
            file("f", "x");
            String longest = "user." + "n".repeat(250);
            assertThat(Syscalls.setxattr(p("f"), longest, "v", 0)).isEqualTo(OK);
            assertThat(Syscalls.getxattr(p("f"), longest, 10)).isEqualTo("v");
            assertThat(Syscalls.setxattr(p("f"), longest + "n", "v", 0)).isEqualTo("ERANGE");
            assertThat(Syscalls.setxattr(p("f"), "user.big", "v".repeat(65537), 0)).isEqualTo("E2BIG");
            assertThat(Syscalls.getxattr(p("f"), "user.none", 0)).isEqualTo("!ENODATA");
            assertThat(Syscalls.listxattr(p("f"))).isEqualTo(longest + ",");
        }
    }

    @Nested
    class Groups {
        @Test
        void supplementaryGroupsGrantAccessAndChgrp() throws Exception {
            Files.createDirectory(p("team"));
            Syscalls.chmod(p("team"), 0777);
            file("team/doc", "d");
            Syscalls.chown(p("team/doc"), 0, 4242);
            Syscalls.chmod(p("team/doc"), 0660);
            assertThat(asUserInGroups(1000, List.of(4242), String.join("\n",
                    "t(os.open, 'team/doc', os.O_RDWR)",
                    "print(os.access('team/doc', os.R_OK | os.W_OK))",
                    "os.close(os.open('team/mine', os.O_CREAT | os.O_WRONLY, 0o644))",
                    "t(os.chown, 'team/mine', -1, 4242)",
                    "t(os.chown, 'team/mine', -1, 4343)",
                    "t(os.chown, 'team/mine', 1001, -1)")))
                    .containsExactly("OK", "True", "OK", "EPERM", "EPERM");
            assertThat(asUser(1000, "t(os.open, 'team/doc', os.O_RDONLY)")).containsExactly("EACCES");
            assertThat(stat(p("team/mine")).gid()).isEqualTo(4242);
            assertThat(stat(p("team/mine")).uid()).isEqualTo(1000);
        }

        @Test
        void setgidGoesOnChownAndOnChmodByAnOwnerOutsideTheGroup() throws Exception {
            Files.createDirectory(p("open"));
            Syscalls.chmod(p("open"), 0777);
            assertThat(asUser(1000, String.join("\n",
                    "os.close(os.open('open/f', os.O_CREAT | os.O_WRONLY, 0o644))",
                    "os.chmod('open/f', 0o2755)",
                    "print(oct(os.stat('open/f').st_mode & 0o7777))")))
                    .containsExactly("0o2755");
            assertThat(Syscalls.chown(p("open/f"), 1000, 4242)).isEqualTo(OK);
            assertThat(stat(p("open/f")).permissions()).isEqualTo(0755);
            assertThat(asUser(1000, String.join("\n",
                    "os.chmod('open/f', 0o2750)",
                    "print(oct(os.stat('open/f').st_mode & 0o7777))")))
                    .containsExactly("0o750");
        }
    }
}
