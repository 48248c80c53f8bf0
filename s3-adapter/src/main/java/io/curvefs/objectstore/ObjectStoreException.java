package io.curvefs.objectstore;

/** A request to the object store failed after its retries. */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message) {
        super(message);
    }

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
