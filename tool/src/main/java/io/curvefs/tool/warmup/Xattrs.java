package io.curvefs.tool.warmup;

import io.curvefs.tool.ToolFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * setxattr/getxattr through libc: the JDK only reaches the "user." namespace, and the mount's
 * control names ({@code curvefs.warmup.op}) are outside it.
 */
final class Xattrs {

    private static final int ENODATA = 61;
    private static final int EEXIST = 17;
    private static final int MAX_VALUE = 65536;

    public interface LibC {
        int setxattr(String path, String name, byte[] value, long size, int flags);

        long getxattr(String path, String name, byte[] value, long size);

        String strerror(int errno);
    }

    private final LibC libc = LibraryLoader.create(LibC.class).load("c");
    private final Runtime runtime = Runtime.getRuntime(libc);

    /** Sets the value; false when the mount answers EEXIST (for warmup: a job already runs there). */
    boolean set(Path path, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (libc.setxattr(path.toString(), name, bytes, bytes.length, 0) == 0) {
            return true;
        }
        if (LastError.getLastError(runtime) == EEXIST) {
            return false;
        }
        throw failure("setxattr " + name, path);
    }

    /** The value, or null when the name is not set (ENODATA). */
    String get(Path path, String name) {
        byte[] buffer = new byte[MAX_VALUE];
        long n = libc.getxattr(path.toString(), name, buffer, buffer.length);
        if (n < 0) {
            if (LastError.getLastError(runtime) == ENODATA) {
                return null;
            }
            throw failure("getxattr " + name, path);
        }
        return new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
    }

    private ToolFailure failure(String call, Path path) {
        int errno = LastError.getLastError(runtime);
        return new ToolFailure(call + " on " + path + ": " + libc.strerror(errno)
                + (errno == 95 || errno == 61 ? " (is it on a curvefs mount?)" : ""));
    }
}
