package io.curvefs.client;

import io.curvefs.client.data.ChunkIdAllocator;
import io.curvefs.client.data.ChunkInfoStore;
import io.curvefs.client.data.DataConfig;
import io.curvefs.client.data.DataStore;
import io.curvefs.client.data.FsLayout;
import io.curvefs.proto.common.S3Info;

/**
 * Builds the data path of a mount: the object store named by the file system's S3Info and the
 * {@link DataStore} on top of it. The returned store owns what it opened and closes it.
 */
@FunctionalInterface
public interface DataPathFactory {
    DataStore open(S3Info s3, FsLayout layout, ChunkInfoStore chunks, ChunkIdAllocator chunkIds, DataConfig config);
}
