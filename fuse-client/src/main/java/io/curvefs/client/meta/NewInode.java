package io.curvefs.client.meta;

/** What CreateInode needs; {@code mode} includes the S_IFMT type bits, times are nanoseconds. */
public record NewInode(InodeType type, int mode, int uid, int gid, long parent, long rdev,
                       String symlink, long length, long createTime) {
}
