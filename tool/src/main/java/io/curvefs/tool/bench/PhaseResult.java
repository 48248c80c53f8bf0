package io.curvefs.tool.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one benchmark phase: {@code ops} operations (each one I/O request of a big
 * file, or one whole small file, or one stat) moving {@code bytes} bytes in {@code elapsedNanos}
 * of wall time, with the mean and 99th percentile latency of one operation.
 */
public record PhaseResult(Phase phase, long ops, long bytes, long elapsedNanos, long meanLatencyNanos,
        long p99LatencyNanos) {

    /** The phases in the order they run; {@code perSecond} names what the throughput counts. */
    public enum Phase {
        WRITE_BIG_FILE("Write big file", "MiB/s", "request"),
        READ_BIG_FILE("Read big file", "MiB/s", "request"),
        WRITE_SMALL_FILE("Write small file", "files/s", "file"),
        READ_SMALL_FILE("Read small file", "files/s", "file"),
        STAT_FILE("Stat file", "files/s", "file");

        final String title;
        final String perSecond;
        final String op;

        Phase(String title, String perSecond, String op) {
            this.title = title;
            this.perSecond = perSecond;
            this.op = op;
        }

        public String title() {
            return title;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** MiB/s for big files, operations per second otherwise. */
    public double throughput() {
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        return "MiB/s".equals(phase.perSecond) ? bytes / (1024.0 * 1024.0) / seconds : ops / seconds;
    }

    public double mebibytesPerSecond() {
        return bytes / (1024.0 * 1024.0) / (Math.max(elapsedNanos, 1) / 1e9);
    }

    public Map<String, Object> record() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("item", phase.key());
        out.put("throughput", round(throughput()));
        out.put("unit", phase.perSecond);
        out.put("mib_per_s", round(mebibytesPerSecond()));
        out.put("ops", ops);
        out.put("bytes", bytes);
        out.put("seconds", round(elapsedNanos / 1e9));
        out.put("latency_avg_ms", round(meanLatencyNanos / 1e6));
        out.put("latency_p99_ms", round(p99LatencyNanos / 1e6));
        return out;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
