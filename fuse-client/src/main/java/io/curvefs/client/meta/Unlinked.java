package io.curvefs.client.meta;

import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.util.List;
import java.util.Map;

/**
 * What removing a file's name did to the inode {@code ino} it named. {@code linkDropped} false: only
 * the name went, and dropping the inode's link is the caller's job. Otherwise {@code after} is the
 * inode after its link was dropped (null when a resend found it already deleted), and when
 * {@code deleted} the inode is gone and {@code chunks} are the chunk lists it had, by chunk index.
 */
public record Unlinked(long ino, boolean linkDropped, Attr after, boolean deleted,
                       Map<Long, List<S3ChunkInfo>> chunks) {

    /** Only the name was removed. */
    public static Unlinked nameOnly(long ino) {
        return new Unlinked(ino, false, null, false, Map.of());
    }
}
