package io.curvefs.client.data.cache;

import io.curvefs.client.metrics.CacheMetrics;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whole block objects (and ranges read at random) in memory, keyed by object name, bounded in
 * bytes, least recently used out first. Objects never change once written, so entries never go
 * stale and need no invalidation; eviction is the only way out. A capacity of 0 keeps nothing.
 *
 * <p>Plain LRU on purpose: a frequency-based admission policy (Caffeine's TinyLFU, used before)
 * gives each newcomer a window of 1% of the capacity, smaller than one 4 MiB block, so blocks
 * prefetched for a sequential reader were evicted before the reader got to them and fetched
 * twice. Operations are a map lookup under one lock, a few thousand a second at most.
 */
public final class MemoryBlockCache {

    private final long capacity;
    private final LinkedHashMap<String, byte[]> blocks = new LinkedHashMap<>(256, 0.75f, true);
    private long held;

    public MemoryBlockCache(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /** The object's bytes, or null; counts a hit or a miss. */
    public byte[] get(String key) {
        if (!enabled()) {
            return null;
        }
        byte[] block;
        synchronized (this) {
            block = blocks.get(key);
        }
        if (block == null) {
            CacheMetrics.miss(CacheMetrics.MEMORY);
        } else {
            CacheMetrics.hit(CacheMetrics.MEMORY, block.length);
        }
        return block;
    }

    public synchronized boolean contains(String key) {
        return enabled() && blocks.containsKey(key);
    }

    /** Keeps {@code block} (not copied: callers hand over arrays they no longer change). */
    public void put(String key, byte[] block) {
        long weight = weight(key, block);
        if (!enabled() || weight > capacity) {
            return;
        }
        long released = 0;
        synchronized (this) {
            byte[] previous = blocks.put(key, block);
            held += weight;
            if (previous != null) {
                held -= weight(key, previous);
                released += previous.length;
            }
            Iterator<Map.Entry<String, byte[]>> eldest = blocks.entrySet().iterator();
            while (held > capacity && eldest.hasNext()) {
                Map.Entry<String, byte[]> entry = eldest.next();
                held -= weight(entry.getKey(), entry.getValue());
                released += entry.getValue().length;
                eldest.remove();
            }
        }
        CacheMetrics.held(CacheMetrics.MEMORY, block.length - released);
    }

    /** Bytes of block data held now. */
    public synchronized long heldBytes() {
        return blocks.values().stream().mapToLong(b -> b.length).sum();
    }

    public void clear() {
        long released;
        synchronized (this) {
            released = blocks.values().stream().mapToLong(b -> b.length).sum();
            blocks.clear();
            held = 0;
        }
        CacheMetrics.held(CacheMetrics.MEMORY, -released);
    }

    private static long weight(String key, byte[] block) {
        return (long) block.length + key.length();
    }
}
