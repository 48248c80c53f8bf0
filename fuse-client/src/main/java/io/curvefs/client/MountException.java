package io.curvefs.client;

/** Mounting failed; the message is one line meant for the user. */
public final class MountException extends RuntimeException {
    public MountException(String message) {
        super(message);
    }

    public MountException(String message, Throwable cause) {
        super(message, cause);
    }
}
