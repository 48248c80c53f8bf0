package io.curvefs.client.data;

import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.util.List;
import java.util.Map;

/** The chunk lists of inodes, kept by the metadata service; implemented by the metadata layer. */
public interface ChunkInfoStore {

    /** Chunk index to chunk infos, oldest first (later entries win where they overlap). */
    Map<Long, List<S3ChunkInfo>> load(long inodeId);

    /** Appends to the inode's chunk lists; durable when it returns. */
    void append(long inodeId, Map<Long, List<S3ChunkInfo>> added);
}
