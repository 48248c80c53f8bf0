package io.curvefs.client.fuse;

import io.curvefs.client.meta.Attr;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The parts of the Linux FUSE protocol (include/uapi/linux/fuse.h) this binding speaks: opcodes,
 * flags, and the byte layout of the structures it writes. Every structure is little-endian with
 * natural alignment, as on x86-64 and arm64.
 */
final class KernelProtocol {

    private KernelProtocol() {
    }

    static final int MAJOR = 7;
    /** 7.31: max_pages, cache_symlinks, explicit page cache invalidation; newer kernels accept it. */
    static final int MINOR = 31;
    static final long ROOT_ID = 1;

    static final int IN_HEADER = 40;
    static final int OUT_HEADER = 16;
    static final int ATTR_SIZE = 88;
    static final int ENTRY_OUT = 40 + ATTR_SIZE;
    static final int ATTR_OUT = 16 + ATTR_SIZE;
    static final int DIRENT_HEADER = 24;

    // opcodes
    static final int LOOKUP = 1;
    static final int FORGET = 2;
    static final int GETATTR = 3;
    static final int SETATTR = 4;
    static final int READLINK = 5;
    static final int SYMLINK = 6;
    static final int MKNOD = 8;
    static final int MKDIR = 9;
    static final int UNLINK = 10;
    static final int RMDIR = 11;
    static final int RENAME = 12;
    static final int LINK = 13;
    static final int OPEN = 14;
    static final int READ = 15;
    static final int WRITE = 16;
    static final int STATFS = 17;
    static final int RELEASE = 18;
    static final int FSYNC = 20;
    static final int SETXATTR = 21;
    static final int GETXATTR = 22;
    static final int LISTXATTR = 23;
    static final int REMOVEXATTR = 24;
    static final int FLUSH = 25;
    static final int INIT = 26;
    static final int OPENDIR = 27;
    static final int READDIR = 28;
    static final int RELEASEDIR = 29;
    static final int FSYNCDIR = 30;
    static final int ACCESS = 34;
    static final int CREATE = 35;
    static final int INTERRUPT = 36;
    static final int DESTROY = 38;
    static final int BATCH_FORGET = 42;
    static final int FALLOCATE = 43;
    static final int READDIRPLUS = 44;

    // INIT flags
    static final int ASYNC_READ = 1;
    static final int ATOMIC_O_TRUNC = 1 << 3;
    static final int BIG_WRITES = 1 << 5;
    static final int AUTO_INVAL_DATA = 1 << 12;
    static final int DO_READDIRPLUS = 1 << 13;
    static final int READDIRPLUS_AUTO = 1 << 14;
    static final int ASYNC_DIO = 1 << 15;
    static final int WRITEBACK_CACHE = 1 << 16;
    static final int PARALLEL_DIROPS = 1 << 18;
    static final int HANDLE_KILLPRIV = 1 << 19;
    static final int MAX_PAGES = 1 << 22;
    static final int CACHE_SYMLINKS = 1 << 23;
    static final int HANDLE_KILLPRIV_V2 = 1 << 28;

    // GETATTR, SETATTR
    static final int GETATTR_FH = 1;
    static final int FATTR_MODE = 1;
    static final int FATTR_UID = 1 << 1;
    static final int FATTR_GID = 1 << 2;
    static final int FATTR_SIZE = 1 << 3;
    static final int FATTR_ATIME = 1 << 4;
    static final int FATTR_MTIME = 1 << 5;
    static final int FATTR_FH = 1 << 6;
    static final int FATTR_ATIME_NOW = 1 << 7;
    static final int FATTR_MTIME_NOW = 1 << 8;
    static final int FATTR_KILL_SUIDGID = 1 << 11;

    static final int WRITE_KILL_SUIDGID = 1 << 2;

    // OPEN replies
    static final int FOPEN_DIRECT_IO = 1;
    static final int FOPEN_KEEP_CACHE = 1 << 1;

    static final int NOTIFY_INVAL_INODE = 2;

    /** Writes a struct fuse_attr. */
    static void putAttr(ByteBuffer out, Attr attr, int blockSize) {
        out.putLong(attr.ino());
        out.putLong(attr.length());
        out.putLong((attr.length() + 511) / 512);
        out.putLong(Math.floorDiv(attr.atime(), 1_000_000_000L));
        out.putLong(Math.floorDiv(attr.mtime(), 1_000_000_000L));
        out.putLong(Math.floorDiv(attr.ctime(), 1_000_000_000L));
        out.putInt((int) Math.floorMod(attr.atime(), 1_000_000_000L));
        out.putInt((int) Math.floorMod(attr.mtime(), 1_000_000_000L));
        out.putInt((int) Math.floorMod(attr.ctime(), 1_000_000_000L));
        out.putInt(attr.mode());
        out.putInt(attr.nlink());
        out.putInt(attr.uid());
        out.putInt(attr.gid());
        out.putInt((int) attr.rdev());
        out.putInt(blockSize);
        out.putInt(0);
    }

    /** Writes a struct fuse_entry_out: the node, how long the kernel may trust the name and the attributes. */
    static void putEntry(ByteBuffer out, long nodeId, Attr attr, Duration entryValid, Duration attrValid,
                         int blockSize) {
        out.putLong(nodeId);
        out.putLong(0);
        out.putLong(entryValid.getSeconds());
        out.putLong(attrValid.getSeconds());
        out.putInt(entryValid.getNano());
        out.putInt(attrValid.getNano());
        putAttr(out, attr, blockSize);
    }

    /** Writes a struct fuse_attr_out. */
    static void putAttrOut(ByteBuffer out, Attr attr, Duration attrValid, int blockSize) {
        out.putLong(attrValid.getSeconds());
        out.putInt(attrValid.getNano());
        out.putInt(0);
        putAttr(out, attr, blockSize);
    }

    /** Bytes a struct fuse_dirent with a name of {@code nameLength} bytes takes, padded to 8. */
    static int direntSize(int nameLength) {
        return (DIRENT_HEADER + nameLength + 7) & ~7;
    }

    /** Writes a struct fuse_dirent (padded to 8 bytes with zeros). */
    static void putDirent(ByteBuffer out, long ino, long nextOffset, int typeBits, byte[] name) {
        int start = out.position();
        out.putLong(ino);
        out.putLong(nextOffset);
        out.putInt(name.length);
        out.putInt((typeBits & 0170000) >>> 12);
        out.put(name);
        while (out.position() < start + direntSize(name.length)) {
            out.put((byte) 0);
        }
    }
}
