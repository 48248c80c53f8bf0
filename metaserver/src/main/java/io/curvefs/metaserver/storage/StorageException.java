package io.curvefs.metaserver.storage;

/** RocksDB failed under a metaserver operation; the copyset cannot go on safely. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
