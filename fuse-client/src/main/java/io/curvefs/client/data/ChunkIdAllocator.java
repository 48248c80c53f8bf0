package io.curvefs.client.data;

/** Hands out globally unique chunk ids, each used once (object names are built from them). */
public interface ChunkIdAllocator {
    long allocate();
}
