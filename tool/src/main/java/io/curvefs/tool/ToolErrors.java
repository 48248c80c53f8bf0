package io.curvefs.tool;

import io.grpc.StatusRuntimeException;

/** Turns a failure into the one line a user sees: what went wrong, not a stack trace. */
final class ToolErrors {

    private ToolErrors() {
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException s) {
            String d = s.getStatus().getDescription();
            return "rpc failed: " + s.getStatus().getCode() + (d == null ? "" : " (" + d + ")");
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
