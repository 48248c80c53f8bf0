package io.curvefs.client.warmup;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The progress of one warmup request: files and bytes found and done so far, and how it ended. */
final class WarmupJob {

    enum State { RUNNING, FINISHED, CANCELLED, FAILED }

    final String path;
    final AtomicLong filesTotal = new AtomicLong();
    final AtomicLong filesDone = new AtomicLong();
    final AtomicLong bytesTotal = new AtomicLong();
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile State state = State.RUNNING;
    private volatile boolean listed;

    WarmupJob(String path) {
        this.path = path;
    }

    State state() {
        return state;
    }

    void end(State end) {
        state = end;
    }

    /** All files to warm are known (totals stop growing). */
    void listingDone() {
        listed = true;
    }

    /** Upstream's progress value: "done/total". */
    String upstreamProgress() {
        return filesDone.get() + "/" + filesTotal.get();
    }

    /** The detailed progress: {@code STATE files=D/T bytes=D/T errors=N listed=true|false}. */
    String detail() {
        return state.name().toLowerCase() + " files=" + filesDone.get() + "/" + filesTotal.get() + " bytes="
                + bytesDone.get() + "/" + bytesTotal.get() + " errors=" + errors.get() + " listed=" + listed;
    }
}
