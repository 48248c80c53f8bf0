package io.curvefs.client.fuse;

import static io.curvefs.client.fuse.KernelProtocol.*;

import io.curvefs.client.meta.Attr;
import io.curvefs.client.metrics.FuseMetrics;
import io.curvefs.client.observe.AccessLog;
import io.curvefs.client.observe.InternalFiles;
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
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves kernel FUSE requests on inode numbers: each request is decoded, answered by one {@link Vfs}
 * call, and encoded back; nothing here holds file system state or policy. Node ids are inode ids
 * (the root is 1 on both sides), so the kernel keeps one node per inode and may cache names and
 * attributes for the configured timeouts without the hard-link hazard of path-based bindings.
 *
 * <p>Lookups are not counted: the VFS keeps nothing per kernel node, so FORGET needs no answer.
 * An OPEN that finds the file changed since this mount last saw it invalidates the kernel's
 * cached attributes too (the page cache is dropped by answering without keep_cache), so that a
 * file grown by another mount reads whole right after open (close-to-open).
 */
final class KernelFuseFs {

    private static final Logger LOG = LoggerFactory.getLogger(KernelFuseFs.class);
    /** st_blksize: tools size their buffers by it (cp, cat, Python's io), so big I/O reaches us in big calls. */
    private static final int BLOCK_SIZE = 1 << 20;
    private static final long DOT_OFFSET = 1;
    private static final long DOTDOT_OFFSET = 2;

    private final Vfs vfs;
    private final KernelOptions options;
    private final InternalFiles internalFiles = new InternalFiles();
    private final Notifier notifier;

    /** Sends notifications (unsolicited messages) to the kernel. */
    interface Notifier {
        /** Drops the kernel's cached attributes of {@code ino} (not its pages): the next use asks GETATTR. */
        void invalidateAttributes(long ino);
    }

    /** What one request is answered with: the header's error and the body written into the reply buffer. */
    static final class Reply {
        private ByteBuffer buffer;
        private int error;
        private boolean none;

        Reply(int capacity) {
            buffer = ByteBuffer.allocateDirect(capacity).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }

        /** The body, positioned after the header, with room for at least {@code bytes}. */
        ByteBuffer body(int bytes) {
            if (buffer.capacity() < OUT_HEADER + bytes) {
                buffer = ByteBuffer.allocateDirect(OUT_HEADER + bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                buffer.position(OUT_HEADER);
            }
            buffer.limit(buffer.capacity());
            return buffer;
        }

        void reset() {
            buffer.clear().position(OUT_HEADER);
            error = 0;
            none = false;
        }

        void error(int errno) {
            buffer.clear().position(OUT_HEADER);
            error = -errno;
        }

        /** The request gets no answer (FORGET, INTERRUPT). */
        void none() {
            none = true;
        }

        boolean hasNone() {
            return none;
        }

        int error() {
            return error;
        }

        /** The whole message, from position 0 to its length. */
        ByteBuffer finish(long unique) {
            int length = buffer.position();
            buffer.putInt(0, length).putInt(4, error).putLong(8, unique);
            buffer.limit(length).position(0);
            return buffer;
        }
    }

    /** One decoded request header and the body after it (positioned at the body). */
    record Request(int opcode, long unique, long nodeId, int uid, int gid, int pid, ByteBuffer in) {
    }

    KernelFuseFs(Vfs vfs, KernelOptions options, Notifier notifier) {
        this.vfs = vfs;
        this.options = options;
        this.notifier = notifier;
        if (vfs.rootIno() != ROOT_ID) {
            throw new IllegalStateException("the root inode is " + vfs.rootIno() + ", the kernel binding needs 1");
        }
    }

    /** Answers one request (not INIT, which the session handles) into {@code reply}. */
    void handle(Request r, Reply reply) {
        reply.reset();
        String op = name(r.opcode());
        long started = System.nanoTime();
        int result;
        try {
            result = dispatch(r, reply);
        } catch (VfsException e) {
            result = -e.errno().value();
        } catch (RuntimeException e) {
            LOG.error("{} on inode {} failed: {}", op, r.nodeId(), e.toString());
            result = -Errno.EIO.value();
        } catch (OutOfMemoryError e) {
            LOG.error("{} on inode {} failed: out of heap memory ({}); give the mount a larger -Xmx or smaller buffers",
                    op, r.nodeId(), e.getMessage());
            result = -Errno.ENOMEM.value();
        }
        if (result < 0) {
            reply.error(-result);
        }
        if (reply.hasNone()) {
            return;
        }
        try {
            FuseMetrics.record(op, started, result);
            // reading .accesslog must not feed itself: each read would log a line to read
            if (internalFiles.accessLog().active() && !internalFiles.ownsIno(r.nodeId())) {
                internalFiles.accessLog().record(new AccessLog.Caller(r.uid(), r.gid(), r.pid()), op,
                        arguments(r), result, started);
            }
        } catch (RuntimeException e) {
            LOG.warn("metrics of {} not recorded: {}", op, e.toString());
        }
    }

