package io.curvefs.objectstore;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/** Opens the object store an {@link ObjectStoreConfig} names, chosen by the endpoint's scheme. */
public final class ObjectStores {

    private ObjectStores() {
    }

    /**
     * {@code file:///dir} opens a {@link LocalDirectoryStore} rooted at {@code dir/bucket}
     * (created if missing); {@code http://} and {@code https://} open an {@link S3ObjectStore}.
     *
     * @throws IllegalArgumentException if the endpoint is malformed or its scheme is unknown
     */
    public static ObjectStore open(ObjectStoreConfig config) {
        URI uri = parse(config.endpoint());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file":
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw new IllegalArgumentException(
                            "object store endpoint '" + config.endpoint() + "' has no directory; use file:///dir");
                }
                if (config.bucket().contains("/") || config.bucket().equals(".") || config.bucket().equals("..")) {
                    throw new IllegalArgumentException("object store bucket '" + config.bucket()
                            + "' must be a single directory name for a file:// endpoint");
                }
                return LocalDirectoryStore.open(Path.of(uri.getPath()).resolve(config.bucket()),
                        config.maxConcurrency());
            case "http":
            case "https":
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException(
                            "object store endpoint '" + config.endpoint() + "' has no host; use http://host:port");
                }
                return new S3ObjectStore(config);
            default:
                throw new IllegalArgumentException("object store endpoint '" + config.endpoint()
                        + "' has unknown scheme; use file:///dir, http://host:port or https://host:port");
        }
    }

    private static URI parse(String endpoint) {
        try {
            return new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("object store endpoint '" + endpoint + "' is not a URI: "
                    + e.getReason());
        }
    }
}
