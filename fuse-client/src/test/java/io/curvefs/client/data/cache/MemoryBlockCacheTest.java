package io.curvefs.client.data.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryBlockCacheTest {

    @Test
    void heldBytesStayWithinTheBound() {
        long bound = 1 << 20;
        MemoryBlockCache cache = new MemoryBlockCache(bound);
        for (int i = 0; i < 100; i++) {
            cache.put("block-" + i, new byte[64 << 10]);
            assertThat(cache.heldBytes()).isLessThanOrEqualTo(bound);
        }
        assertThat(cache.heldBytes()).isGreaterThan(bound / 2);
        long kept = java.util.stream.IntStream.range(0, 100).filter(i -> cache.get("block-" + i) != null).count();
        assertThat(kept).isBetween(1L, 16L);
    }

    @Test
    void aBlockLargerThanTheBoundAndAZeroBoundKeepNothing() {
        MemoryBlockCache small = new MemoryBlockCache(1000);
        small.put("big", new byte[2000]);
        assertThat(small.get("big")).isNull();

        MemoryBlockCache off = new MemoryBlockCache(0);
        off.put("any", new byte[10]);
        assertThat(off.enabled()).isFalse();
        assertThat(off.get("any")).isNull();
    }

    @Test
    void aNewBlockIsKeptAndTheLeastRecentlyUsedGoesFirst() {
        MemoryBlockCache cache = new MemoryBlockCache(4 * 1010);
        for (int i = 0; i < 4; i++) {
            cache.put("b" + i, new byte[1000]);
        }
        cache.get("b0");
        cache.put("new", new byte[1000]);
        assertThat(cache.contains("new")).as("a block just fetched for a reader").isTrue();
        assertThat(cache.contains("b0")).as("recently read").isTrue();
        assertThat(cache.contains("b1")).as("least recently used").isFalse();
    }
}
