package io.curvefs.objectstore;

import java.time.Duration;
import java.util.Objects;

/**
 * Where objects live and how to reach them. An endpoint {@code file:///dir} names the
 * local-directory store rooted at {@code dir/bucket}; {@code http://} or {@code https://}
 * names an S3 service. {@link #toString()} never shows the secret key.
 *
 * @param endpoint       {@code file:///dir}, {@code http://host:port} or {@code https://host:port}
 * @param bucket         the bucket (for the local store: the sub-directory of {@code dir})
 * @param accessKey      S3 access key id (ignored by the local store)
 * @param secretKey      S3 secret access key (ignored by the local store)
 * @param region         S3 signing region
 * @param pathStyle      address buckets as {@code host/bucket} rather than {@code bucket.host}
 * @param maxConcurrency most requests in flight at once
 * @param requestTimeout longest time one attempt of one request may take
 */
public record ObjectStoreConfig(
        String endpoint,
        String bucket,
        String accessKey,
        String secretKey,
        String region,
        boolean pathStyle,
        int maxConcurrency,
        Duration requestTimeout) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final int DEFAULT_MAX_CONCURRENCY = 64;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public ObjectStoreConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        accessKey = accessKey == null ? "" : accessKey;
        secretKey = secretKey == null ? "" : secretKey;
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("object store bucket must not be empty");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("object store maxConcurrency must be at least 1, got " + maxConcurrency);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("object store requestTimeout must be positive, got " + requestTimeout);
        }
    }

    /** The common case: default region, path-style addressing, concurrency and timeout. */
    public ObjectStoreConfig(String endpoint, String bucket, String accessKey, String secretKey) {
        this(endpoint, bucket, accessKey, secretKey, DEFAULT_REGION, true, DEFAULT_MAX_CONCURRENCY,
                DEFAULT_REQUEST_TIMEOUT);
    }

    /** Same as the four-argument constructor. */
    public static ObjectStoreConfig of(String endpoint, String bucket, String accessKey, String secretKey) {
        return new ObjectStoreConfig(endpoint, bucket, accessKey, secretKey);
    }

    public ObjectStoreConfig withMaxConcurrency(int value) {
        return new ObjectStoreConfig(endpoint, bucket, accessKey, secretKey, region, pathStyle, value, requestTimeout);
    }

    public ObjectStoreConfig withRequestTimeout(Duration value) {
        return new ObjectStoreConfig(endpoint, bucket, accessKey, secretKey, region, pathStyle, maxConcurrency, value);
    }

    public ObjectStoreConfig withRegion(String value) {
        return new ObjectStoreConfig(endpoint, bucket, accessKey, secretKey, value, pathStyle, maxConcurrency,
                requestTimeout);
    }

    public ObjectStoreConfig withPathStyle(boolean value) {
        return new ObjectStoreConfig(endpoint, bucket, accessKey, secretKey, region, value, maxConcurrency,
                requestTimeout);
    }

    public ObjectStoreConfig withBucket(String value) {
        return new ObjectStoreConfig(endpoint, value, accessKey, secretKey, region, pathStyle, maxConcurrency,
                requestTimeout);
    }

    @Override
    public String toString() {
        return "ObjectStoreConfig[endpoint=" + endpoint + ", bucket=" + bucket + ", accessKey=" + accessKey
                + ", secretKey=" + (secretKey.isEmpty() ? "" : "****") + ", region=" + region
                + ", pathStyle=" + pathStyle + ", maxConcurrency=" + maxConcurrency
                + ", requestTimeout=" + requestTimeout + "]";
    }
}
