package io.curvefs.client.meta;

/** A metadata call that failed; {@link #kind()} is what the VFS turns into an errno. */
public final class MetaException extends RuntimeException {

    public enum Kind {
        NOT_FOUND, EXISTS, NOT_EMPTY, NO_SPACE, UNAVAILABLE, FAILED
    }

    private final Kind kind;

    public MetaException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MetaException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
