package io.curvefs.client.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.curvefs.client.meta.Attr;
import io.curvefs.client.meta.CachingMetaClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class VfsTest {

    private static final Caller USER = new Caller(1000, 1000);
    private final InMemoryMetaClient meta = new InMemoryMetaClient();
    private final InMemoryDataStore data = new InMemoryDataStore();
    private final Vfs vfs = new Vfs(meta, data, () -> new FsStats(4096, 1 << 30, 4096, 1000, 3));
    private final long root = vfs.rootIno();

    @Test
    void aNoatimeVfsLeavesAtimeAloneOnReadsAndListings() {
        Vfs noatime = new Vfs(meta, data, () -> new FsStats(4096, 1 << 30, 4096, 1000, 3), false);
        long ino = newFile(root, "f", "data");
        vfs.setattr(ino, SetAttr.times(1_000_000_000L, 1_000_000_000L));
        long h = noatime.open(ino, Mode.O_RDONLY);
        noatime.read(h, 0, ByteBuffer.allocate(16));
        noatime.release(h);
        assertThat(meta.getAttr(ino).atime()).isEqualTo(1_000_000_000L);

        long again = vfs.open(ino, Mode.O_RDONLY);
        vfs.read(again, 0, ByteBuffer.allocate(16));
        vfs.release(again);
        assertThat(meta.getAttr(ino).atime()).as("relatime, by default").isGreaterThan(1_000_000_000L);
    }

    private static void assertErrno(Errno errno, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VfsException.class,
                e -> assertThat(e.errno()).isEqualTo(errno));
    }

    private long newFile(long dir, String name, String content) {
        Vfs.Created created = vfs.create(dir, name, 0644, Mode.O_RDWR | Mode.O_CREAT, USER);
        vfs.write(created.handle(), 0, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        vfs.release(created.handle());
        return created.attr().ino();
    }

    private String content(long ino) {
        long h = vfs.open(ino, Mode.O_RDONLY);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        int n = vfs.read(h, 0, buf);
        vfs.release(h);
        return new String(buf.array(), 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void mkdirCountsLinksAndOwnsByCaller() {
        Attr dir = vfs.mkdir(root, "d", 0755, USER);
        assertThat(dir.mode()).isEqualTo(Mode.S_IFDIR | 0755);
        assertThat(dir.uid()).isEqualTo(1000);
        assertThat(vfs.getattr(root).nlink()).isEqualTo(3);
        assertThat(vfs.lookup(root, "d").ino()).isEqualTo(dir.ino());
        assertErrno(Errno.EEXIST, () -> vfs.mkdir(root, "d", 0755, USER));
        assertErrno(Errno.ENOENT, () -> vfs.lookup(root, "nope"));
    }

    @Test
    void namesLongerThan255BytesAreRejected() {
        vfs.mkdir(root, "x".repeat(255), 0755, USER);
        assertErrno(Errno.ENAMETOOLONG, () -> vfs.mkdir(root, "x".repeat(256), 0755, USER));
        assertErrno(Errno.ENAMETOOLONG, () -> vfs.lookup(root, "é".repeat(128)));
    }

    @Test
    void setgidDirectoryPassesItsGroupOn() {
        Attr dir = vfs.mkdir(root, "shared", 02775, new Caller(0, 50));
        Attr file = vfs.mknod(dir.ino(), "f", Mode.S_IFREG | 0644, 0, USER);
        Attr sub = vfs.mkdir(dir.ino(), "sub", 0755, USER);
        assertThat(file.gid()).isEqualTo(50);
        assertThat(sub.gid()).isEqualTo(50);
        assertThat(sub.mode() & Mode.S_ISGID).isNotZero();
    }

    @Test
    void rmdirAndUnlinkCheckTypesAndEmptiness() {
        Attr dir = vfs.mkdir(root, "d", 0755, USER);
        newFile(dir.ino(), "f", "x");
        assertErrno(Errno.ENOTEMPTY, () -> vfs.rmdir(root, "d"));
        assertErrno(Errno.ENOTDIR, () -> vfs.rmdir(dir.ino(), "f"));
        assertErrno(Errno.EISDIR, () -> vfs.unlink(root, "d"));
        vfs.unlink(dir.ino(), "f");
        vfs.rmdir(root, "d");
        assertThat(meta.exists(dir.ino())).isFalse();
        assertThat(vfs.getattr(root).nlink()).isEqualTo(2);
    }

    @Test
    void writesShowInGetattrBeforeFlushAndPersistOnRelease() {
        Vfs.Created f = vfs.create(root, "f", 0644, Mode.O_WRONLY | Mode.O_CREAT, USER);
        vfs.write(f.handle(), 0, ByteBuffer.wrap(new byte[1000]));
        vfs.write(f.handle(), 5000, ByteBuffer.wrap(new byte[10]));
        assertThat(vfs.getattr(f.attr().ino()).length()).isEqualTo(5010);
        assertThat(meta.getAttr(f.attr().ino()).length()).isZero();
        vfs.release(f.handle());
        assertThat(meta.getAttr(f.attr().ino()).length()).isEqualTo(5010);
        assertThat(data.flushes.get()).isPositive();
        assertErrno(Errno.EBADF, () -> vfs.write(f.handle(), 0, ByteBuffer.wrap(new byte[1])));
    }

    @Test
    void openRevalidatesAndHonoursTruncAndAppend() {
        long ino = newFile(root, "f", "hello");
        int before = data.invalidations.get();
        long h = vfs.open(ino, Mode.O_WRONLY | Mode.O_APPEND);
        assertThat(data.invalidations.get()).isEqualTo(before + 1);
        vfs.write(h, 0, ByteBuffer.wrap(" world".getBytes(StandardCharsets.UTF_8)));
        vfs.release(h);
        assertThat(content(ino)).isEqualTo("hello world");
        long t = vfs.open(ino, Mode.O_WRONLY | Mode.O_TRUNC);
        assertThat(vfs.getattr(ino).length()).isZero();
        vfs.release(t);
        assertThat(meta.getAttr(ino).length()).isZero();
        assertErrno(Errno.EISDIR, () -> vfs.open(root, Mode.O_RDWR));
    }

    @Test
    void setattrChangesModeOwnerSizeAndTimes() {
        long ino = newFile(root, "f", "0123456789");
        assertThat(vfs.setattr(ino, SetAttr.chmod(04711)).mode()).isEqualTo(Mode.S_IFREG | 04711);
        Attr owned = vfs.setattr(ino, SetAttr.chown(7, null));
        assertThat(owned.uid()).isEqualTo(7);
        assertThat(owned.gid()).isEqualTo(1000);
        vfs.setattr(ino, SetAttr.truncate(4));
        assertThat(content(ino)).isEqualTo("0123");
        vfs.setattr(ino, SetAttr.truncate(6));
        assertThat(content(ino)).isEqualTo("0123\0\0");
        Attr timed = vfs.setattr(ino, SetAttr.times(5_000_000_000L, 7_000_000_001L));
        assertThat(timed.atime()).isEqualTo(5_000_000_000L);
        assertThat(timed.mtime()).isEqualTo(7_000_000_001L);
        assertErrno(Errno.EISDIR, () -> vfs.setattr(root, SetAttr.truncate(0)));
    }

    @Test
    void timesSetWhileWritesAreBufferedSurviveTheClose() {
        Vfs.Created f = vfs.create(root, "copy", 0644, Mode.O_WRONLY | Mode.O_CREAT, USER);
        vfs.write(f.handle(), 0, ByteBuffer.wrap(new byte[100]));
        vfs.setattr(f.attr().ino(), SetAttr.times(1_000_000_000L, 2_000_000_000L));
        assertThat(meta.getAttr(f.attr().ino()).length()).as("flushed with the times").isEqualTo(100);
        vfs.write(f.handle(), 100, ByteBuffer.wrap(new byte[50]));
        vfs.setattr(f.attr().ino(), SetAttr.chmod(0600));
        vfs.setattr(f.attr().ino(), SetAttr.times(1_000_000_000L, 3_000_000_000L));
        vfs.release(f.handle());
        Attr attr = vfs.getattr(f.attr().ino());
        assertThat(attr.mtime()).isEqualTo(3_000_000_000L);
        assertThat(attr.atime()).isEqualTo(1_000_000_000L);
        assertThat(attr.mode()).isEqualTo(Mode.S_IFREG | 0600);
        assertThat(attr.length()).isEqualTo(150);
    }

    @Test
    void hardLinksShareTheInodeAndCountNames() {
        long ino = newFile(root, "a", "data");
        Attr dir = vfs.mkdir(root, "d", 0755, USER);
        Attr linked = vfs.link(ino, dir.ino(), "b");
        assertThat(linked.nlink()).isEqualTo(2);
        assertThat(linked.parents()).containsExactly(root, dir.ino());
        assertErrno(Errno.EEXIST, () -> vfs.link(ino, root, "a"));
        assertErrno(Errno.EPERM, () -> vfs.link(dir.ino(), root, "dirlink"));
        vfs.unlink(root, "a");
        assertThat(vfs.getattr(ino).nlink()).isEqualTo(1);
        assertThat(vfs.getattr(ino).parents()).containsExactly(dir.ino());
        assertThat(content(vfs.lookup(dir.ino(), "b").ino())).isEqualTo("data");
        vfs.unlink(dir.ino(), "b");
        assertThat(meta.exists(ino)).isFalse();
    }

    @Test
    void unlinkKeepsTheParentsRightWhenTheCachedLinkCountIsStale() {
        Vfs cached = new Vfs(new CachingMetaClient(meta, Duration.ofHours(1), Duration.ofHours(1), 100), data,
                () -> new FsStats(4096, 1 << 30, 4096, 1000, 3));
        Vfs.Created f = cached.create(root, "a", 0644, Mode.O_WRONLY | Mode.O_CREAT, USER);
        cached.release(f.handle());
        long ino = f.attr().ino();
        Attr dir = vfs.mkdir(root, "d", 0755, USER);
        vfs.link(ino, dir.ino(), "b");
        assertThat(cached.lookup(root, "a").nlink()).as("the other mount's link is not seen yet").isEqualTo(1);

        cached.unlink(root, "a");
        assertThat(vfs.getattr(ino).nlink()).isEqualTo(1);
        assertThat(vfs.getattr(ino).parents()).containsExactly(dir.ino());
        assertThat(meta.exists(ino)).isTrue();
    }

    @Test
    void unlinkedOpenFileLivesUntilRelease() {
        long ino = newFile(root, "f", "still here");
        long h = vfs.open(ino, Mode.O_RDONLY);
        vfs.unlink(root, "f");
        assertThat(meta.exists(ino)).isTrue();
        assertThat(vfs.getattrOfHandle(h).nlink()).isZero();
        ByteBuffer buf = ByteBuffer.allocate(100);
        assertThat(vfs.read(h, 0, buf)).isEqualTo(10);
        vfs.release(h);
        assertThat(meta.exists(ino)).isFalse();
    }

    @Test
    void renameMovesWithinAndAcrossDirectories() {
        long ino = newFile(root, "a", "x");
        vfs.rename(root, "a", root, "b");
        assertThat(vfs.lookup(root, "b").ino()).isEqualTo(ino);
        assertErrno(Errno.ENOENT, () -> vfs.lookup(root, "a"));
        Attr d1 = vfs.mkdir(root, "d1", 0755, USER);
        Attr d2 = vfs.mkdir(root, "d2", 0755, USER);
        vfs.rename(root, "b", d1.ino(), "c");
        assertThat(vfs.getattr(ino).parents()).containsExactly(d1.ino());
        vfs.rename(root, "d1", d2.ino(), "d1");
        assertThat(vfs.getattr(root).nlink()).isEqualTo(3);
        assertThat(vfs.getattr(d2.ino()).nlink()).isEqualTo(3);
        assertThat(vfs.getattr(d1.ino()).parents()).containsExactly(d2.ino());
        assertThat(vfs.lookup(vfs.lookup(d2.ino(), "d1").ino(), "c").ino()).isEqualTo(ino);
        assertErrno(Errno.ENOENT, () -> vfs.rename(root, "missing", root, "x"));
    }

    @Test
    void renameReplacesTargetsByPosixRules() {
        long a = newFile(root, "a", "new");
        long b = newFile(root, "b", "old");
        vfs.rename(root, "a", root, "b");
        assertThat(vfs.lookup(root, "b").ino()).isEqualTo(a);
        assertThat(meta.exists(b)).isFalse();

        Attr empty = vfs.mkdir(root, "empty", 0755, USER);
        Attr full = vfs.mkdir(root, "full", 0755, USER);
        newFile(full.ino(), "f", "x");
        Attr src = vfs.mkdir(root, "src", 0755, USER);
        assertErrno(Errno.ENOTEMPTY, () -> vfs.rename(root, "src", root, "full"));
        assertErrno(Errno.ENOTDIR, () -> vfs.rename(root, "src", root, "b"));
        assertErrno(Errno.EISDIR, () -> vfs.rename(root, "b", root, "empty"));
        vfs.rename(root, "src", root, "empty");
        assertThat(vfs.lookup(root, "empty").ino()).isEqualTo(src.ino());
        assertThat(meta.exists(empty.ino())).isFalse();
        assertThat(vfs.getattr(root).nlink()).isEqualTo(4);
    }

    @Test
    void renameOfADirectoryIntoItsOwnSubtreeIsInvalid() {
        Attr top = vfs.mkdir(root, "top", 0755, USER);
        Attr mid = vfs.mkdir(top.ino(), "mid", 0755, USER);
        assertErrno(Errno.EINVAL, () -> vfs.rename(root, "top", mid.ino(), "loop"));
        assertErrno(Errno.EINVAL, () -> vfs.rename(root, "top", top.ino(), "self"));
    }

    @Test
    void renameOntoAnotherNameOfTheSameInodeKeepsBoth() {
        long ino = newFile(root, "a", "x");
        vfs.link(ino, root, "b");
        vfs.rename(root, "a", root, "b");
        assertThat(vfs.lookup(root, "a").ino()).isEqualTo(ino);
        assertThat(vfs.lookup(root, "b").ino()).isEqualTo(ino);
        assertThat(vfs.getattr(ino).nlink()).isEqualTo(2);
    }

    @Test
    void symlinksAndSpecialFiles() {
        Attr link = vfs.symlink(root, "l", "../target", USER);
        assertThat(link.mode() & Mode.S_IFMT).isEqualTo(Mode.S_IFLNK);
        assertThat(link.length()).isEqualTo(9);
        assertThat(vfs.readlink(link.ino())).isEqualTo("../target");
        Attr fifo = vfs.mknod(root, "p", Mode.S_IFIFO | 0600, 0, USER);
        assertThat(fifo.mode()).isEqualTo(Mode.S_IFIFO | 0600);
        Attr dev = vfs.mknod(root, "c", Mode.S_IFCHR | 0600, 0x0103, USER);
        assertThat(dev.rdev()).isEqualTo(0x0103);
        assertErrno(Errno.EINVAL, () -> vfs.readlink(fifo.ino()));
    }

    @Test
    void xattrFlagsAndErrors() {
        long ino = newFile(root, "f", "");
        byte[] v1 = {1, 2, 3};
        assertErrno(Errno.ENODATA, () -> vfs.getxattr(ino, "user.a"));
        assertErrno(Errno.ENODATA, () -> vfs.setxattr(ino, "user.a", v1, Mode.XATTR_REPLACE));
        vfs.setxattr(ino, "user.a", v1, Mode.XATTR_CREATE);
        assertErrno(Errno.EEXIST, () -> vfs.setxattr(ino, "user.a", v1, Mode.XATTR_CREATE));
        vfs.setxattr(ino, "user.a", new byte[] {9}, Mode.XATTR_REPLACE);
        vfs.setxattr(ino, "user.b", new byte[0], 0);
        assertThat(vfs.getxattr(ino, "user.a")).containsExactly(9);
        assertThat(vfs.listxattr(ino)).containsExactlyInAnyOrder("user.a", "user.b");
        vfs.removexattr(ino, "user.a");
        assertErrno(Errno.ENODATA, () -> vfs.removexattr(ino, "user.a"));
        assertThat(vfs.listxattr(ino)).containsExactly("user.b");
        assertErrno(Errno.ERANGE, () -> vfs.setxattr(ino, "user." + "n".repeat(251), v1, 0));
        assertErrno(Errno.E2BIG, () -> vfs.setxattr(ino, "user.big", new byte[Vfs.XATTR_SIZE_MAX + 1], 0));
        assertErrno(Errno.EOPNOTSUPP, () -> vfs.setxattr(ino, "system.posix_acl_access", v1, 0));
    }

    @Test
    void openDirectoryStreamsPagesByPositionAndSeeksBack() {
        Attr dir = vfs.mkdir(root, "many", 0755, USER);
        int count = 2500;
        for (int i = 0; i < count; i++) {
            vfs.mknod(dir.ino(), String.format("f%04d", i), Mode.S_IFREG | 0644, 0, USER);
        }
        long handle = vfs.opendir(dir.ino());
        List<String> names = new ArrayList<>();
        for (long i = 0; ; i++) {
            Optional<DirListing> e = vfs.readdirAt(handle, i);
            if (e.isEmpty()) {
                break;
            }
            names.add(e.get().name());
        }
        assertThat(names).hasSize(count).isSorted().doesNotHaveDuplicates();
        assertThat(vfs.readdirAt(handle, 3).orElseThrow().name()).as("rewind").isEqualTo("f0003");
        assertThat(vfs.readdirAt(handle, 2047).orElseThrow().name()).as("seek forward").isEqualTo("f2047");
        assertThat(vfs.readdirAt(handle, count)).isEmpty();
        vfs.releasedir(handle);
        assertErrno(Errno.EBADF, () -> vfs.readdirAt(handle, 0));

        long file = vfs.lookup(dir.ino(), "f0000").ino();
        assertErrno(Errno.ENOTDIR, () -> vfs.opendir(file));
    }

    @Test
    void entryTypesTellFifosFromRegularFiles() {
        Attr dir = vfs.mkdir(root, "kinds", 0755, USER);
        long fifo = vfs.mknod(dir.ino(), "pipe", Mode.S_IFIFO | 0644, 0, USER).ino();
        long file = vfs.mknod(dir.ino(), "plain", 0644, 0, USER).ino();
        long sub = vfs.mkdir(dir.ino(), "sub", 0755, USER).ino();
        long link = vfs.symlink(dir.ino(), "link", "plain", USER).ino();
        long handle = vfs.opendir(dir.ino());
        List<DirListing> listed = new ArrayList<>();
        for (long i = 0; vfs.readdirAt(handle, i).isPresent(); i++) {
            listed.add(vfs.readdirAt(handle, i).orElseThrow());
        }
        assertThat(listed).extracting(DirListing::ino, DirListing::typeBits).containsExactlyInAnyOrder(
                tuple(fifo, Mode.S_IFIFO), tuple(file, Mode.S_IFREG),
                tuple(sub, Mode.S_IFDIR), tuple(link, Mode.S_IFLNK));
    }

    @Test
    void accessFollowsModeBitsAndRootRules() {
        long ino = newFile(root, "f", "");
        vfs.setattr(ino, SetAttr.chmod(0640));
        vfs.access(ino, Mode.R_OK | Mode.W_OK, USER);
        assertErrno(Errno.EACCES, () -> vfs.access(ino, Mode.X_OK, USER));
        vfs.access(ino, Mode.R_OK, new Caller(2000, 1000));
        assertErrno(Errno.EACCES, () -> vfs.access(ino, Mode.W_OK, new Caller(2000, 1000)));
        assertErrno(Errno.EACCES, () -> vfs.access(ino, Mode.R_OK, new Caller(2000, 2000)));
        vfs.access(ino, Mode.R_OK | Mode.W_OK, Caller.ROOT);
        assertErrno(Errno.EACCES, () -> vfs.access(ino, Mode.X_OK, Caller.ROOT));
    }

    @Test
    void createOnAnExistingNameLeavesNoOrphanInode() {
        long file = newFile(root, "f", "abc");
        long inodes = meta.inodeCount();
        assertErrno(Errno.EEXIST, () -> vfs.create(root, "f", 0644, Mode.O_CREAT | Mode.O_EXCL | Mode.O_RDWR, USER));
        Vfs.Created again = vfs.create(root, "f", 0644, Mode.O_CREAT | Mode.O_RDWR | Mode.O_TRUNC, USER);
        assertThat(again.attr().ino()).isEqualTo(file);
        assertThat(again.attr().length()).isZero();
        vfs.release(again.handle());
        assertThat(meta.inodeCount()).as("the inode made for the losing create is gone").isEqualTo(inodes);
    }

    @Test
    void statfsAndUsageDelta() {
        assertThat(vfs.statfs().capacityBytes()).isEqualTo(1 << 30);
        newFile(root, "f", "12345");
        assertThat(vfs.drainUsageDelta()).isEqualTo(5);
        vfs.unlink(root, "f");
        assertThat(vfs.drainUsageDelta()).isEqualTo(-5);
    }

    @Test
    void dataIsDeletedWithTheLastLinkOrAtTheLastCloseAfterUnlink() {
        long kept = newFile(root, "kept", "k");
        vfs.link(kept, root, "other");
        vfs.unlink(root, "kept");
        assertThat(data.holds(kept)).isTrue();
        vfs.unlink(root, "other");
        assertThat(data.holds(kept)).isFalse();

        Vfs.Created open = vfs.create(root, "open", 0644, Mode.O_RDWR | Mode.O_CREAT, USER);
        vfs.write(open.handle(), 0, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        vfs.unlink(root, "open");
        vfs.write(open.handle(), 3, ByteBuffer.wrap(new byte[] {4}));
        ByteBuffer back = ByteBuffer.allocate(10);
        assertThat(vfs.read(open.handle(), 0, back)).isEqualTo(4);
        assertThat(data.holds(open.attr().ino())).isTrue();
        vfs.release(open.handle());
        assertThat(data.holds(open.attr().ino())).isFalse();
    }

    @Test
    void fallocateExtendsOrKeepsTheSizeAndRefusesOtherModes() {
        Vfs.Created f = vfs.create(root, "f", 0644, Mode.O_RDWR | Mode.O_CREAT, USER);
        vfs.fallocate(f.handle(), 0, 0, 100);
        assertThat(vfs.getattr(f.attr().ino()).length()).isEqualTo(100);
        vfs.fallocate(f.handle(), Mode.FALLOC_FL_KEEP_SIZE, 0, 1000);
        vfs.fallocate(f.handle(), 0, 10, 20);
        assertThat(vfs.getattr(f.attr().ino()).length()).isEqualTo(100);
        assertErrno(Errno.EOPNOTSUPP, () -> vfs.fallocate(f.handle(), 3, 0, 10));
        assertErrno(Errno.EINVAL, () -> vfs.fallocate(f.handle(), 0, 0, 0));
        long readOnly = vfs.open(f.attr().ino(), Mode.O_RDONLY);
        assertErrno(Errno.EBADF, () -> vfs.fallocate(readOnly, 0, 0, 1000));
    }

    @Test
    void chownClearsSetuidAndExecutableSetgidOfFiles() {
        long tool = newFile(root, "tool", "x");
        vfs.setattr(tool, SetAttr.chmod(06755));
        vfs.setattr(tool, SetAttr.chown(null, 42));
        assertThat(vfs.getattr(tool).mode() & 07777).isEqualTo(0755);
        long marked = newFile(root, "marked", "x");
        vfs.setattr(marked, SetAttr.chmod(02644));
        vfs.setattr(marked, SetAttr.chown(7, null));
        assertThat(vfs.getattr(marked).mode() & 07777).isEqualTo(02644);
        Attr dir = vfs.mkdir(root, "d", 02775, USER);
        vfs.setattr(dir.ino(), SetAttr.chown(7, 7));
        assertThat(vfs.getattr(dir.ino()).mode() & 07777).isEqualTo(02775);
    }

    @Test
    void accessCountsSupplementaryGroups() {
        long doc = newFile(root, "doc", "d");
        vfs.setattr(doc, SetAttr.chown(0, 4242));
        vfs.setattr(doc, SetAttr.chmod(0060));
        vfs.access(doc, Mode.R_OK | Mode.W_OK, new Caller(1000, 1000, List.of(4242)));
        assertErrno(Errno.EACCES, () -> vfs.access(doc, Mode.R_OK, new Caller(1000, 1000, List.of(17))));
    }
}
