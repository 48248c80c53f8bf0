package io.curvefs.mds.metaserver;

/** A call to a metaserver did not get an answer (transport error, deadline, unknown method). */
public final class MetaserverCallException extends RuntimeException {
    public MetaserverCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
