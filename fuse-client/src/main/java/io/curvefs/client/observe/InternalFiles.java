package io.curvefs.client.observe;

import io.curvefs.client.vfs.Errno;
import io.curvefs.client.meta.Attr;
import io.curvefs.client.meta.InodeType;
import io.curvefs.client.vfs.VfsException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mount's introspection files at the root, {@code .accesslog} and {@code .stats}, as JuiceFS
 * has them. They exist only here, never in the metadata: readdir does not list them, lookups of
 * their paths are answered before the file system sees them, and they shadow real files of the
 * same name at the root. Both are read with direct I/O (size 0, the kernel asks each time):
 * {@code .accesslog} streams, {@code .stats} is a snapshot taken at open.
 */
public final class InternalFiles {

    public static final String ACCESS_LOG = "/.accesslog";
    public static final String STATS = "/.stats";
    /** Inode numbers out of the range the metaservers allocate. */
    private static final long ACCESS_LOG_INO = 0x7FFF_FFFF_0000_0001L;
    private static final long STATS_INO = 0x7FFF_FFFF_0000_0002L;
    /** Handles out of the range the VFS hands out. */
    private static final long FIRST_HANDLE = 1L << 62;
    /** How long a read of .accesslog waits for a line before answering a keep-alive line. */
    private static final long ACCESS_LOG_WAIT_MILLIS = 1000;

    private final AccessLog accessLog = new AccessLog();
    private final long createdSeconds = System.currentTimeMillis() / 1000;
    private final AtomicLong nextHandle = new AtomicLong(FIRST_HANDLE);
    private final Map<Long, Object> open = new ConcurrentHashMap<>();

    public AccessLog accessLog() {
        return accessLog;
    }

    /** Whether {@code path} names one of these files. */
    public boolean owns(String path) {
        return ACCESS_LOG.equals(path) || STATS.equals(path);
    }

    /** The inode of the file at {@code path}, or -1 if it is not one of these files. */
    public long inoOf(String path) {
        return ACCESS_LOG.equals(path) ? ACCESS_LOG_INO : STATS.equals(path) ? STATS_INO : -1;
    }

    public boolean ownsIno(long ino) {
        return ino == ACCESS_LOG_INO || ino == STATS_INO;
    }

    public boolean ownsHandle(long handle) {
        return handle >= FIRST_HANDLE;
    }

    /** The attributes of one of these files: empty, read-only, created with the mount. */
    public Attr attr(long ino) {
        long created = createdSeconds * 1_000_000_000L;
        int mode = ino == ACCESS_LOG_INO ? 0100400 : 0100444;
        return new Attr(ino, InodeType.FILE, mode, 0, 0, 1, 0, 0, created, created, created, "", List.of());
    }

    /**
     * Opens one of these files for reading (they are read with direct I/O: size 0, the kernel asks
     * each time) and returns its handle.
     */
    public long open(long ino, int flags) {
        if ((flags & 3) != 0) {
            throw new VfsException(Errno.EACCES);
        }
        long handle = nextHandle.getAndIncrement();
        open.put(handle, ino == ACCESS_LOG_INO ? accessLog.open()
                : new Snapshot(StatsText.render(PrometheusRegistry.defaultRegistry).getBytes(StandardCharsets.UTF_8)));
        return handle;
    }

    /** Up to {@code size} bytes from {@code offset}; .accesslog ignores the offset (it is a stream). */
    public byte[] read(long handle, int size, long offset) {
        Object file = open.get(handle);
        try {
            if (file instanceof AccessLog.Reader reader) {
                return reader.read(size, ACCESS_LOG_WAIT_MILLIS);
            } else if (file instanceof Snapshot snapshot) {
                return snapshot.read(offset, size);
            }
            throw new VfsException(Errno.EBADF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VfsException(Errno.EIO);
        }
    }

    public void release(long handle) {
        if (open.remove(handle) instanceof AccessLog.Reader reader) {
            reader.close();
        }
    }

    private record Snapshot(byte[] bytes) {
        byte[] read(long offset, int size) {
            if (offset >= bytes.length) {
                return new byte[0];
            }
            int from = (int) offset;
            return java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size));
        }
    }
}
