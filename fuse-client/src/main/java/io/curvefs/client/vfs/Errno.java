package io.curvefs.client.vfs;

/** The Linux errno values the VFS answers with. */
public enum Errno {
    EPERM(1), ENOENT(2), EIO(5), EBADF(9), ENOMEM(12), EACCES(13), EEXIST(17), EXDEV(18), ENOTDIR(20), EISDIR(21),
    EINVAL(22), EFBIG(27), ENOSPC(28), ERANGE(34), ENAMETOOLONG(36), ENOSYS(38), ENOTEMPTY(39), ENODATA(61),
    E2BIG(7), EILSEQ(84), EOPNOTSUPP(95);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
