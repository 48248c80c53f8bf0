package io.curvefs.client.vfs;

/**
 * The attribute changes of one setattr call (chmod, chown, truncate, utimens); null fields stay.
 * Times are nanoseconds since the epoch; {@link #NOW} asks for the current time.
 */
public record SetAttr(Integer mode, Integer uid, Integer gid, Long size, Long atime, Long mtime) {
    public static final long NOW = Long.MIN_VALUE;

    public static SetAttr chmod(int mode) {
        return new SetAttr(mode, null, null, null, null, null);
    }

    public static SetAttr chown(Integer uid, Integer gid) {
        return new SetAttr(null, uid, gid, null, null, null);
    }

    public static SetAttr truncate(long size) {
        return new SetAttr(null, null, null, size, null, null);
    }

    public static SetAttr times(Long atime, Long mtime) {
        return new SetAttr(null, null, null, null, atime, mtime);
    }
}
