package io.curvefs.client.vfs;

import io.curvefs.client.data.DataStore;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;

/** File contents in memory, with counters of the calls the VFS must make. */
public final class InMemoryDataStore implements DataStore {

    private final Map<Long, byte[]> files = new HashMap<>();
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger invalidations = new AtomicInteger();
    /** Reads that reached this store (the kernel's page cache answers the others). */
    public final AtomicInteger reads = new AtomicInteger();
    /** What {@link #revalidate} answers when true; otherwise every open sees a changed file. */
    public volatile boolean unchangedOnOpen;

    @Override
    public synchronized int read(long inodeId, long fileLength, long offset, ByteBuffer dst) {
        reads.incrementAndGet();
        byte[] content = files.getOrDefault(inodeId, new byte[0]);
        if (offset >= fileLength) {
            return 0;
        }
        int n = (int) Math.min(dst.remaining(), fileLength - offset);
        for (int i = 0; i < n; i++) {
            long at = offset + i;
            dst.put(at < content.length ? content[(int) at] : 0);
        }
        return n;
    }

    @Override
    public synchronized void write(long inodeId, long offset, ByteBuffer src) {
        byte[] content = files.getOrDefault(inodeId, new byte[0]);
        int end = (int) offset + src.remaining();
        if (end > content.length) {
            content = Arrays.copyOf(content, end);
        }
        src.get(content, (int) offset, src.remaining());
        files.put(inodeId, content);
    }

    @Override
    public void flush(long inodeId) {
        flushes.incrementAndGet();
    }

    @Override
    public void flush(long inodeId, Consumer<Map<Long, List<S3ChunkInfo>>> record) {
        flushes.incrementAndGet();
        record.accept(Map.of());
    }

    @Override
    public synchronized void truncate(long inodeId, long oldLength, long newLength) {
        byte[] content = files.getOrDefault(inodeId, new byte[0]);
        files.put(inodeId, Arrays.copyOf(content, (int) Math.min(content.length, newLength)));
    }

    @Override
    public void invalidate(long inodeId) {
        invalidations.incrementAndGet();
    }

    @Override
    public boolean revalidate(long inodeId, long mtime, long length) {
        return unchangedOnOpen || DataStore.super.revalidate(inodeId, mtime, length);
    }

    @Override
    public synchronized void delete(long inodeId, Map<Long, List<S3ChunkInfo>> chunks) {
        files.remove(inodeId);
    }

    boolean holds(long inodeId) {
        synchronized (this) {
            return files.containsKey(inodeId);
        }
    }

    @Override
    public void close() {
    }
}
