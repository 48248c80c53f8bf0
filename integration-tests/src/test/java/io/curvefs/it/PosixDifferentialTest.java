package io.curvefs.it;

import static io.curvefs.it.Syscalls.C;
import static io.curvefs.it.Syscalls.O_CREAT;
import static io.curvefs.it.Syscalls.O_RDONLY;
import static io.curvefs.it.Syscalls.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of file system calls applied to a local ext4 directory and to a directory
 * of a real mount must give the same outcome call by call (success, or the same errno) and
 * leave the same tree: names, types, sizes of files, contents, permission bits, link counts
 * and user xattrs. Names come from a small pool so that calls collide often: renames over
 * existing names, links of linked files, rmdir of non-empty directories.
 *
 * <p>The seed is fixed so that a run is reproducible; sequences that once failed are kept as
 * {@code @Example}s (jqwik also replays the last failing sample first, from target/jqwik-database).
 */
class PosixDifferentialTest {

    private static final List<String> FILES = List.of("a", "b", "d/a", "d/b", "d/e/a", "x/a");
    private static final List<String> DIRS = List.of("d", "d/e", "x", "a");
    private static final List<String> ANY = Stream.concat(FILES.stream(), DIRS.stream()).distinct().toList();
    private static final List<Integer> MODES = List.of(0644, 0600, 0755, 0700, 0444, 0640);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static Cluster cluster;
    private static Cluster.Mount mount;

    @BeforeContainer
    static void mountOnce() throws Exception {
        cluster = Cluster.start("differential");
        mount = cluster.mount("differential");
    }

    @AfterContainer
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every random sequence starts from these names, so that most calls meet existing ones. */
    private static final List<Action> PROLOGUE = List.of(new Mkdir("d", 0755), new Mkdir("d/e", 0755),
            new Mkdir("x", 0755), new Create("a", 0644), new Write("d/a", 0, 1, (byte) 0),
            new Create("d/a", 0644), new Write("d/a", 100, 5000, (byte) 3), new Link("d/a", "x/a"));

    @Property(tries = 20, seed = "20261127", shrinking = ShrinkingMode.BOUNDED)
    void mountBehavesLikeALocalFileSystem(@ForAll("sequences") List<Action> actions) throws Exception {
        List<Action> all = new ArrayList<>(PROLOGUE);
        all.addAll(actions);
        compare(all);
    }

    /** Failed before libfuse's nullpath_ok was set: writes to an unlinked open file gave ENOENT. */
    @Example
    void writeAfterUnlinkOfAnOpenFile() throws Exception {
        compare(List.of(new Create("a", 0644), new Write("a", 0, 10, (byte) 1), new Link("a", "b"),
                new UnlinkWhileOpen("b", 5), new UnlinkWhileOpen("a", 3), new Read("a")));
    }

    @Provide
    Arbitrary<List<Action>> sequences() {
        return action().list().ofSize(40);
    }

    private static void compare(List<Action> actions) throws Exception {
        int run = RUNS.incrementAndGet();
        Path local = Files.createDirectories(cluster.dir.resolve("differential-local/" + run));
        Path remote = Files.createDirectories(mount.point.resolve("differential-" + run));
        List<String> log = new ArrayList<>();
        for (Action action : actions) {
            String expected = action.apply(local);
            String actual = action.apply(remote);
            log.add(action + " -> " + expected);
            assertThat(actual).as("outcome of %s after:%n%s", action, String.join("\n", log)).isEqualTo(expected);
        }
        assertThat(tree(remote)).as("tree after:%n%s", String.join("\n", log)).isEqualTo(tree(local));
    }

