package io.curvefs.mds.metaserver;

/**
 * A call to a metaserver did not get an answer (transport error, deadline, unknown method), or
 * got one its caller cannot use.
 */
public final class MetaserverCallException extends RuntimeException {
    public MetaserverCallException(String message) {
        super(message);
    }


    public MetaserverCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
