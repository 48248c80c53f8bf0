package io.curvefs.tool.warmup;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One progress line for warmup: a bar, files, bytes, rate and ETA; redrawn in place on a terminal. */
final class Progress {

    private static final int BAR_WIDTH = 30;
    private static final Pattern DETAIL = Pattern.compile(
            "(\\w+) files=(\\d+)/(\\d+) bytes=(\\d+)/(\\d+) errors=(\\d+) listed=(\\w+)");

    private final boolean terminal;
    private final long startedNanos = System.nanoTime();

    Progress(boolean terminal) {
        this.terminal = terminal;
    }

    void show(Totals totals) {
        if (terminal) {
            System.err.print("\r" + line(totals) + "   ");
            System.err.flush();
        }
    }

    void finish(Totals totals) {
        if (terminal) {
            System.err.println();
        }
        System.out.printf("warmup %s: %d/%d files, %s in %.1f s%s%n",
                totals.cancelled() ? "cancelled" : totals.failed() ? "failed" : "finished",
                totals.filesDone(), totals.filesTotal(), bytes(totals.bytesDone()), seconds(),
                totals.errors() > 0 ? ", " + totals.errors() + " error(s) (see the mount's log)" : "");
    }

    String line(Totals t) {
        double fraction = t.bytesTotal() > 0 ? (double) t.bytesDone() / t.bytesTotal()
                : t.filesTotal() > 0 ? (double) t.filesDone() / t.filesTotal() : 0;
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double rate = t.bytesDone() / Math.max(seconds(), 1e-3);
        String eta = !t.listed() || rate <= 0 ? "?" : Math.round((t.bytesTotal() - t.bytesDone()) / rate) + "s";
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + t.filesDone() + "/"
                + t.filesTotal() + (t.listed() ? "" : "+") + " files  " + bytes(t.bytesDone()) + "/"
                + bytes(t.bytesTotal()) + "  " + bytes((long) rate) + "/s  ETA " + eta;
    }

    private double seconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }

    /** The jobs' progress added up. */
    record Totals(long filesDone, long filesTotal, long bytesDone, long bytesTotal, long errors, boolean listed,
                  boolean done, boolean cancelled, boolean failed) {

        /** Sums the mount's answers ({@code curvefs.warmup.progress}; null: no job, counted as done). */
        static Totals sum(List<String> details) {
            long fd = 0, ft = 0, bd = 0, bt = 0, errors = 0;
            boolean listed = true, done = true, cancelled = false, failed = false;
            for (String detail : details) {
                if (detail == null) {
                    continue;
                }
                Matcher m = DETAIL.matcher(detail);
                if (!m.matches()) {
                    throw new IllegalStateException("unexpected warmup progress: " + detail);
                }
                fd += Long.parseLong(m.group(2));
                ft += Long.parseLong(m.group(3));
                bd += Long.parseLong(m.group(4));
                bt += Long.parseLong(m.group(5));
                errors += Long.parseLong(m.group(6));
                listed &= Boolean.parseBoolean(m.group(7));
                done &= !m.group(1).equals("running");
                cancelled |= m.group(1).equals("cancelled");
                failed |= m.group(1).equals("failed");
            }
            return new Totals(fd, ft, bd, bt, errors, listed, done, cancelled, failed);
        }
    }
}
