package io.curvefs.tool.bench;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of the running phase on stderr, at most once a second: rewritten in place on a
 * terminal, one line every few seconds otherwise (logs), nothing at all for phases that end
 * within the first second.
 */
final class Progress {

    private static final long TERMINAL_INTERVAL_NANOS = 1_000_000_000L;
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final boolean enabled;
    private final AtomicLong done = new AtomicLong();
    private volatile String title = "";
    private volatile long total;
    private volatile long startNanos;
    private volatile long lastPrintNanos;
    private volatile boolean printed;

    Progress(PrintStream out, boolean terminal, boolean enabled) {
        this.out = out;
        this.terminal = terminal;
        this.enabled = enabled;
    }

    void start(String phaseTitle, long totalOps) {
        title = phaseTitle;
        total = totalOps;
        done.set(0);
        startNanos = System.nanoTime();
        lastPrintNanos = startNanos;
        printed = false;
    }

    /** One more operation finished; prints when the interval has passed. */
    void step() {
        long n = done.incrementAndGet();
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        long interval = terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS;
        long last = lastPrintNanos;
        if (now - last >= interval && now - startNanos >= TERMINAL_INTERVAL_NANOS) {
            synchronized (this) {
                if (lastPrintNanos != last) {
                    return;
                }
                lastPrintNanos = now;
                printed = true;
                String line = String.format("%s: %d/%d (%d%%)", title, n, total, total == 0 ? 100 : n * 100 / total);
                out.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
                out.flush();
            }
        }
    }

    /** Ends the phase's line on a terminal. */
    synchronized void finish() {
        if (enabled && terminal && printed) {
            out.print("\r" + " ".repeat(title.length() + 40) + "\r");
            out.flush();
        }
    }
}
