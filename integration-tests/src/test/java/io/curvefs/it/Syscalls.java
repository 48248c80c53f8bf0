package io.curvefs.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The Linux system calls the POSIX tests make, called through libc so that every failure comes
 * back as its exact errno (Java NIO folds several errnos into one exception type). Each call
 * answers "OK" or the errno's name, which makes assertions read like the man pages.
 */
final class Syscalls {

    static final String OK = "OK";

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 01;
    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_TRUNC = 01000;
    static final int O_APPEND = 02000;
    static final int O_DIRECTORY = 0200000;
    static final int O_NOFOLLOW = 0400000;

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final long UTIME_NOW = (1L << 30) - 1;
    static final long UTIME_OMIT = (1L << 30) - 2;

    /** struct dirent64 on x86-64: d_ino, d_off (8 bytes each), d_reclen (2), d_type (1), d_name. */
    private static final int DIRENT_TYPE_OFFSET = 18;
    private static final int DIRENT_NAME_OFFSET = 19;

    static final int FALLOC_FL_KEEP_SIZE = 1;
    static final int FALLOC_FL_PUNCH_HOLE = 2;
    static final int FALLOC_FL_ZERO_RANGE = 0x10;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;

    static final int RENAME_NOREPLACE = 1;
    static final int RENAME_EXCHANGE = 2;
    static final int XATTR_CREATE = 1;
    static final int XATTR_REPLACE = 2;

    /** The libc functions used; jnr-ffi saves errno after each call. */
    public interface LibC {
        int open(String path, int flags, int mode);

        int close(int fd);

        long pread(int fd, byte[] buf, long count, long offset);

        long pwrite(int fd, byte[] buf, long count, long offset);

        long write(int fd, byte[] buf, long count);

        int ftruncate(int fd, long length);

        int truncate(String path, long length);

        int fsync(int fd);

        int mkdir(String path, int mode);

        int rmdir(String path);

        int unlink(String path);

        int rename(String from, String to);

        int renameat2(int olddirfd, String from, int newdirfd, String to, int flags);

        int link(String existing, String newPath);

        int symlink(String target, String linkPath);

        long readlink(String path, byte[] buf, long size);

        int chmod(String path, int mode);

        int chown(String path, int uid, int gid);

        int mkfifo(String path, int mode);

        int utimensat(int dirfd, String path, long[] times, int flags);

        int setxattr(String path, String name, byte[] value, long size, int flags);

        long getxattr(String path, String name, byte[] value, long size);

        long listxattr(String path, byte[] list, long size);

        int removexattr(String path, String name);

        int umask(int mask);

        int fallocate(int fd, int mode, long offset, long length);

        long lseek(int fd, long offset, int whence);

        Pointer opendir(String path);

        Pointer readdir64(Pointer dir);

        int closedir(Pointer dir);
    }

