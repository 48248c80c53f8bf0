package io.curvefs.client.meta;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Chunk lists that came with the GetInode of an open for reading, kept for the data layer's
 * first load of that inode, so that a cold open and its first read cost one metaserver request
 * for attributes and chunk lists instead of two.
 *
 * <p><b>Why an epoch.</b> A list read while an append of this mount was in flight may lack that
 * append, and handing it out would hide just-written data from this mount's own reads. Every
 * append moves the epoch when it starts and when it ends; a fetched list is kept only if the
 * epoch did not move while it was fetched and no append is in flight, and an append drops the
 * inode's kept list. The epoch is one for all inodes: simple and always safe; a mount busy
 * writing just keeps fewer lists. Other mounts' appends are close-to-open's business: the list
 * is as new as the open.
 */
final class OpenedChunkLists {

    private static final int MAX_KEPT = 1024;
    private static final Duration KEPT_FOR = Duration.ofSeconds(10);

    private final Cache<Long, Map<Long, List<S3ChunkInfo>>> kept = Caffeine.newBuilder().maximumSize(MAX_KEPT)
            .expireAfterWrite(KEPT_FOR).executor(Runnable::run).build();
    private long epoch;
    private int appending;

    /** The epoch to pass to {@link #keep} for a fetch that starts now. */
    synchronized long fetchStarts() {
        return epoch;
    }

    /** Keeps a fetched list unless an append started or ended since {@code startedAt} or is in flight. */
    synchronized void keep(long ino, long startedAt, Map<Long, List<S3ChunkInfo>> lists) {
        if (epoch == startedAt && appending == 0) {
            kept.put(ino, lists);
        }
    }

    /** The kept list of the inode, handed out once; null if none. */
    Map<Long, List<S3ChunkInfo>> take(long ino) {
        return kept.asMap().remove(ino);
    }

    synchronized void appendStarts(long ino) {
        epoch++;
        appending++;
        kept.invalidate(ino);
    }

    synchronized void appendEnds(long ino) {
        epoch++;
        appending--;
        kept.invalidate(ino);
    }
}
