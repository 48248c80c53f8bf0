package io.curvefs.client.data;

import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * File contents of one mounted file system, addressed by inode id. The VFS owns the inode
 * (length, times) and calls this layer for bytes; this layer owns buffering, chunk and block
 * layout, object names and the inodes' chunk lists (through {@link ChunkInfoStore}).
 */
public interface DataStore extends AutoCloseable {

    /**
     * Reads into {@code dst} from {@code offset}, at most up to {@code fileLength}, including
     * data written but not yet flushed. Returns the number of bytes read (0 at or past EOF).
     */
    int read(long inodeId, long fileLength, long offset, ByteBuffer dst);

    /** Buffers {@code src} at {@code offset}; may block while buffers are full (backpressure). */
    void write(long inodeId, long offset, ByteBuffer src);

    /** Uploads everything buffered for the inode and records its chunk infos; durable on return. */
    void flush(long inodeId);

    /**
     * Uploads everything buffered for the inode, then hands the new chunk infos (by chunk index;
     * empty when nothing was buffered) to {@code record}, which must make them durable, e.g. in
     * the UpdateInode that also writes the new length. Called once, in order with the inode's
     * other flushes; when {@code record} throws, the data stays buffered. Durable on return.
     */
    void flush(long inodeId, Consumer<Map<Long, List<S3ChunkInfo>>> record);

    /** Drops buffered data past {@code newLength}; data beyond it reads as zeros afterwards. */
    void truncate(long inodeId, long oldLength, long newLength);

    /** Forgets cached chunk lists of the inode, so the next read sees other mounts' writes. */
    void invalidate(long inodeId);

    /**
     * Called at open with the inode's current mtime and length: true when they equal what the
     * previous open saw, so cached data (also the kernel's pages) is still right; otherwise
     * cached chunk lists are dropped and false is returned.
     */
    default boolean revalidate(long inodeId, long mtime, long length) {
        invalidate(inodeId);
        return false;
    }

    /**
     * Loads the inode's stored blocks up to {@code length} into the local caches; completes with
     * the number of blocks fetched from the object store (0 without local caches).
     */
    default CompletableFuture<Long> warm(long inodeId, long length) {
        return CompletableFuture.completedFuture(0L);
    }

    /**
     * The inode is gone for good (last name removed, last handle closed, and deleted from the
     * metadata service, which handed back its chunk lists {@code chunks}): drops its buffers and
     * deletes every object those chunk lists name.
     */
    void delete(long inodeId, Map<Long, List<S3ChunkInfo>> chunks);

    /**
     * A file of {@code length} bytes was opened for reading and the kernel holds none of its
     * pages: a hint to start fetching its beginning before the first read asks for it.
     */
    default void openedForReading(long inodeId, long length) {
    }

    /**
     * Whether the inode's chunk lists are cached here, so that an open for reading needs only the
     * attributes to revalidate them (else it fetches the lists with them).
     */
    default boolean holdsChunkLists(long inodeId) {
        return false;
    }

    /** Flushes nothing; releases buffers and threads. Callers flush open files first. */
    @Override
    void close();
}
