package io.curvefs.client.fuse;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * An open {@code /dev/fuse} connection and the mount it serves, through libc (jnr-ffi): open,
 * read and write of whole FUSE messages, mount(2) and umount2(2). Mounting this way needs
 * CAP_SYS_ADMIN (root); without it the libfuse binding, which mounts through fusermount, is used.
 */
final class FuseDevice implements AutoCloseable {

    /** The libc calls this binding needs. */
    public interface LibC {
        int open(String path, int flags);

        long read(int fd, @Out ByteBuffer buffer, long count);

        long write(int fd, @In ByteBuffer buffer, long count);

        int close(int fd);

        int mount(String source, String target, String type, long flags, String data);

        int umount2(String target, int flags);

        String strerror(int errno);
    }

    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENODEV = 19;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 02000000;
    private static final int MNT_DETACH = 2;
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_SYNCHRONOUS = 16;
    static final long MS_DIRSYNC = 128;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_RELATIME = 1 << 21;

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private final int fd;
    private volatile boolean closed;

    private FuseDevice(int fd) {
        this.fd = fd;
    }

    static FuseDevice open() {
        int fd = LIBC.open("/dev/fuse", O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("cannot open /dev/fuse: " + lastError());
        }
        return new FuseDevice(fd);
    }

    int fd() {
        return fd;
    }

    /** mount(2) of this connection at {@code point}; {@code options} without the fd, rootmode and ids. */
    void mount(Path point, String source, String type, long flags, String options) {
        String data = "fd=" + fd + ",rootmode=40000,user_id=0,group_id=0" + (options.isEmpty() ? "" : "," + options);
        if (LIBC.mount(source, point.toString(), type, flags, data) != 0) {
            throw new IllegalStateException("mount(2) of " + point + " failed: " + lastError());
        }
    }

    /** Detaches the mount at {@code point}; false if it was not mounted (any more). */
    static boolean unmount(Path point) {
        return LIBC.umount2(point.toString(), MNT_DETACH) == 0;
    }

    /**
     * Reads one request into {@code buffer} (from position 0; its limit is set to the request's
     * length). Returns the length, or the negative errno: -ENODEV once the file system is
     * unmounted, -ENOENT for a request the kernel dropped (interrupted), -EINTR.
     */
    int read(ByteBuffer buffer) {
        buffer.clear();
        long n = LIBC.read(fd, buffer, buffer.capacity());
        if (n < 0) {
            return -RUNTIME.getLastError();
        }
        buffer.limit((int) n);
        return (int) n;
    }

    /**
     * Writes one reply (position 0 to limit). Returns 0 or the negative errno; -ENOENT means the
     * request was interrupted and the kernel no longer waits for it, which is not a failure.
     */
    int write(ByteBuffer reply) {
        long n = LIBC.write(fd, reply, reply.limit());
        return n < 0 ? -RUNTIME.getLastError() : 0;
    }

    static String describe(int errno) {
        return LIBC.strerror(errno) + " (errno " + errno + ")";
    }

    private static String lastError() {
        return describe(RUNTIME.getLastError());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LIBC.close(fd);
        }
    }
}
