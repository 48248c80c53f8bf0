package io.curvefs.rpc;

/** No MDS of the configured list answered; the message names the addresses tried. */
public final class MdsUnavailableException extends RuntimeException {
    public MdsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
