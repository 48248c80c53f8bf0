package io.curvefs.client.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes written to one inode and not yet uploaded. Data sits in file-aligned pages, so that a
 * long sequential write only adds pages (no array regrowth) and memory is counted exactly in
 * pages. Which bytes are valid is kept apart as disjoint ranges; touching ranges are merged,
 * but never across a chunk boundary, so each range becomes exactly one S3ChunkInfo on flush.
 * A later write simply overwrites the page bytes, which is what makes it win.
 * Not thread safe: the data store guards it with the inode's lock.
 */
final class WriteBuffer {

    private final FsLayout layout;
    private final int pageSize;
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();

    WriteBuffer(FsLayout layout, int pageSize) {
        this.layout = layout;
        this.pageSize = pageSize;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Memory held, in bytes: whole pages. */
    long heldBytes() {
        return (long) pages.size() * pageSize;
    }

    /** Memory a write of {@code length} bytes at {@code offset} would add. */
    long bytesNeeded(long offset, int length) {
        long missing = 0;
        for (long page = offset / pageSize; page <= (offset + length - 1) / pageSize; page++) {
            if (!pages.containsKey(page)) {
                missing++;
            }
        }
        return missing * pageSize;
    }

    /** Copies all of {@code src} in at {@code offset}; the range must lie inside one chunk. */
    void write(long offset, ByteBuffer src) {
        long end = offset + src.remaining();
        if (layout.chunkIndex(offset) != layout.chunkIndex(end - 1)) {
            throw new IllegalArgumentException("write [" + offset + ", " + end + ") crosses a chunk boundary");
        }
        long position = offset;
        while (src.hasRemaining()) {
            byte[] page = pages.computeIfAbsent(position / pageSize, k -> new byte[pageSize]);
            int inPage = (int) (position % pageSize);
            int n = Math.min(src.remaining(), pageSize - inPage);
            src.get(page, inPage, n);
            position += n;
        }
        addRange(offset, end);
    }

    private void addRange(long start, long end) {
        long chunk = layout.chunkIndex(start);
        long mergedStart = start;
        long mergedEnd = end;
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start && layout.chunkIndex(before.getKey()) == chunk) {
            mergedStart = before.getKey();
            mergedEnd = Math.max(mergedEnd, before.getValue());
            ranges.remove(before.getKey());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(mergedStart);
        while (next != null && next.getKey() <= mergedEnd && layout.chunkIndex(next.getKey()) == chunk) {
            mergedEnd = Math.max(mergedEnd, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(mergedStart);
        }
        ranges.put(mergedStart, mergedEnd);
    }

    /** The valid ranges, in offset order; each lies inside one chunk. */
    List<ByteRange> ranges() {
        List<ByteRange> result = new ArrayList<>(ranges.size());
        ranges.forEach((start, end) -> result.add(new ByteRange(start, end)));
        return result;
    }

    /** Copies valid bytes {@code [offset, offset + length)} out. */
    byte[] copy(long offset, int length) {
        byte[] out = new byte[length];
        copyInto(offset, out, 0, length);
        return out;
    }

    private void copyInto(long offset, byte[] dst, int dstPos, int length) {
        long position = offset;
        int done = 0;
        while (done < length) {
            byte[] page = pages.get(position / pageSize);
            int inPage = (int) (position % pageSize);
            int n = Math.min(length - done, pageSize - inPage);
            System.arraycopy(page, inPage, dst, dstPos + done, n);
            position += n;
            done += n;
        }
    }

    /**
     * Copies the buffered bytes that fall in the open ranges into {@code dst} (which starts at
     * file offset {@code dstOffset}) and returns the ranges still open.
     */
    List<ByteRange> claim(List<ByteRange> open, byte[] dst, long dstOffset) {
        if (open.isEmpty() || ranges.isEmpty()) {
            return open;
        }
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (ByteRange range : open) {
            from = Math.min(from, range.start());
            to = Math.max(to, range.end());
        }
        Long first = ranges.floorKey(from);
        List<ByteRange> rest = open;
        for (Map.Entry<Long, Long> buffered : ranges.tailMap(first == null ? from : first, true).entrySet()) {
            if (buffered.getKey() >= to) {
                break;
            }
            rest = ByteRange.claim(rest, buffered.getKey(), buffered.getValue(),
                    piece -> copyInto(piece.start(), dst, (int) (piece.start() - dstOffset), (int) piece.length()));
        }
        return rest;
    }

    /**
     * Forgets everything at or past {@code length}; returns the bytes of memory freed. An empty
     * buffer holds no pages afterwards, so that only buffers with data count as holding memory.
     */
    long truncate(long length) {
        ranges.tailMap(length, true).clear();
        Map.Entry<Long, Long> last = ranges.lastEntry();
        if (last != null && last.getValue() > length) {
            ranges.put(last.getKey(), length);
        }
        long before = heldBytes();
        if (ranges.isEmpty()) {
            pages.clear();
        } else {
            pages.tailMap((length + pageSize - 1) / pageSize, true).clear();
        }
        return before - heldBytes();
    }

    /** Lays {@code newer}'s bytes over this buffer's (used to put back data whose upload failed). */
    void overlay(WriteBuffer newer) {
        for (ByteRange range : newer.ranges()) {
            write(range.start(), ByteBuffer.wrap(newer.copy(range.start(), (int) range.length())));
        }
    }
}
