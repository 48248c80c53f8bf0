package io.curvefs.mds.fs;

import io.curvefs.objectstore.ObjectStore;
import io.curvefs.objectstore.ObjectStoreException;
import io.curvefs.proto.common.S3Info;

/**
 * Opens the object store an fs's S3Info names, for the CreateFs bucket check. The S3 client
 * lives in the s3-adapter module ({@code ObjectStores.open}); until that is merged the MDS
 * runs with {@link #NOT_AVAILABLE}, which refuses http(s) endpoints with a clear message.
 */
@FunctionalInterface
public interface ObjectStoreOpener {

    ObjectStoreOpener NOT_AVAILABLE = info -> {
        throw new ObjectStoreException("this MDS build cannot reach S3 endpoints yet (" + info.getEndpoint()
                + "); use a file:// endpoint");
    };

    ObjectStore open(S3Info info);
}
