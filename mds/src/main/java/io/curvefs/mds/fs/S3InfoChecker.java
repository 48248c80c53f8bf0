package io.curvefs.mds.fs;

import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStoreConfig;
import io.curvefs.objectstore.ObjectStores;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.FSStatusCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Proves at CreateFs time that the fs's data store works, by writing, reading back and
 * deleting a small test object, so a typo in an endpoint or key fails the create instead of
 * the first write. The store is opened exactly as the mounts will open it.
 */
public final class S3InfoChecker {

    private static final long TIMEOUT_SECONDS = 10;

    /** Throws {@link FsException} with S3_INFO_ERROR and the reason when the store is unusable. */
    public void verify(S3Info info) {
        if (info.getBucketname().isBlank()) {
            throw refused(info, "empty bucket name");
        }
        String key = probeName();
        byte[] data = probeData();
        try (ObjectStore store = ObjectStores.open(
                new ObjectStoreConfig(info.getEndpoint(), info.getBucketname(), info.getAk(), info.getSk()))) {
            store.put(key, data).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            byte[] read = store.get(key, 0, -1).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            store.delete(key).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!Arrays.equals(read, data)) {
                throw refused(info, "test object read back differently");
            }
        } catch (ExecutionException e) {
            throw refused(info, String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            throw refused(info, "no answer within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused(info, "interrupted");
        } catch (RuntimeException e) {
            if (e instanceof FsException fs) {
                throw fs;
            }
            throw refused(info, e.getMessage());
        }
    }
    private static String probeName() {
        return ".curvefs-mds-check-" + UUID.randomUUID();
    }

    private static byte[] probeData() {
        return "curvefs mds bucket check".getBytes(StandardCharsets.UTF_8);
    }

    private static FsException refused(S3Info info, String reason) {
        return new FsException(FSStatusCode.S3_INFO_ERROR, "data store " + info.getEndpoint() + " bucket "
                + info.getBucketname() + " is not usable: " + reason);
    }
}
