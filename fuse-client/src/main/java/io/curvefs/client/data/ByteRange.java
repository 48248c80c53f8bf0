package io.curvefs.client.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A half-open range {@code [start, end)} of file offsets. */
record ByteRange(long start, long end) {

    ByteRange {
        if (end < start) {
            throw new IllegalArgumentException("range [" + start + ", " + end + ") ends before it starts");
        }
    }

    long length() {
        return end - start;
    }

    boolean isEmpty() {
        return end == start;
    }

    ByteRange intersect(long otherStart, long otherEnd) {
        long s = Math.max(start, otherStart);
        long e = Math.min(end, otherEnd);
        return e > s ? new ByteRange(s, e) : null;
    }

    /**
     * Claims {@code [claimStart, claimEnd)} out of the still open ranges: every overlap is handed
     * to {@code claimed}, and the returned list holds what stays open. This is the step of
     * newest-wins resolution: a newer source claims bytes, older sources only see the rest.
     */
    static List<ByteRange> claim(List<ByteRange> open, long claimStart, long claimEnd,
                                 Consumer<ByteRange> claimed) {
        List<ByteRange> rest = new ArrayList<>(open.size() + 1);
        for (ByteRange range : open) {
            ByteRange overlap = range.intersect(claimStart, claimEnd);
            if (overlap == null) {
                rest.add(range);
                continue;
            }
            claimed.accept(overlap);
            if (range.start < overlap.start) {
                rest.add(new ByteRange(range.start, overlap.start));
            }
            if (overlap.end < range.end) {
                rest.add(new ByteRange(overlap.end, range.end));
            }
        }
        return rest;
    }
}
