package io.curvefs.client.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Directory statistics and the warmup control, through the VFS's xattr calls. */
class ControlXattrsTest {

    private static final Caller USER = new Caller(1000, 1000);
    private final Vfs vfs = new Vfs(new InMemoryMetaClient(), new InMemoryDataStore(),
            () -> new FsStats(4096, 1 << 30, 4096, 1000, 3));
    private final long root = vfs.rootIno();

    private long file(long dir, String name, int bytes) {
        Vfs.Created created = vfs.create(dir, name, 0644, Mode.O_RDWR | Mode.O_CREAT, USER);
        vfs.write(created.handle(), 0, ByteBuffer.wrap(new byte[bytes]));
        vfs.release(created.handle());
        return created.attr().ino();
    }

    private String xattr(long ino, String name) {
        return new String(vfs.getxattr(ino, name), StandardCharsets.UTF_8);
    }

    @Test
    void directoryStatisticsCountOneLevelAndTheWholeTree() {
        long top = vfs.mkdir(root, "top", 0755, USER).ino();
        file(top, "a", 10);
        file(top, "b", 5);
        long sub = vfs.mkdir(top, "sub", 0755, USER).ino();
        file(sub, "c", 100);
        vfs.mkdir(sub, "deeper", 0755, USER);

        assertThat(xattr(top, "curve.dir.files")).isEqualTo("2");
        assertThat(xattr(top, "curve.dir.subdirs")).isEqualTo("1");
        assertThat(xattr(top, "curve.dir.entries")).isEqualTo("3");
        assertThat(xattr(top, "curve.dir.fbytes")).isEqualTo("15");
        assertThat(xattr(top, "curve.dir.rfiles")).isEqualTo("3");
        assertThat(xattr(top, "curve.dir.rsubdirs")).isEqualTo("2");
        assertThat(xattr(top, "curve.dir.rentries")).isEqualTo("5");
        assertThat(xattr(top, "curve.dir.rfbytes")).isEqualTo("115");
        assertThat(vfs.listxattr(top)).contains("curve.dir.rfiles", "curve.dir.rsubdirs", "curve.dir.rentries",
                "curve.dir.rfbytes");

        long plain = file(top, "plain", 1);
        assertThat(vfs.listxattr(plain)).doesNotContain("curve.dir.rfiles");
        assertThatThrownBy(() -> vfs.getxattr(plain, "curve.dir.files"))
                .isInstanceOfSatisfying(VfsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODATA));
        assertThatThrownBy(() -> vfs.setxattr(top, "curve.dir.files", "9".getBytes(), 0))
                .isInstanceOfSatisfying(VfsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
    }

    @Test
    void warmupRunsThroughTheXattrInterfaceAndReportsProgress() throws Exception {
        long dir = vfs.mkdir(root, "data", 0755, USER).ino();
        file(dir, "one", 3000);
        file(vfs.mkdir(dir, "inner", 0755, USER).ino(), "two", 7000);

        vfs.setxattr(dir, "curvefs.warmup.op", "add\nsingle\n/data\ndisk\n/mnt\n/".getBytes(), 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!xattr(dir, "curvefs.warmup.op").equals("finished") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(xattr(dir, "curvefs.warmup.op")).isEqualTo("finished");
        assertThat(xattr(dir, "curvefs.warmup.progress"))
                .isEqualTo("finished files=2/2 bytes=10000/10000 errors=0 listed=true");
        assertThat(xattr(root, "curvefs.warmup.op.list")).isEmpty();

        assertThatThrownBy(() -> vfs.setxattr(dir, "curvefs.warmup.op", "add\nsingle".getBytes(), 0))
                .isInstanceOfSatisfying(VfsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ERANGE));
        assertThatThrownBy(() -> vfs.getxattr(root, "curvefs.warmup.progress"))
                .isInstanceOfSatisfying(VfsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODATA));
    }

    @Test
    void warmupOfAListFileLoadsTheFilesItNames() throws Exception {
        file(root, "x", 100);
        file(root, "y", 200);
        Vfs.Created list = vfs.create(root, "list.txt", 0644, Mode.O_RDWR | Mode.O_CREAT, USER);
        vfs.write(list.handle(), 0, ByteBuffer.wrap("/mnt/x\n/mnt/y\n/mnt/missing\n".getBytes()));
        vfs.release(list.handle());
        long listIno = list.attr().ino();

        vfs.setxattr(listIno, "curvefs.warmup.op", "add\nlist\n/list.txt\ndisk\n/mnt\n/".getBytes(), 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (xattr(listIno, "curvefs.warmup.progress").startsWith("running") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(xattr(listIno, "curvefs.warmup.progress"))
                .isEqualTo("finished files=2/2 bytes=300/300 errors=1 listed=true");
    }
}