    static final LibC C = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true).load("c");

    private Syscalls() {
    }

    /** "OK" for a non-negative result, else the name of the errno the call set. */
    static String result(long rc) {
        if (rc >= 0) {
            return OK;
        }
        return errnoName(Runtime.getRuntime(C).getLastError());
    }

    static String errnoName(int errno) {
        Errno known = Errno.valueOf(errno);
        return known == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : known.name();
    }

    static int lastErrno() {
        return Runtime.getRuntime(C).getLastError();
    }

    static String s(Path p) {
        return p.toString();
    }

    static String open(Path p, int flags) {
        return open(p, flags, 0644);
    }

    /** Opens and closes at once: only the outcome counts. */
    static String open(Path p, int flags, int mode) {
        int fd = C.open(s(p), flags, mode);
        String outcome = result(fd);
        if (fd >= 0) {
            C.close(fd);
        }
        return outcome;
    }

    /** Opens and returns the descriptor, failing the test if open fails. */
    static int fd(Path p, int flags, int mode) {
        int fd = C.open(s(p), flags, mode);
        if (fd < 0) {
            throw new AssertionError("open " + p + " failed: " + result(fd));
        }
        return fd;
    }

    static int fd(Path p, int flags) {
        return fd(p, flags, 0644);
    }

    static void close(int fd) {
        if (C.close(fd) != 0) {
            throw new AssertionError("close failed: " + result(-1));
        }
    }

    static void pwrite(int fd, String text, long offset) {
        pwrite(fd, text.getBytes(StandardCharsets.UTF_8), offset);
    }

    static void pwrite(int fd, byte[] bytes, long offset) {
        long n = C.pwrite(fd, bytes, bytes.length, offset);
        if (n != bytes.length) {
            throw new AssertionError("pwrite wrote " + n + ": " + result(n));
        }
    }

    static void write(int fd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long n = C.write(fd, bytes, bytes.length);
        if (n != bytes.length) {
            throw new AssertionError("write wrote " + n + ": " + result(n));
        }
    }

    static byte[] pread(int fd, int count, long offset) {
        byte[] buf = new byte[count];
        long n = C.pread(fd, buf, count, offset);
        if (n < 0) {
            throw new AssertionError("pread failed: " + result(n));
        }
        byte[] got = new byte[(int) n];
        System.arraycopy(buf, 0, got, 0, got.length);
        return got;
    }

    static String mkdir(Path p, int mode) {
        return result(C.mkdir(s(p), mode));
    }

    static String rmdir(Path p) {
        return result(C.rmdir(s(p)));
    }

    static String unlink(Path p) {
        return result(C.unlink(s(p)));
    }

    static String rename(Path from, Path to) {
        return result(C.rename(s(from), s(to)));
    }

    static String link(Path existing, Path newPath) {
        return result(C.link(s(existing), s(newPath)));
    }

    static String symlink(String target, Path linkPath) {
        return result(C.symlink(target, s(linkPath)));
    }

    static String readlink(Path p) {
        byte[] buf = new byte[4096];
        long n = C.readlink(s(p), buf, buf.length);
        if (n < 0) {
            return "!" + result(n);
        }
        return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    static String chmod(Path p, int mode) {
        return result(C.chmod(s(p), mode));
    }

    static String chown(Path p, int uid, int gid) {
        return result(C.chown(s(p), uid, gid));
    }

    static String truncate(Path p, long length) {
        return result(C.truncate(s(p), length));
    }

    static String mkfifo(Path p, int mode) {
        return result(C.mkfifo(s(p), mode));
    }

    /** utimensat(AT_FDCWD, p, {atime, mtime}, 0) with (seconds, nanoseconds) pairs. */
    static String utimens(Path p, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        return result(C.utimensat(AT_FDCWD, s(p), new long[] {atimeSec, atimeNsec, mtimeSec, mtimeNsec}, 0));
    }

    static String setxattr(Path p, String name, String value, int flags) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return result(C.setxattr(s(p), name, bytes, bytes.length, flags));
    }

    /** getxattr into a buffer of {@code size} bytes; the value, or "!" and the errno. */
    static String getxattr(Path p, String name, int size) {
        byte[] buf = new byte[Math.max(size, 1)];
        long n = C.getxattr(s(p), name, size == 0 ? null : buf, size);
        if (n < 0) {
            return "!" + result(n);
        }
        return size == 0 ? String.valueOf(n) : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    static String removexattr(Path p, String name) {
        return result(C.removexattr(s(p), name));
    }

    /** The NUL-separated names listxattr returns, joined by commas in the order given. */
    static String listxattr(Path p) {
        byte[] buf = new byte[65536];
        long n = C.listxattr(s(p), buf, buf.length);
        if (n < 0) {
            return "!" + result(n);
        }
        return new String(buf, 0, (int) n, StandardCharsets.UTF_8).replace('\0', ',');
    }

    /** Each name of a directory with the d_type readdir gives it (DT_FIFO 1, DT_DIR 4, DT_REG 8, DT_LNK 10). */
    static Map<String, Integer> direntTypes(Path dir) {
        Pointer stream = C.opendir(s(dir));
        if (stream == null) {
            throw new AssertionError("opendir " + dir + " failed: " + result(-1));
        }
        try {
            Map<String, Integer> types = new TreeMap<>();
            for (Pointer entry = C.readdir64(stream); entry != null; entry = C.readdir64(stream)) {
                types.put(entry.getString(DIRENT_NAME_OFFSET), (int) entry.getByte(DIRENT_TYPE_OFFSET));
            }
            return types;
        } finally {
            C.closedir(stream);
        }
    }

    static String fallocate(int fd, int mode, long offset, long length) {
        return result(C.fallocate(fd, mode, offset, length));
    }

    static int umask() {
        int mask = C.umask(022);
        C.umask(mask);
        return mask;
    }
}