    /** The request's inode, and the name it carries if any: "parent,name" as in JuiceFS's access log. */
    private static String arguments(Request r) {
        int nameAt = switch (r.opcode()) {
            case LOOKUP, UNLINK, RMDIR, SYMLINK, REMOVEXATTR -> 0;
            case MKDIR, RENAME, LINK, GETXATTR, SETXATTR -> 8;
            case MKNOD, CREATE -> 16;
            default -> -1;
        };
        if (nameAt < 0) {
            return Long.toString(r.nodeId());
        }
        ByteBuffer body = r.in().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).position(IN_HEADER + nameAt);
        try {
            return r.nodeId() + "," + name(body);
        } catch (VfsException e) {
            return r.nodeId() + ",?";
        }
    }

    /** Returns a negative errno, or >= 0 (bytes for read and write, else 0) with the body written. */
    private int dispatch(Request r, Reply reply) {
        ByteBuffer in = r.in();
        long ino = r.nodeId();
        return switch (r.opcode()) {
            case LOOKUP -> lookup(ino, name(in), reply);
            case FORGET, BATCH_FORGET, INTERRUPT -> {
                reply.none();
                yield 0;
            }
            case GETATTR -> getattr(ino, in, reply);
            case SETATTR -> setattr(ino, in, reply);
            case READLINK -> {
                byte[] target = vfs.readlink(ino).getBytes(StandardCharsets.UTF_8);
                reply.body(target.length).put(target);
                yield 0;
            }
            case SYMLINK -> {
                String name = name(in);
                String target = name(in);
                yield entry(vfs.symlink(ino, name, target, caller(r)), reply);
            }
            case MKNOD -> {
                int mode = in.getInt();
                int rdev = in.getInt();
                in.position(in.position() + 8);
                yield entry(vfs.mknod(ino, name(in), mode, Integer.toUnsignedLong(rdev), caller(r)), reply);
            }
            case MKDIR -> {
                int mode = in.getInt();
                in.getInt();
                yield entry(vfs.mkdir(ino, name(in), mode, caller(r)), reply);
            }
            case UNLINK -> {
                vfs.unlink(ino, name(in));
                yield 0;
            }
            case RMDIR -> {
                vfs.rmdir(ino, name(in));
                yield 0;
            }
            case RENAME -> {
                long newParent = in.getLong();
                String oldName = name(in);
                vfs.rename(ino, oldName, newParent, name(in));
                yield 0;
            }
            case LINK -> {
                long target = in.getLong();
                yield entry(vfs.link(target, ino, name(in)), reply);
            }
            case OPEN -> open(ino, in.getInt(), reply);
            case READ -> read(ino, in, reply);
            case WRITE -> {
                int n = write(ino, in);
                reply.body(8).putInt(n).putInt(0);
                yield n;
            }
            case STATFS -> statfs(reply);
            case RELEASE -> {
                long handle = in.getLong();
                if (internalFiles.ownsHandle(handle)) {
                    internalFiles.release(handle);
                } else {
                    vfs.release(handle);
                }
                yield 0;
            }
            case FSYNC -> {
                vfs.fsync(in.getLong());
                yield 0;
            }
            case FLUSH -> {
                long handle = in.getLong();
                if (!internalFiles.ownsHandle(handle)) {
                    vfs.flush(handle);
                }
                yield 0;
            }
            case SETXATTR -> {
                int size = in.getInt();
                int flags = in.getInt();
                String name = name(in);
                byte[] value = new byte[size];
                in.get(value);
                vfs.setxattr(ino, name, value, flags);
                yield 0;
            }
            case GETXATTR -> {
                int size = in.getInt();
                in.getInt();
                yield sized(vfs.getxattr(ino, name(in)), size, reply);
            }
            case LISTXATTR -> {
                int size = in.getInt();
                ByteArrayOutputStream names = new ByteArrayOutputStream();
                for (String name : vfs.listxattr(ino)) {
                    names.writeBytes(name.getBytes(StandardCharsets.UTF_8));
                    names.write(0);
                }
                yield sized(names.toByteArray(), size, reply);
            }
            case REMOVEXATTR -> {
                vfs.removexattr(ino, name(in));
                yield 0;
            }
            case OPENDIR -> {
                ByteBuffer out = reply.body(16);
                out.putLong(vfs.opendir(ino)).putInt(0).putInt(0);
                yield 0;
            }
            case READDIR -> readdir(ino, in, reply, false);
            case READDIRPLUS -> readdir(ino, in, reply, true);
            case RELEASEDIR -> {
                vfs.releasedir(in.getLong());
                yield 0;
            }
            case FSYNCDIR -> 0;
            case ACCESS -> {
                vfs.access(ino, in.getInt(), callerWithGroups(r));
                yield 0;
            }
            case CREATE -> create(ino, in, r, reply);
            case FALLOCATE -> {
                long handle = in.getLong();
                long offset = in.getLong();
                long length = in.getLong();
                vfs.fallocate(handle, in.getInt(), offset, length);
                yield 0;
            }
            case DESTROY -> 0;
            default -> -Errno.ENOSYS.value();
        };
    }

