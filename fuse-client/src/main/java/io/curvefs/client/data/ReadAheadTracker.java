package io.curvefs.client.data;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Decides how far to read ahead of each reader. Readers are told apart by position, not by file
 * handle: each inode keeps a few streams, each remembering where its next read should start.
 * A read starting near a stream's next offset (FUSE delivers the kernel's read-ahead slightly
 * out of order) continues that stream and doubles its window, up to the maximum; any other read
 * starts a new stream with no window (the least recently used stream makes room), so random
 * access reads nothing ahead. "Near" scales with the read size (eight reads either way, at least
 * {@link #SEQUENTIAL_SLACK}): 4 KiB random reads then rarely pass for a continuation, while
 * 1 MiB requests reordered by the kernel still do. Several sequential readers of one file (data loader workers)
 * therefore each keep their own window.
 */
final class ReadAheadTracker {

    static final int STREAMS_PER_INODE = 8;
    static final long INITIAL_WINDOW = 1L << 20;
    /** How far from a stream's next offset a read may at least start and still count as sequential. */
    static final long SEQUENTIAL_SLACK = 256L << 10;
    private static final int SLACK_READS = 8;

    private final long maxWindow;
    private final Cache<Long, Streams> inodes;

    ReadAheadTracker(long maxWindow, long trackedInodes) {
        this.maxWindow = maxWindow;
        this.inodes = Caffeine.newBuilder().maximumSize(trackedInodes).executor(Runnable::run).build();
    }

    /**
     * Records a read of {@code [offset, offset + length)}. Returns null for a read that is not
     * part of a sequential stream; else the part of the file to fetch ahead of it that no earlier
     * call returned, which is empty when everything up to the window is ahead already.
     */
    ByteRange onRead(long inodeId, long offset, long length, long fileLength) {
        if (maxWindow <= 0 || length <= 0) {
            return null;
        }
        Streams streams = inodes.get(inodeId, k -> new Streams());
        synchronized (streams) {
            long end = offset + length;
            Stream stream = streams.near(offset, Math.max(SEQUENTIAL_SLACK, SLACK_READS * length));
            if (stream == null) {
                streams.start(offset, end);
                return null;
            }
            stream.next = Math.max(stream.next, end);
            stream.window = Math.min(maxWindow, stream.window == 0 ? INITIAL_WINDOW : stream.window * 2);
            stream.lastUse = ++streams.clock;
            long from = Math.max(stream.next, stream.fetchedTo);
            long to = Math.min(fileLength, stream.next + stream.window);
            if (to <= from) {
                return new ByteRange(from, from);
            }
            stream.fetchedTo = to;
            return new ByteRange(from, to);
        }
    }

    /** The current window of the stream expecting a read at {@code offset}, 0 if none (for tests). */
    long windowAt(long inodeId, long offset) {
        Streams streams = inodes.getIfPresent(inodeId);
        if (streams == null) {
            return 0;
        }
        synchronized (streams) {
            Stream stream = streams.near(offset, SEQUENTIAL_SLACK);
            return stream == null ? 0 : stream.window;
        }
    }

    void forget(long inodeId) {
        inodes.invalidate(inodeId);
    }

    private static final class Stream {
        long next;
        long window;
        long fetchedTo;
        long lastUse;
    }

    private static final class Streams {
        final Stream[] streams = new Stream[STREAMS_PER_INODE];
        long clock;

        Stream near(long offset, long slack) {
            for (Stream s : streams) {
                if (s != null && offset >= s.next - slack && offset <= s.next + slack) {
                    return s;
                }
            }
            return null;
        }

        void start(long offset, long end) {
            int slot = 0;
            for (int i = 0; i < streams.length; i++) {
                if (streams[i] == null) {
                    slot = i;
                    break;
                }
                if (streams[i].lastUse < streams[slot].lastUse) {
                    slot = i;
                }
            }
            Stream s = new Stream();
            s.next = end;
            s.lastUse = ++clock;
            streams[slot] = s;
        }
    }
}
