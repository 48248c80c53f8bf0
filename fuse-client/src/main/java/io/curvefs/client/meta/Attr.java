package io.curvefs.client.meta;

import java.util.List;
import java.util.Map;

/**
 * The attributes of one inode as the metadata service stores them. Times are nanoseconds
 * since the epoch; {@code mode} carries the S_IFMT type bits. {@code xattrs} are the extended
 * attributes when the answer these attributes came from carried them, else null.
 */
public record Attr(long ino, InodeType type, int mode, int uid, int gid, int nlink, long length,
                   long rdev, long atime, long mtime, long ctime, String symlink, List<Long> parents,
                   Map<String, byte[]> xattrs) {

    public Attr {
        symlink = symlink == null ? "" : symlink;
        parents = List.copyOf(parents);
        xattrs = xattrs == null ? null : Map.copyOf(xattrs);
    }

    /** Attributes without their extended attributes (not known). */
    public Attr(long ino, InodeType type, int mode, int uid, int gid, int nlink, long length,
                long rdev, long atime, long mtime, long ctime, String symlink, List<Long> parents) {
        this(ino, type, mode, uid, gid, nlink, length, rdev, atime, mtime, ctime, symlink, parents, null);
    }

    public boolean isDirectory() {
        return type == InodeType.DIRECTORY;
    }

    public Attr withLength(long newLength) {
        return new Attr(ino, type, mode, uid, gid, nlink, newLength, rdev, atime, mtime, ctime, symlink, parents, xattrs);
    }

    public Attr withTimes(long newMtime, long newCtime) {
        return new Attr(ino, type, mode, uid, gid, nlink, length, rdev, atime, newMtime, newCtime, symlink, parents,
                xattrs);
    }
}
