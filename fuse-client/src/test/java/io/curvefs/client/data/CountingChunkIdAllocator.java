package io.curvefs.client.data;

import java.util.concurrent.atomic.AtomicLong;

/** Chunk ids from a counter, standing in for the MDS. */
class CountingChunkIdAllocator implements ChunkIdAllocator {

    private final AtomicLong next = new AtomicLong(1);

    @Override
    public long allocate() {
        return next.getAndIncrement();
    }
}
