package io.curvefs.client.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Counts and times the FUSE operations a mount serves, by operation and outcome ("ok" or the
 * errno answered), plus the bytes read and written. Always collected in the default Prometheus
 * registry; the launcher decides whether they are served over HTTP. Exemplars are off: there is
 * no tracing to link to, and with them on, writes on libfuse's native callback threads failed
 * with EIO (seen in LargeFileTest).
 */
public final class FuseMetrics {

    private static final Counter OPS = Counter.builder()
            .name("curvefs_fuse_ops")
            .help("FUSE operations served, by operation and result")
            .labelNames("op", "result")
            .withoutExemplars()
            .register();

    private static final Histogram DURATION = Histogram.builder()
            .name("curvefs_fuse_op_duration_seconds")
            .help("Time to serve one FUSE operation")
            .unit(Unit.SECONDS)
            .classicOnly()
            .labelNames("op")
            .withoutExemplars()
            .register();

    private static final Counter BYTES = Counter.builder()
            .name("curvefs_fuse_bytes")
            .help("Bytes returned by read and accepted by write")
            .unit(Unit.BYTES)
            .labelNames("op")
            .withoutExemplars()
            .register();

    private FuseMetrics() {
    }

    /** One finished operation; {@code result} is what FUSE gets: >= 0 success (bytes for read/write), < 0 an errno. */
    public static void record(String op, long startedNanos, int result) {
        DURATION.labelValues(op).observe((System.nanoTime() - startedNanos) / 1e9);
        OPS.labelValues(op, result >= 0 ? "ok" : "errno_" + -result).inc();
        if (result > 0 && (op.equals("read") || op.equals("write"))) {
            BYTES.labelValues(op).inc(result);
        }
    }
}
