package io.curvefs.tool;

/** A command could not do what was asked; the message is the one line shown to the user. */
public final class ToolFailure extends RuntimeException {
    public ToolFailure(String message) {
        super(message);
    }
}
