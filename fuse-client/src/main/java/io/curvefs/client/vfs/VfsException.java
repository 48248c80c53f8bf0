package io.curvefs.client.vfs;

/** A file-system call that fails with an errno; the FUSE adapter returns its negative value. */
public final class VfsException extends RuntimeException {

    private final Errno errno;

    public VfsException(Errno errno) {
        this(errno, errno.name());
    }

    public VfsException(Errno errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