    private int lookup(long parent, String name, Reply reply) {
        if (parent == ROOT_ID) {
            long internal = internalFiles.inoOf("/" + name);
            if (internal >= 0) {
                putEntry(reply.body(ENTRY_OUT), internal, internalFiles.attr(internal), Duration.ZERO, Duration.ZERO,
                        BLOCK_SIZE);
                return 0;
            }
        }
        return entry(vfs.lookup(parent, name), reply);
    }

    private int entry(Attr attr, Reply reply) {
        putEntry(reply.body(ENTRY_OUT), attr.ino(), attr, options.entryTimeout(), options.attrTimeout(), BLOCK_SIZE);
        return 0;
    }

    private int getattr(long ino, ByteBuffer in, Reply reply) {
        int flags = in.getInt();
        in.getInt();
        long handle = in.getLong();
        Attr attr;
        if (internalFiles.ownsIno(ino)) {
            putAttrOut(reply.body(ATTR_OUT), internalFiles.attr(ino), Duration.ZERO, BLOCK_SIZE);
            return 0;
        }
        attr = (flags & GETATTR_FH) != 0 ? vfs.getattrOfHandle(handle) : vfs.getattr(ino);
        putAttrOut(reply.body(ATTR_OUT), attr, options.attrTimeout(), BLOCK_SIZE);
        return 0;
    }

    private int setattr(long ino, ByteBuffer in, Reply reply) {
        int valid = in.getInt();
        in.getInt();
        long handle = in.getLong();
        long size = in.getLong();
        in.getLong();
        long atime = in.getLong();
        long mtime = in.getLong();
        in.getLong();
        int atimeNanos = in.getInt();
        int mtimeNanos = in.getInt();
        in.getInt();
        int mode = in.getInt();
        in.getInt();
        int uid = in.getInt();
        int gid = in.getInt();
        Integer newMode = (valid & FATTR_MODE) != 0 ? mode : null;
        if ((valid & FATTR_KILL_SUIDGID) != 0 && newMode == null) {
            int current = vfs.getattr(ino).mode();
            if ((current & (Mode.S_ISUID | Mode.S_ISGID)) != 0) {
                newMode = current & ~(Mode.S_ISUID | Mode.S_ISGID);
            }
        }
        SetAttr change = new SetAttr(newMode,
                (valid & FATTR_UID) != 0 ? uid : null,
                (valid & FATTR_GID) != 0 ? gid : null,
                (valid & FATTR_SIZE) != 0 ? size : null,
                time(valid, FATTR_ATIME, FATTR_ATIME_NOW, atime, atimeNanos),
                time(valid, FATTR_MTIME, FATTR_MTIME_NOW, mtime, mtimeNanos));
        Attr attr = (valid & FATTR_FH) != 0 ? vfs.setattrOfHandle(handle, change) : vfs.setattr(ino, change);
        putAttrOut(reply.body(ATTR_OUT), attr, options.attrTimeout(), BLOCK_SIZE);
        return 0;
    }

