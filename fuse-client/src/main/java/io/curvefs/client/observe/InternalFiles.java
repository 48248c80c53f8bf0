package io.curvefs.client.observe;

import io.curvefs.client.vfs.Errno;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Timespec;
import java.nio.charset.StandardCharsets;
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

    public int getattr(String path, FileStat stat) {
        boolean log = ACCESS_LOG.equals(path);
        stat.st_ino.set(log ? ACCESS_LOG_INO : STATS_INO);
        stat.st_mode.set(log ? 0100400 : 0100444);
        stat.st_nlink.set(1);
        stat.st_size.set(0);
        stat.st_blksize.set(4096);
        for (Timespec t : new Timespec[] {stat.st_atim, stat.st_mtim, stat.st_ctim}) {
            t.tv_sec.set(createdSeconds);
        }
        return 0;
    }

    /** Opens the file at {@code path} with direct I/O; the handle goes to {@code fi.fh}. */
    public int open(String path, FuseFileInfo fi) {
        if ((fi.flags.get() & 3) != 0) {
            return -Errno.EACCES.value();
        }
        long handle = nextHandle.getAndIncrement();
        open.put(handle, ACCESS_LOG.equals(path) ? accessLog.open()
                : new Snapshot(StatsText.render(PrometheusRegistry.defaultRegistry).getBytes(StandardCharsets.UTF_8)));
        fi.fh.set(handle);
        setDirectIo(fi);
        return 0;
    }

    /**
     * libfuse 2's fuse_file_info has {@code int writepage} before the bit field that holds
     * direct_io (bit 0), and that field ends right before {@code fh}; jnr-fuse names the bytes
     * differently, so the bit is set by its place relative to {@code fh}.
     */
    private static void setDirectIo(FuseFileInfo fi) {
        long bitsOffset = MemberOffset.of(fi.fh) - 4;
        Pointer memory = Struct.getMemory(fi);
        memory.putByte(bitsOffset, (byte) (memory.getByte(bitsOffset) | 1));
    }

    /** Up to {@code size} bytes from {@code offset}; .accesslog ignores the offset (it is a stream). */
    public int read(FuseFileInfo fi, Pointer buf, long size, long offset) {
        Object file = open.get(fi.fh.get());
        byte[] bytes;
        try {
            if (file instanceof AccessLog.Reader reader) {
                bytes = reader.read((int) size, ACCESS_LOG_WAIT_MILLIS);
            } else if (file instanceof Snapshot snapshot) {
                bytes = snapshot.read(offset, (int) size);
            } else {
                return -Errno.EBADF.value();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -Errno.EIO.value();
        }
        buf.put(0, bytes, 0, bytes.length);
        return bytes.length;
    }

    public int release(FuseFileInfo fi) {
        if (open.remove(fi.fh.get()) instanceof AccessLog.Reader reader) {
            reader.close();
        }
        return 0;
    }

    /** jnr-ffi shows a struct member's offset only inside subclasses of {@link Struct}. */
    private static final class MemberOffset extends Struct {
        private MemberOffset() {
            super(Runtime.getSystemRuntime());
        }

        static long of(Struct.NumberField member) {
            return member.offset();
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
