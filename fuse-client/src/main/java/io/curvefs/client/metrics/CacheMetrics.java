package io.curvefs.client.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Counters of the data path's caches: lookups by tier ("memory", "disk") and outcome, bytes
 * served from each tier, bytes held, read-ahead and warmup traffic, and blocks waiting for a
 * write-back upload. Collected in the default Prometheus registry, like {@link FuseMetrics}.
 */
public final class CacheMetrics {

    public static final String MEMORY = "memory";
    public static final String DISK = "disk";

    private static final Counter LOOKUPS = Counter.builder()
            .name("curvefs_cache_lookups")
            .help("Block cache lookups, by tier and result (hit or miss)")
            .labelNames("tier", "result")
            .withoutExemplars()
            .register();

    private static final Counter HIT_BYTES = Counter.builder()
            .name("curvefs_cache_hit_bytes")
            .help("Bytes of block objects served from a cache tier")
            .unit(Unit.BYTES)
            .labelNames("tier")
            .withoutExemplars()
            .register();

    private static final Gauge HELD_BYTES = Gauge.builder()
            .name("curvefs_cache_held_bytes")
            .help("Bytes a cache tier holds now")
            .unit(Unit.BYTES)
            .labelNames("tier")
            .withoutExemplars()
            .register();

    private static final Counter CHECKSUM_FAILURES = Counter.builder()
            .name("curvefs_cache_checksum_failures")
            .help("Disk cache files dropped because their checksum did not match")
            .withoutExemplars()
            .register();

    private static final Counter READAHEAD_BYTES = Counter.builder()
            .name("curvefs_readahead_bytes")
            .help("Bytes of block objects fetched ahead of sequential readers")
            .unit(Unit.BYTES)
            .withoutExemplars()
            .register();

    private static final Counter WARMUP_BLOCKS = Counter.builder()
            .name("curvefs_warmup_blocks")
            .help("Block objects fetched into the local caches by warmup")
            .withoutExemplars()
            .register();

    private static final Gauge WRITEBACK_PENDING = Gauge.builder()
            .name("curvefs_writeback_pending_blocks")
            .help("Blocks in cachewrite/ not yet uploaded")
            .withoutExemplars()
            .register();

    private CacheMetrics() {
    }

    public static void hit(String tier, long bytes) {
        LOOKUPS.labelValues(tier, "hit").inc();
        HIT_BYTES.labelValues(tier).inc(bytes);
    }

    public static void miss(String tier) {
        LOOKUPS.labelValues(tier, "miss").inc();
    }

    public static void held(String tier, long delta) {
        HELD_BYTES.labelValues(tier).inc(delta);
    }

    public static void checksumFailure() {
        CHECKSUM_FAILURES.inc();
    }

    public static void readahead(long bytes) {
        READAHEAD_BYTES.inc(bytes);
    }

    public static void warmedBlock() {
        WARMUP_BLOCKS.inc();
    }

    public static void writeBackPending(long delta) {
        WRITEBACK_PENDING.inc(delta);
    }
}
