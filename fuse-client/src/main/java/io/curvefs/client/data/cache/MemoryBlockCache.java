package io.curvefs.client.data.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.curvefs.client.metrics.CacheMetrics;

/**
 * Whole block objects in memory, keyed by object name, bounded in bytes (Caffeine with a
 * weigher). Objects never change once written, so entries never go stale and need no
 * invalidation; eviction is the only way out. A capacity of 0 keeps nothing.
 */
public final class MemoryBlockCache {

    private final long capacity;
    private final Cache<String, byte[]> blocks;

    public MemoryBlockCache(long capacityBytes) {
        this.capacity = capacityBytes;
        this.blocks = Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher((String key, byte[] value) -> value.length + key.length())
                .executor(Runnable::run)
                .removalListener((String key, byte[] value, RemovalCause cause) -> {
                    if (value != null) {
                        CacheMetrics.held(CacheMetrics.MEMORY, -value.length);
                    }
                })
                .build();
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /** The object's bytes, or null; counts a hit or a miss. */
    public byte[] get(String key) {
        if (!enabled()) {
            return null;
        }
        byte[] block = blocks.getIfPresent(key);
        if (block == null) {
            CacheMetrics.miss(CacheMetrics.MEMORY);
        } else {
            CacheMetrics.hit(CacheMetrics.MEMORY, block.length);
        }
        return block;
    }

    public boolean contains(String key) {
        return enabled() && blocks.getIfPresent(key) != null;
    }

    /** Keeps {@code block} (not copied: callers hand over arrays they no longer change). */
    public void put(String key, byte[] block) {
        if (!enabled() || block.length > capacity) {
            return;
        }
        CacheMetrics.held(CacheMetrics.MEMORY, block.length);
        blocks.put(key, block);
    }

    /** Bytes held now (after pending evictions ran). */
    public long heldBytes() {
        blocks.cleanUp();
        return blocks.asMap().values().stream().mapToLong(b -> b.length).sum();
    }

    public void clear() {
        blocks.invalidateAll();
    }
}