    private static Long time(int valid, int setBit, int nowBit, long seconds, int nanos) {
        if ((valid & nowBit) != 0) {
            return SetAttr.NOW;
        }
        return (valid & setBit) != 0 ? seconds * 1_000_000_000L + nanos : null;
    }

    private int open(long ino, int flags, Reply reply) {
        long handle;
        int openFlags;
        if (internalFiles.ownsIno(ino)) {
            handle = internalFiles.open(ino, flags);
            openFlags = FOPEN_DIRECT_IO;
        } else {
            handle = vfs.open(ino, flags);
            openFlags = options.directIo() ? FOPEN_DIRECT_IO : 0;
            if (options.keepCache() || vfs.keepsCache(handle)) {
                openFlags |= FOPEN_KEEP_CACHE;
            } else {
                notifier.invalidateAttributes(ino);
            }
        }
        reply.body(16).putLong(handle).putInt(openFlags).putInt(0);
        return 0;
    }

    private int create(long parent, ByteBuffer in, Request r, Reply reply) {
        int flags = in.getInt();
        int mode = in.getInt();
        in.getInt();
        in.getInt();
        Vfs.Created created = vfs.create(parent, name(in), mode, flags, caller(r));
        ByteBuffer out = reply.body(ENTRY_OUT + 16);
        putEntry(out, created.attr().ino(), created.attr(), options.entryTimeout(), options.attrTimeout(), BLOCK_SIZE);
        out.putLong(created.handle()).putInt(options.directIo() ? FOPEN_DIRECT_IO : 0).putInt(0);
        return 0;
    }

    private int read(long ino, ByteBuffer in, Reply reply) {
        long handle = in.getLong();
        long offset = in.getLong();
        int size = in.getInt();
        ByteBuffer out = reply.body(size);
        if (internalFiles.ownsHandle(handle)) {
            byte[] bytes = internalFiles.read(handle, size, offset);
            out.put(bytes);
            return bytes.length;
        }
        ByteBuffer dst = out.slice(out.position(), size);
        int n = vfs.read(handle, offset, dst);
        out.position(out.position() + n);
        return n;
    }

    /**
     * A write by a caller without CAP_FSETID (the kernel flags it) clears setuid, and setgid of a
     * group-executable file, first, as a local file system does.
     */
    private int write(long ino, ByteBuffer in) {
        long handle = in.getLong();
        long offset = in.getLong();
        int size = in.getInt();
        int writeFlags = in.getInt();
        in.position(in.position() + 16);
        if ((writeFlags & WRITE_KILL_SUIDGID) != 0) {
            int mode = vfs.getattrOfHandle(handle).mode();
            int cleared = mode & ~Mode.S_ISUID;
            cleared = (mode & 010) != 0 ? cleared & ~Mode.S_ISGID : cleared;
            if (cleared != mode) {
                vfs.setattrOfHandle(handle, SetAttr.chmod(cleared));
                notifier.invalidateAttributes(ino);
            }
        }
        return vfs.write(handle, offset, in.slice(in.position(), size));
    }

    private int statfs(Reply reply) {
        FsStats s = vfs.statfs();
        long free = Math.max(0, s.capacityBytes() - s.usedBytes()) / s.blockSize();
        long freeInodes = Math.max(0, s.totalInodes() - s.usedInodes());
        ByteBuffer out = reply.body(80);
        out.putLong(s.capacityBytes() / s.blockSize()).putLong(free).putLong(free);
        out.putLong(s.totalInodes()).putLong(freeInodes);
        out.putInt((int) s.blockSize()).putInt(Vfs.NAME_MAX).putInt((int) s.blockSize()).putInt(0);
        for (int i = 0; i < 6; i++) {
            out.putInt(0);
        }
        return 0;
    }

