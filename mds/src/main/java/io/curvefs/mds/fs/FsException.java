package io.curvefs.mds.fs;

import io.curvefs.proto.mds.FSStatusCode;

/** An fs request cannot be done; {@link #code()} is what the RPC answers. */
public final class FsException extends RuntimeException {

    private final FSStatusCode code;

    public FsException(FSStatusCode code, String message) {
        super(message);
        this.code = code;
    }

    public FSStatusCode code() {
        return code;
    }
}
