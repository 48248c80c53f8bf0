package io.curvefs.client.fuse;

import io.curvefs.client.meta.Attr;
import io.curvefs.client.metrics.FuseMetrics;
import io.curvefs.client.observe.AccessLog;
import io.curvefs.client.observe.InternalFiles;
import io.curvefs.client.meta.DirEntry;
import io.curvefs.client.vfs.Caller;
import io.curvefs.client.vfs.DirListing;
import io.curvefs.client.vfs.Errno;
import io.curvefs.client.vfs.FsStats;
import io.curvefs.client.vfs.Mode;
import io.curvefs.client.vfs.SetAttr;
import io.curvefs.client.vfs.Vfs;
import io.curvefs.client.vfs.VfsException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * Translates libfuse's path-based high-level calls into {@link Vfs} calls on inode ids, and
 * errors into negative errnos. A path is resolved by walking its components from the root with
 * {@link Vfs#resolve}, which the metadata client's dentry cache answers without RPCs while warm.
 * Calls on open files use the handle stored in {@code fi.fh}. Nothing here holds state or policy.
 */
final class CurveFuseFs extends FuseStubFS {

    private static final Logger LOG = LoggerFactory.getLogger(CurveFuseFs.class);
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    /** st_blksize: tools size their buffers by it (cp, cat, Python's io), so big I/O reaches us in big calls. */
    private static final int BLOCK_SIZE = 1 << 20;
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';
    private static final int FLAG_NULLPATH_OK = 1;
    private static final int FLAG_UTIME_OMIT_OK = 1 << 2;
    private static final int DIRECT_IO_BIT = 1;
    private static final int KEEP_CACHE_BIT = 1 << 1;

    private final Vfs vfs;
    private final Runnable onDestroy;
    private final InternalFiles internalFiles = new InternalFiles();

    CurveFuseFs(Vfs vfs, Runnable onDestroy) {
        this.vfs = vfs;
        this.onDestroy = onDestroy;
        enableLibfuseFlags();
    }

    /**
     * Sets two of the flag bits that follow {@code bmap} in libfuse 2's fuse_operations, which
     * jnr-fuse models as padding and leaves 0. nullpath_ok: calls on an open file whose last name
     * was removed (the mount uses hard_remove) reach us with a NULL path instead of failing with
     * ENOENT in libfuse; they use the handle only. utime_omit_ok: libfuse passes UTIME_NOW and
     * UTIME_OMIT through; without it, libfuse silently drops a utimensat that sets only one time.
     */
    private void enableLibfuseFlags() {
        long offset = MemberOffset.of(fuseOperations.flag_nullpath_ok);
        Struct.getMemory(fuseOperations).putByte(offset, (byte) (FLAG_NULLPATH_OK | FLAG_UTIME_OMIT_OK));
    }

    /**
     * Sets direct_io (bit 0) or keep_cache (bit 1) in libfuse 2's fuse_file_info: bits of the
     * 32-bit bit-field word that directly precedes {@code fh} (jnr-fuse models the bits as separate
     * padding bytes, at the wrong places, so the word is found from the offset of {@code fh}).
     */
    private static void setOpenBits(FuseFileInfo fi, int bits) {
        long word = MemberOffset.of(fi.fh) - 4;
        jnr.ffi.Pointer memory = Struct.getMemory(fi);
        memory.putInt(word, memory.getInt(word) | bits);
    }

    /** jnr-ffi shows a struct member's offset only inside subclasses of {@link Struct}. */
    private static final class MemberOffset extends Struct {
        private MemberOffset() {
            super(Runtime.getSystemRuntime());
        }

        static long of(Struct.Padding member) {
            return ((AbstractMember) member).offset();
        }

        static long of(Struct.u_int64_t member) {
            return member.offset();
        }
    }

    // ---- translation helpers

    private record Parent(long ino, String name) {
    }

    private long ino(String path) {
        if (path == null) {
            throw new VfsException(Errno.ENOENT);
        }
        checkDecoded(path);
        long current = vfs.rootIno();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                DirEntry entry = vfs.resolve(current, part);
                current = entry.ino();
            }
        }
        return current;
    }

    /**
     * jnr-fuse hands us paths decoded from UTF-8, and bytes that are not UTF-8 arrive as U+FFFD,
     * so distinct names such as "\xff" and "\xfe" would silently become one. Such paths fail
     * with EILSEQ instead (a name really containing U+FFFD is refused as well).
     */
    private static void checkDecoded(String path) {
        if (path.indexOf(REPLACEMENT_CHARACTER) >= 0) {
            throw new VfsException(Errno.EILSEQ);
        }
    }

    private Parent parent(String path) {
        checkDecoded(path);
        int slash = path.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : path.substring(0, slash);
        return new Parent(ino(dir), path.substring(slash + 1));
    }

    private Caller caller() {
        var context = getContext();
        return new Caller(context.uid.intValue(), context.gid.intValue());
    }

    /** The caller with its supplementary groups, which libfuse 2 leaves out of its context. */
    private Caller callerWithGroups() {
        var context = getContext();
        return new Caller(context.uid.intValue(), context.gid.intValue(),
                ProcessGroups.of(context.pid.intValue()));
    }

    private int run(String op, String path, Supplier<Integer> call) {
        long started = System.nanoTime();
        int result = answer(op, path, call);
        try {
            FuseMetrics.record(op, started, result);
            if (internalFiles.accessLog().active() && !internalFiles.owns(path)) {
                var c = getContext();
                internalFiles.accessLog().record(new AccessLog.Caller(c.uid.longValue(), c.gid.longValue(),
                        c.pid.longValue()), op, path, result, started);
            }
        } catch (RuntimeException e) {
            LOG.warn("metrics of {} not recorded: {}", op, e.toString());
        }
        return result;
    }

    private static int answer(String op, String path, Supplier<Integer> call) {
        try {
            return call.get();
        } catch (VfsException e) {
            return -e.errno().value();
        } catch (RuntimeException e) {
            LOG.error("{} {} failed: {}", op, path, e.toString());
            return -Errno.EIO.value();
        } catch (OutOfMemoryError e) {
            LOG.error("{} {} failed: out of heap memory ({}); give the mount a larger -Xmx or smaller buffers",
                    op, path, e.getMessage());
            return -Errno.ENOMEM.value();
        }
    }

    private static int ok(Runnable call) {
        call.run();
        return 0;
    }

    private static void fill(Attr attr, FileStat stat) {
        stat.st_ino.set(attr.ino());
        stat.st_mode.set(attr.mode());
        stat.st_nlink.set(attr.nlink());
        stat.st_uid.set(attr.uid());
        stat.st_gid.set(attr.gid());
        stat.st_rdev.set(attr.rdev());
        stat.st_size.set(attr.length());
        stat.st_blksize.set(BLOCK_SIZE);
        stat.st_blocks.set((attr.length() + 511) / 512);
        setTime(stat.st_atim, attr.atime());
        setTime(stat.st_mtim, attr.mtime());
        setTime(stat.st_ctim, attr.ctime());
    }

    private static void setTime(Timespec t, long nanos) {
        t.tv_sec.set(Math.floorDiv(nanos, 1_000_000_000L));
        t.tv_nsec.set(Math.floorMod(nanos, 1_000_000_000L));
    }

    private static Long time(Timespec t) {
        long nsec = t.tv_nsec.longValue();
        if (nsec == UTIME_OMIT) {
            return null;
        }
        if (nsec == UTIME_NOW) {
            return SetAttr.NOW;
        }
        return t.tv_sec.get() * 1_000_000_000L + nsec;
    }

    private static Integer id(long value) {
        return value == -1 || value == 0xffffffffL ? null : (int) value;
    }

    // ---- attributes

    @Override
    public int getattr(String path, FileStat stat) {
        if (internalFiles.owns(path)) {
            return ok(() -> fill(internalFiles.attr(internalFiles.inoOf(path)), stat));
        }
        return run("getattr", path, () -> ok(() -> fill(vfs.getattr(ino(path)), stat)));
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        if (internalFiles.owns(path)) {
            return ok(() -> fill(internalFiles.attr(internalFiles.inoOf(path)), stat));
        }
        return run("fgetattr", path, () -> ok(() -> fill(vfs.getattrOfHandle(fi.fh.get()), stat)));
    }

    @Override
    public int chmod(String path, @mode_t long mode) {
        return run("chmod", path, () -> ok(() -> vfs.setattr(ino(path), SetAttr.chmod((int) mode))));
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return run("chown", path, () -> ok(() -> vfs.setattr(ino(path), SetAttr.chown(id(uid), id(gid)))));
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return run("truncate", path, () -> ok(() -> vfs.setattr(ino(path), SetAttr.truncate(size))));
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        return run("ftruncate", path, () -> ok(() -> vfs.setattrOfHandle(fi.fh.get(), SetAttr.truncate(size))));
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return run("utimens", path, () -> ok(() -> vfs.setattr(ino(path),
                SetAttr.times(time(timespec[0]), time(timespec[1])))));
    }

    @Override
    public int access(String path, int mask) {
        return run("access", path, () -> ok(() -> vfs.access(ino(path), mask, callerWithGroups())));
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        return run("readlink", path, () -> {
            byte[] target = vfs.readlink(ino(path)).getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs out) {
        return run("statfs", path, () -> {
            FsStats s = vfs.statfs();
            long blocks = s.capacityBytes() / s.blockSize();
            long free = Math.max(0, s.capacityBytes() - s.usedBytes()) / s.blockSize();
            out.f_bsize.set(s.blockSize());
            out.f_frsize.set(s.blockSize());
            out.f_blocks.set(blocks);
            out.f_bfree.set(free);
            out.f_bavail.set(free);
            out.f_files.set(s.totalInodes());
            out.f_ffree.set(Math.max(0, s.totalInodes() - s.usedInodes()));
            out.f_favail.set(Math.max(0, s.totalInodes() - s.usedInodes()));
            out.f_namemax.set(Vfs.NAME_MAX);
            return 0;
        });
    }

    // ---- names

    @Override
    public int mknod(String path, @mode_t long mode, long rdev) {
        return run("mknod", path, () -> {
            Parent p = parent(path);
            vfs.mknod(p.ino(), p.name(), (int) mode, rdev, caller());
            return 0;
        });
    }

    @Override
    public int mkdir(String path, @mode_t long mode) {
        return run("mkdir", path, () -> {
            Parent p = parent(path);
            vfs.mkdir(p.ino(), p.name(), (int) mode, caller());
            return 0;
        });
    }

    @Override
    public int symlink(String target, String linkPath) {
        return run("symlink", linkPath, () -> {
            checkDecoded(target);
            Parent p = parent(linkPath);
            vfs.symlink(p.ino(), p.name(), target, caller());
            return 0;
        });
    }

    @Override
    public int link(String existing, String newPath) {
        return run("link", newPath, () -> {
            long ino = ino(existing);
            Parent p = parent(newPath);
            vfs.link(ino, p.ino(), p.name());
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return run("unlink", path, () -> {
            Parent p = parent(path);
            vfs.unlink(p.ino(), p.name());
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return run("rmdir", path, () -> {
            Parent p = parent(path);
            vfs.rmdir(p.ino(), p.name());
            return 0;
        });
    }

    @Override
    public int rename(String oldPath, String newPath) {
        return run("rename", oldPath, () -> {
            Parent from = parent(oldPath);
            Parent to = parent(newPath);
            vfs.rename(from.ino(), from.name(), to.ino(), to.name());
            return 0;
        });
    }

    @Override
    public int opendir(String path, FuseFileInfo fi) {
        return run("opendir", path, () -> {
            fi.fh.set(vfs.opendir(ino(path)));
            return 0;
        });
    }

    @Override
    public int releasedir(String path, FuseFileInfo fi) {
        return run("releasedir", path, () -> ok(() -> vfs.releasedir(fi.fh.get())));
    }

    /**
     * Offsets given to the kernel: 1 after ".", 2 after "..", 3 + i after entry i. The kernel
     * comes back with the offset of the last entry it took, so a listing streams in small
     * requests and never sits whole in memory.
     */
    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        return run("readdir", path, () -> {
            long dirHandle = fi.fh.get();
            if (offset == 0 && addEntry(filler, buf, ".", ino(path), Mode.S_IFDIR, 1) != 0) {
                return 0;
            }
            if (offset <= 1 && addEntry(filler, buf, "..", parent(path).ino(), Mode.S_IFDIR, 2) != 0) {
                return 0;
            }
            for (long index = Math.max(0, offset - 2); ; index++) {
                Optional<DirListing> entry = vfs.readdirAt(dirHandle, index);
                if (entry.isEmpty()) {
                    return 0;
                }
                DirListing e = entry.get();
                if (addEntry(filler, buf, e.name(), e.ino(), e.typeBits(), index + 3) != 0) {
                    return 0;
                }
            }
        });
    }

    private static int addEntry(FuseFillDir filler, Pointer buf, String name, long ino, int typeBits, long next) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer cName = ByteBuffer.allocate(utf8.length + 1).put(utf8).put((byte) 0).flip();
        FileStat stat = new FileStat(Runtime.getSystemRuntime());
        stat.st_ino.set(ino);
        stat.st_mode.set(typeBits);
        return filler.apply(buf, cName, Struct.getMemory(stat), next);
    }

    // ---- open files

    @Override
    public int create(String path, @mode_t long mode, FuseFileInfo fi) {
        return run("create", path, () -> {
            Parent p = parent(path);
            fi.fh.set(vfs.create(p.ino(), p.name(), (int) mode, fi.flags.get(), caller()).handle());
            return 0;
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        if (internalFiles.owns(path)) {
            return answer("open", path, () -> {
                fi.fh.set(internalFiles.open(internalFiles.inoOf(path), fi.flags.get()));
                setOpenBits(fi, DIRECT_IO_BIT);
                return 0;
            });
        }
        return run("open", path, () -> {
            long handle = vfs.open(ino(path), fi.flags.get());
            fi.fh.set(handle);
            if (vfs.keepsCache(handle)) {
                setOpenBits(fi, KEEP_CACHE_BIT);
            }
            return 0;
        });
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        if (internalFiles.owns(path)) {
            return answer("read", path, () -> {
                byte[] bytes = internalFiles.read(fi.fh.get(), (int) size, offset);
                buf.put(0, bytes, 0, bytes.length);
                return bytes.length;
            });
        }
        return run("read", path, () -> {
            ByteBuffer dst = ByteBuffer.allocate((int) size);
            int n = vfs.read(fi.fh.get(), offset, dst);
            buf.put(0, dst.array(), 0, n);
            return n;
        });
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return run("write", path, () -> {
            byte[] bytes = new byte[(int) size];
            buf.get(0, bytes, 0, bytes.length);
            return vfs.write(fi.fh.get(), offset, ByteBuffer.wrap(bytes));
        });
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        if (internalFiles.owns(path)) {
            return 0;
        }
        return run("flush", path, () -> ok(() -> vfs.flush(fi.fh.get())));
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return run("fsync", path, () -> ok(() -> vfs.fsync(fi.fh.get())));
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        if (internalFiles.owns(path)) {
            return ok(() -> internalFiles.release(fi.fh.get()));
        }
        return run("release", path, () -> ok(() -> vfs.release(fi.fh.get())));
    }

    // ---- extended attributes

    @Override
    public int setxattr(String path, String name, Pointer value, @size_t long size, int flags) {
        return run("setxattr", path, () -> {
            byte[] bytes = new byte[(int) size];
            value.get(0, bytes, 0, bytes.length);
            vfs.setxattr(ino(path), name, bytes, flags);
            return 0;
        });
    }

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        return run("getxattr", path, () -> {
            byte[] bytes = vfs.getxattr(ino(path), name);
            if (size == 0) {
                return bytes.length;
            }
            if (bytes.length > size) {
                return -Errno.ERANGE.value();
            }
            value.put(0, bytes, 0, bytes.length);
            return bytes.length;
        });
    }

    @Override
    public int listxattr(String path, Pointer list, @size_t long size) {
        return run("listxattr", path, () -> {
            ByteArrayOutputStream names = new ByteArrayOutputStream();
            for (String name : vfs.listxattr(ino(path))) {
                names.writeBytes(name.getBytes(StandardCharsets.UTF_8));
                names.write(0);
            }
            int length = names.size();
            if (size == 0) {
                return length;
            }
            if (length > size) {
                return -Errno.ERANGE.value();
            }
            list.put(0, names.toByteArray(), 0, length);
            return length;
        });
    }

    @Override
    public int removexattr(String path, String name) {
        return run("removexattr", path, () -> ok(() -> vfs.removexattr(ino(path), name)));
    }

    @Override
    public int fallocate(String path, int mode, @off_t long offset, @off_t long length, FuseFileInfo fi) {
        return run("fallocate", path, () -> ok(() -> vfs.fallocate(fi.fh.get(), mode, offset, length)));
    }

    @Override
    public void destroy(Pointer initResult) {
        onDestroy.run();
    }
}
