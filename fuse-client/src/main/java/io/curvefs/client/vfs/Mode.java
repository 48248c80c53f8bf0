package io.curvefs.client.vfs;

import io.curvefs.client.meta.InodeType;

/** The st_mode and open-flag bits of Linux that the VFS interprets. */
public final class Mode {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int PERMISSIONS = 07777;

    public static final int O_ACCMODE = 03;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;

    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;

    public static final int FALLOC_FL_KEEP_SIZE = 1;

    public static final int R_OK = 4;
    public static final int W_OK = 2;
    public static final int X_OK = 1;

    private Mode() {
    }

    /** The S_IFMT bits of an inode type as dentries record it (a FILE may be a FIFO, see the inode). */
    public static int typeBits(InodeType type) {
        return switch (type) {
            case DIRECTORY -> S_IFDIR;
            case SYMLINK -> S_IFLNK;
            case FILE -> S_IFREG;
        };
    }

    static boolean writable(int flags) {
        int access = flags & O_ACCMODE;
        return access == O_WRONLY || access == O_RDWR;
    }
}
