package io.curvefs.mds.fs;

import io.curvefs.objectstore.ObjectStore;
import io.curvefs.proto.common.S3Info;
import io.curvefs.proto.mds.FSStatusCode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Proves at CreateFs time that the fs's data store works, by writing, reading back and
 * deleting a small test object, so a typo in an endpoint or key fails the create instead of
 * the first write. A {@code file:///dir} endpoint is the local-directory store: the MDS
 * creates {@code dir/bucket} and tries a file there; any other endpoint goes through the
 * {@link ObjectStoreOpener}.
 */
public final class S3InfoChecker {

    private static final long TIMEOUT_SECONDS = 10;

    private final ObjectStoreOpener opener;

    public S3InfoChecker(ObjectStoreOpener opener) {
        this.opener = opener;
    }

    /** Throws {@link FsException} with S3_INFO_ERROR and the reason when the store is unusable. */
    public void verify(S3Info info) {
        if (info.getBucketname().isBlank()) {
            throw refused(info, "empty bucket name");
        }
        if (info.getEndpoint().startsWith("file:")) {
            verifyDirectory(info);
        } else {
            verifyObjectStore(info);
        }
    }

    private void verifyDirectory(S3Info info) {
        Path root;
        try {
            root = Path.of(new URI(info.getEndpoint()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw refused(info, "not a file:///absolute/dir endpoint");
        }
        Path bucket = root.resolve(info.getBucketname());
        Path probe = bucket.resolve(probeName());
        byte[] data = probeData();
        try {
            Files.createDirectories(bucket);
            Files.write(probe, data);
            if (!Arrays.equals(Files.readAllBytes(probe), data)) {
                throw refused(info, "test file read back differently");
            }
            Files.delete(probe);
        } catch (IOException e) {
            throw refused(info, "cannot use directory " + bucket + ": " + e);
        }
    }

    private void verifyObjectStore(S3Info info) {
        String key = probeName();
        byte[] data = probeData();
        try (ObjectStore store = opener.open(info)) {
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
