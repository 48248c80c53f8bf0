package io.curvefs.client;

import io.curvefs.client.data.ChunkIdAllocator;
import io.curvefs.client.data.ChunkInfoStore;
import io.curvefs.client.data.DataConfig;
import io.curvefs.client.data.DataStore;
import io.curvefs.client.data.FsLayout;
import io.curvefs.client.data.ObjectDataStore;
import io.curvefs.client.metrics.MeteredObjectStore;
import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStoreConfig;
import io.curvefs.objectstore.ObjectStores;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where a mount's object store and data store are constructed. */
final class DataPaths {

    private static final Logger LOG = LoggerFactory.getLogger(DataPaths.class);

    private DataPaths() {
    }

    /** The object store of {@code s3} (a {@code file:///dir} endpoint is a local directory) under an ObjectDataStore. */
    static DataStore open(S3Info s3, FsLayout layout, ChunkInfoStore chunks, ChunkIdAllocator chunkIds,
                          DataConfig requested) {
        DataConfig config = requested.fittedTo(Runtime.getRuntime().maxMemory());
        if (!config.equals(requested)) {
            LOG.info("write buffer {} MiB and memory cache {} MiB (held to a sixth of the {} MiB heap each)",
                    config.writeBufferBytes() >> 20, config.memoryCacheBytes() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
        ObjectStore objects = new MeteredObjectStore(ObjectStores.open(new ObjectStoreConfig(s3.getEndpoint(), s3.getBucketname(),
                s3.getAk(), s3.getSk()).withMaxConcurrency(config.uploadParallelism() + config.readParallelism())));
        return new OwningDataStore(new ObjectDataStore(layout, objects, chunks, chunkIds, config), objects);
    }

    /** Closes the object store together with the data store on top of it. */
    private record OwningDataStore(DataStore store, ObjectStore objects) implements DataStore {
        @Override
        public int read(long inodeId, long fileLength, long offset, ByteBuffer dst) {
            return store.read(inodeId, fileLength, offset, dst);
        }

        @Override
        public void write(long inodeId, long offset, ByteBuffer src) {
            store.write(inodeId, offset, src);
        }

        @Override
        public void flush(long inodeId) {
            store.flush(inodeId);
        }

        @Override
        public void flush(long inodeId, Consumer<Map<Long, List<S3ChunkInfo>>> record) {
            store.flush(inodeId, record);
        }

        @Override
        public void truncate(long inodeId, long oldLength, long newLength) {
            store.truncate(inodeId, oldLength, newLength);
        }

        @Override
        public void invalidate(long inodeId) {
            store.invalidate(inodeId);
        }

        @Override
        public boolean revalidate(long inodeId, long mtime, long length) {
            return store.revalidate(inodeId, mtime, length);
        }

        @Override
        public CompletableFuture<Long> warm(long inodeId, long length) {
            return store.warm(inodeId, length);
        }

        @Override
        public void delete(long inodeId, Map<Long, List<S3ChunkInfo>> chunks) {
            store.delete(inodeId, chunks);
        }

        @Override
        public void openedForReading(long inodeId, long length) {
            store.openedForReading(inodeId, length);
        }

        @Override
        public boolean holdsChunkLists(long inodeId) {
            return store.holdsChunkLists(inodeId);
        }

        @Override
        public void close() {
            try {
                store.close();
            } finally {
                objects.close();
            }
        }
    }
}
