package io.curvefs.mds.storage;

/**
 * A persistent id sequence that writes its high-water mark once per bundle instead of once
 * per id (a request for more ids than a bundle reserves exactly what it asks for). The mark is stored (synced) before any id under it is handed out; after a restart
 * counting resumes at the stored mark, so the unused rest of a bundle is skipped and no id is
 * ever handed out twice.
 */
public final class BundledCounter {

    private final MdsStorage storage;
    private final byte[] key;
    private final long bundle;
    private long next;
    private long limit;

    public BundledCounter(MdsStorage storage, byte[] key, long first, long bundle) {
        if (bundle < 1) {
            throw new IllegalArgumentException("bundle must be at least 1, got " + bundle);
        }
        this.storage = storage;
        this.key = key.clone();
        this.bundle = bundle;
        this.limit = storage.get(key).map(Keys::decodeLong).orElse(first);
        this.next = limit;
    }

    /** Reserves {@code count} consecutive ids and returns the first. */
    public synchronized long allocate(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        if (next + count > limit) {
            long newLimit = next + Math.max(count, bundle);
            storage.put(key, Keys.encodeLong(newLimit));
            limit = newLimit;
        }
        long begin = next;
        next += count;
        return begin;
    }
}