    /** One line per name below {@code root}: type, permissions, nlink, size and content, xattrs. */
    private static String tree(Path root) throws IOException {
        TreeMap<String, String> lines = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                Stat s = Stat.of(p);
                StringBuilder line = new StringBuilder()
                        .append(Integer.toOctalString(s.mode())).append(" nlink=").append(s.nlink());
                if (s.type() == Stat.S_IFREG) {
                    line.append(" size=").append(s.size()).append(" sha=").append(digest(Files.readAllBytes(p)));
                } else if (s.type() == Stat.S_IFLNK) {
                    line.append(" target=").append(Syscalls.readlink(p));
                }
                if (s.type() != Stat.S_IFLNK) {
                    line.append(" xattrs=").append(xattrs(p));
                }
                lines.put(root.relativize(p).toString(), line.toString());
            }
        }
        StringBuilder out = new StringBuilder();
        lines.forEach((name, line) -> out.append(name).append(": ").append(line).append('\n'));
        return out.toString();
    }

    private static String xattrs(Path p) {
        String names = Syscalls.listxattr(p);
        List<String> sorted = Arrays.stream(names.split(",")).filter(n -> n.startsWith("user.")).sorted().toList();
        List<String> pairs = new ArrayList<>();
        for (String name : sorted) {
            pairs.add(name + "=" + Syscalls.getxattr(p, name, 1024));
        }
        return pairs.toString();
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the actions

    private static Arbitrary<String> file() {
        return Arbitraries.of(FILES);
    }

    private static Arbitrary<String> dir() {
        return Arbitraries.of(DIRS);
    }

    private static Arbitrary<String> any() {
        return Arbitraries.of(ANY);
    }

    private static Arbitrary<Integer> mode() {
        return Arbitraries.of(MODES);
    }

    static Arbitrary<Action> action() {
        Arbitrary<Long> offsets = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 10_000)),
                Tuple.of(1, Arbitraries.longs().between(4_000_000, 9_000_000)));
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(file(), mode()).as(Create::new)),
                Tuple.of(5, Combinators.combine(file(), offsets, Arbitraries.integers().between(1, 70_000),
                        Arbitraries.bytes()).as(Write::new)),
                Tuple.of(2, Combinators.combine(file(), offsets).as(Truncate::new)),
                Tuple.of(3, Combinators.combine(any(), any()).as(Rename::new)),
                Tuple.of(2, Combinators.combine(any(), file()).as(Link::new)),
                Tuple.of(2, any().map(Unlink::new)),
                Tuple.of(3, Combinators.combine(dir(), mode()).as(Mkdir::new)),
                Tuple.of(2, dir().map(Rmdir::new)),
                Tuple.of(1, Combinators.combine(any(), mode()).as(Chmod::new)),
                Tuple.of(1, Combinators.combine(any(), Arbitraries.of("user.k", "user.l"),
                        Arbitraries.strings().alpha().ofMaxLength(8), Arbitraries.of(0, Syscalls.XATTR_CREATE,
                                Syscalls.XATTR_REPLACE)).as(SetXattr::new)),
                Tuple.of(2, any().map(Read::new)),
                Tuple.of(1, Combinators.combine(any(), any()).as(Symlink::new)),
                Tuple.of(1, Combinators.combine(file(), Arbitraries.longs().between(0, 100_000)).as(UnlinkWhileOpen::new)));
    }

    /** One system call (or open-call-close) whose outcome is "OK", an errno name, or what was read. */
    interface Action {
        String apply(Path root);
    }

    record Create(String path, int mode) implements Action {
        public String apply(Path root) {
            return Syscalls.open(root.resolve(path), O_CREAT | O_WRONLY, mode);
        }
    }

    record Write(String path, long offset, int length, byte fill) implements Action {
        public String apply(Path root) {
            int fd = C.open(root.resolve(path).toString(), O_WRONLY, 0);
            if (fd < 0) {
                return Syscalls.result(fd);
            }
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) (fill + i);
            }
            long written = C.pwrite(fd, bytes, length, offset);
            String outcome = written == length ? Syscalls.OK : "short write " + Syscalls.result(written);
            String closed = Syscalls.result(C.close(fd));
            return closed.equals(Syscalls.OK) ? outcome : "close " + closed;
        }
    }

    record Truncate(String path, long length) implements Action {
        public String apply(Path root) {
            return Syscalls.truncate(root.resolve(path), length);
        }
    }

    record Rename(String from, String to) implements Action {
        public String apply(Path root) {
            return Syscalls.rename(root.resolve(from), root.resolve(to));
        }
    }

    record Link(String existing, String newPath) implements Action {
        public String apply(Path root) {
            return Syscalls.link(root.resolve(existing), root.resolve(newPath));
        }
    }

    record Unlink(String path) implements Action {
        public String apply(Path root) {
            return Syscalls.unlink(root.resolve(path));
        }
    }

    record Mkdir(String path, int mode) implements Action {
        public String apply(Path root) {
            return Syscalls.mkdir(root.resolve(path), mode);
        }
    }

    record Rmdir(String path) implements Action {
        public String apply(Path root) {
            return Syscalls.rmdir(root.resolve(path));
        }
    }

    record Chmod(String path, int mode) implements Action {
        public String apply(Path root) {
            return Syscalls.chmod(root.resolve(path), mode);
        }
    }

    record SetXattr(String path, String name, String value, int flags) implements Action {
        public String apply(Path root) {
            return Syscalls.setxattr(root.resolve(path), name, value, flags);
        }
    }

    record Symlink(String target, String path) implements Action {
        public String apply(Path root) {
            return Syscalls.symlink(target, root.resolve(path));
        }
    }

    /** Opens, unlinks, writes and reads back through the descriptor, closes. */
    record UnlinkWhileOpen(String path, long offset) implements Action {
        public String apply(Path root) {
            int fd = C.open(root.resolve(path).toString(), Syscalls.O_RDWR, 0);
            if (fd < 0) {
                return Syscalls.result(fd);
            }
            try {
                String unlinked = Syscalls.unlink(root.resolve(path));
                byte[] bytes = {7, 8, 9};
                long written = C.pwrite(fd, bytes, bytes.length, offset);
                byte[] back = new byte[3];
                long read = C.pread(fd, back, back.length, offset);
                return unlinked + " wrote " + (written < 0 ? Syscalls.result(written) : written)
                        + " read " + (read < 0 ? Syscalls.result(read) : Arrays.toString(back));
            } finally {
                C.close(fd);
            }
        }
    }

    record Read(String path) implements Action {
        public String apply(Path root) {
            int fd = C.open(root.resolve(path).toString(), O_RDONLY, 0);
            if (fd < 0) {
                return Syscalls.result(fd);
            }
            try {
                byte[] buf = new byte[1 << 16];
                long n = C.pread(fd, buf, buf.length, 0);
                return n < 0 ? Syscalls.result(n) : "read " + digest(Arrays.copyOf(buf, (int) n));
            } finally {
                C.close(fd);
            }
        }
    }
}
