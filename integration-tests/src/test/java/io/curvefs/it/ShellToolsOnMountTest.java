package io.curvefs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The everyday tools people run on a mounted file system: cp, tar, git, rsync, python. */
class ShellToolsOnMountTest {

    private static Cluster cluster;
    private static Cluster.Mount mount;
    private static Path tree;

    @BeforeAll
    static void mount() throws Exception {
        cluster = Cluster.start("shell-tools");
        mount = cluster.mount("a");
        tree = cluster.dir.resolve("source-tree");
        generateSourceTree(tree, 3000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A deterministic tree of small and medium files, nested directories, symlinks and modes. */
    private static void generateSourceTree(Path root, int files) throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < files; i++) {
            Path dir = root.resolve("pkg" + (i % 37)).resolve("sub" + (i % 5));
            Files.createDirectories(dir);
            int size = random.nextInt(10) == 0 ? random.nextInt(512 << 10) : random.nextInt(8 << 10);
            byte[] data = new byte[size];
            random.nextBytes(data);
            Path file = dir.resolve("file" + i + (i % 3 == 0 ? ".java" : ".txt"));
            Files.write(file, data);
            if (i % 11 == 0) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
            }
        }
        Files.createDirectories(root.resolve("empty/dir"));
        Files.createSymbolicLink(root.resolve("link-to-pkg0"), Path.of("pkg0"));
        Files.createSymbolicLink(root.resolve("pkg1/dangling"), Path.of("no/such/target"));
    }

    @Test
    void cpDashAInAndOutKeepsEveryByte() throws Exception {
        String out = Shell.run(cluster.dir, """
                cp -a source-tree %1$s/cp-copy
                cp -a %1$s/cp-copy cp-back
                diff -r --no-dereference source-tree cp-back
                (cd source-tree && find . -type f -print0 | sort -z | xargs -0 sha256sum) > sums.src
                (cd %1$s/cp-copy && find . -type f -print0 | sort -z | xargs -0 sha256sum) > sums.mnt
                cmp sums.src sums.mnt
                find source-tree | wc -l
                find %1$s/cp-copy | wc -l
                stat -c '%%a %%s' source-tree/pkg0/sub0/file0.java %1$s/cp-copy/pkg0/sub0/file0.java
                readlink %1$s/cp-copy/link-to-pkg0
                """.formatted(mount.point));
        String[] lines = out.strip().split("\n");
        assertThat(lines[0]).isEqualTo(lines[1]);
        assertThat(lines[2]).isEqualTo(lines[3]);
        assertThat(lines[4]).isEqualTo("pkg0");
    }

    @Test
    void tarExtractAndCreate() throws Exception {
        Shell.run(cluster.dir, """
                tar -C source-tree -cf tree.tar .
                mkdir %1$s/tar-x
                tar -C %1$s/tar-x -xf tree.tar
                diff -r --no-dereference source-tree %1$s/tar-x
                tar -C %1$s/tar-x -cf %1$s/again.tar .
                mkdir tar-back
                tar -C tar-back -xf %1$s/again.tar
                diff -r --no-dereference source-tree tar-back
                """.formatted(mount.point));
    }

    @Test
    void gitInitAddCommit() throws Exception {
        String out = Shell.run(cluster.dir, """
                mkdir %1$s/repo
                cp -r source-tree/pkg2 source-tree/pkg3 %1$s/repo/
                cd %1$s/repo
                git init -q
                git -c user.name=t -c user.email=t@t add .
                git -c user.name=t -c user.email=t@t commit -qm first
                echo change >> pkg2/sub2/file2.txt
                git -c user.name=t -c user.email=t@t commit -qam second
                git fsck --no-progress
                git log --oneline | wc -l
                git status --porcelain | wc -l
                """.formatted(mount.point));
        String[] lines = out.strip().split("\n");
        assertThat(lines[lines.length - 2].strip()).isEqualTo("2");
        assertThat(lines[lines.length - 1].strip()).isEqualTo("0");
    }

    @Test
    void rsyncArchiveRoundTrip() throws Exception {
        Shell.run(cluster.dir, """
                rsync -a source-tree/ %1$s/rsynced/
                rsync -a --checksum --dry-run --itemize-changes source-tree/ %1$s/rsynced/ > changes
                test ! -s changes
                rsync -a %1$s/rsynced/ rsync-back/
                diff -r --no-dereference source-tree rsync-back
                """.formatted(mount.point));
    }

    @Test
    void pythonAppendSeekOverwriteRead() throws Exception {
        Path script = cluster.dir.resolve("io_check.py");
        Files.writeString(script, """
                import os, sys
                path = sys.argv[1]
                with open(path, "wb") as f:
                    f.write(b"a" * 100000)
                with open(path, "ab") as f:
                    f.write(b"b" * 50000)
                with open(path, "r+b") as f:
                    f.seek(99990)
                    f.write(b"XYZ" * 10)
                    f.seek(0, os.SEEK_END)
                    f.write(b"END")
                    f.flush()
                    os.fsync(f.fileno())
                    f.seek(99985)
                    got = f.read(40)
                expected = bytearray(b"a" * 100000 + b"b" * 50000)
                expected[99990:100020] = b"XYZ" * 10
                expected += b"END"
                with open(path, "rb") as f:
                    data = f.read()
                assert data == bytes(expected), "content differs"
                assert got == bytes(expected[99985:100025]), "read-after-write differs"
                with open(path, "r+b") as f:
                    f.truncate(1000)
                assert os.path.getsize(path) == 1000
                with open(path, "rb") as f:
                    assert f.read() == b"a" * 1000
                print("ok")
                """);
        String out = Shell.run(cluster.dir, "python3 io_check.py " + mount.point.resolve("py.bin"));
        assertThat(out.strip()).isEqualTo("ok");
    }
}
