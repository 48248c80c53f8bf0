package io.curvefs.mds.storage;

/** The backing store failed to read or write; the operation's effect is unknown to the caller. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