    /**
     * Offsets given to the kernel: 1 after ".", 2 after "..", 3 + i after entry i. The kernel
     * comes back with the offset of the last entry it took, so a listing streams in requests of
     * a page and never sits whole in memory. READDIRPLUS hands each entry's attributes along
     * (the listing fetched them in batches), so {@code ls -l} needs no lookups.
     */
    private int readdir(long dir, ByteBuffer in, Reply reply, boolean plus) {
        long handle = in.getLong();
        long offset = in.getLong();
        int size = in.getInt();
        ByteBuffer out = reply.body(size);
        int end = out.position() + size;
        if (offset < DOT_OFFSET && !putListing(out, end, plus, ".", dir, Mode.S_IFDIR, DOT_OFFSET, null)) {
            return 0;
        }
        if (offset < DOTDOT_OFFSET) {
            List<Long> parents = vfs.getattr(dir).parents();
            long parent = dir == ROOT_ID || parents.isEmpty() ? dir : parents.get(0);
            if (!putListing(out, end, plus, "..", parent, Mode.S_IFDIR, DOTDOT_OFFSET, null)) {
                return 0;
            }
        }
        for (long index = Math.max(0, offset - 2); ; index++) {
            Optional<DirListing> listed = vfs.readdirAt(handle, index);
            if (listed.isEmpty()) {
                return 0;
            }
            DirListing e = listed.get();
            Attr attr = plus ? attrOrNull(e.ino()) : null;
            if (!putListing(out, end, plus, e.name(), e.ino(), e.typeBits(), index + 3, attr)) {
                return 0;
            }
        }
    }

    private Attr attrOrNull(long ino) {
        try {
            return vfs.getattr(ino);
        } catch (VfsException e) {
            return null;
        }
    }

    /** Adds one entry if it fits before {@code end}; an entry without attributes gets node id 0 (none). */
    private boolean putListing(ByteBuffer out, int end, boolean plus, String name, long ino, int typeBits,
                               long next, Attr attr) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int needed = direntSize(bytes.length) + (plus ? ENTRY_OUT : 0);
        if (out.position() + needed > end) {
            return false;
        }
        if (plus) {
            if (attr != null) {
                putEntry(out, ino, attr, options.entryTimeout(), options.attrTimeout(), BLOCK_SIZE);
            } else {
                out.put(new byte[ENTRY_OUT]);
            }
        }
        putDirent(out, ino, next, typeBits, bytes);
        return true;
    }

    private static int sized(byte[] value, int size, Reply reply) {
        if (size == 0) {
            reply.body(8).putInt(value.length).putInt(0);
            return 0;
        }
        if (value.length > size) {
            return -Errno.ERANGE.value();
        }
        reply.body(value.length).put(value);
        return 0;
    }

    private static Caller caller(Request r) {
        return new Caller(r.uid(), r.gid());
    }

    /** The caller with its supplementary groups (the request carries only the primary group). */
    private static Caller callerWithGroups(Request r) {
        return new Caller(r.uid(), r.gid(), ProcessGroups.of(r.pid()));
    }

    /**
     * The next NUL-terminated name of the body. Names must be UTF-8 (the metadata stores strings);
     * other bytes fail with EILSEQ rather than being silently replaced.
     */
    private static String name(ByteBuffer in) {
        int start = in.position();
        int end = start;
        while (end < in.limit() && in.get(end) != 0) {
            end++;
        }
        ByteBuffer bytes = in.slice(start, end - start);
        in.position(Math.min(in.limit(), end + 1));
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new VfsException(Errno.EILSEQ);
        }
    }

    static String name(int opcode) {
        return switch (opcode) {
            case LOOKUP -> "lookup";
            case FORGET -> "forget";
            case GETATTR -> "getattr";
            case SETATTR -> "setattr";
            case READLINK -> "readlink";
            case SYMLINK -> "symlink";
            case MKNOD -> "mknod";
            case MKDIR -> "mkdir";
            case UNLINK -> "unlink";
            case RMDIR -> "rmdir";
            case RENAME -> "rename";
            case LINK -> "link";
            case OPEN -> "open";
            case READ -> "read";
            case WRITE -> "write";
            case STATFS -> "statfs";
            case RELEASE -> "release";
            case FSYNC -> "fsync";
            case SETXATTR -> "setxattr";
            case GETXATTR -> "getxattr";
            case LISTXATTR -> "listxattr";
            case REMOVEXATTR -> "removexattr";
            case FLUSH -> "flush";
            case INIT -> "init";
            case OPENDIR -> "opendir";
            case READDIR -> "readdir";
            case RELEASEDIR -> "releasedir";
            case FSYNCDIR -> "fsyncdir";
            case ACCESS -> "access";
            case CREATE -> "create";
            case INTERRUPT -> "interrupt";
            case DESTROY -> "destroy";
            case BATCH_FORGET -> "batch_forget";
            case FALLOCATE -> "fallocate";
            case READDIRPLUS -> "readdirplus";
            default -> "op" + opcode;
        };
    }
}
