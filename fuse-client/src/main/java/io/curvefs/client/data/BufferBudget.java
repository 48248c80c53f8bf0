package io.curvefs.client.data;

/**
 * Counts the bytes of write-buffer memory in use against a fixed bound. Reservations never
 * block: a writer that cannot reserve frees memory by flushing, or waits for a release.
 */
final class BufferBudget {

    private final long capacity;
    private long used;
    private long peak;
    private long releases;

    BufferBudget(long capacity) {
        this.capacity = capacity;
    }

    synchronized boolean tryReserve(long bytes) {
        if (bytes > 0 && used + bytes > capacity) {
            return false;
        }
        used += bytes;
        peak = Math.max(peak, used);
        return true;
    }

    /** Returns bytes; every call, even of 0 bytes, wakes waiting writers to look again. */
    synchronized void release(long bytes) {
        used -= bytes;
        releases++;
        notifyAll();
    }

    /** A counter of releases, to wait for the next one without missing it. */
    synchronized long releases() {
        return releases;
    }

    synchronized void awaitReleaseAfter(long seen) throws InterruptedException {
        while (releases == seen) {
            wait();
        }
    }

    synchronized long used() {
        return used;
    }

    synchronized long peak() {
        return peak;
    }
}
