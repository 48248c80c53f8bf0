package io.curvefs.objectstore;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket through aws-sdk-java-v2's asynchronous client on netty.
 *
 * <p>Built for S3-compatible servers as much as for AWS: path-style addressing by default, an
 * endpoint override, and checksums only where the API requires them (S3Proxy and other servers
 * reject or mis-verify the SDK's default {@code x-amz-checksum-*} headers). Uploads carry a plain
 * {@code application/octet-stream} content type, since some servers fail signatures that include
 * a {@code charset}. The SDK's standard retry strategy (exponential backoff with jitter) retries
 * throttling, 5xx and I/O failures a few times; the netty pool bounds requests in flight to
 * {@link ObjectStoreConfig#maxConcurrency()} and queues the rest.
 *
 * <p>A read range that starts at or past the end of the object yields no bytes (S3 answers 416),
 * the same as {@link LocalDirectoryStore}.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

    private static final int MAX_ATTEMPTS = 4;
    private static final int DELETE_BATCH = 1000;
    private static final String CONTENT_TYPE = "application/octet-stream";
    private static final int RANGE_NOT_SATISFIABLE = 416;
    private static final int NOT_FOUND = 404;
    private static final int NOT_IMPLEMENTED = 501;
    private static final long EVENT_LOOP_SHUTDOWN_SECONDS = 15;

    private final String bucket;
    private final String description;
    private final SdkEventLoopGroup eventLoops;
    private final S3AsyncClient client;
    private final AtomicBoolean warnedDeleteObjectsUnsupported = new AtomicBoolean();

    public S3ObjectStore(ObjectStoreConfig config) {
        URI endpoint = URI.create(config.endpoint());
        this.bucket = config.bucket();
        this.description = "s3 " + withoutUserInfo(endpoint) + "/" + bucket;
        this.eventLoops = SdkEventLoopGroup.builder().build();
        this.client = buildClient(config, endpoint, eventLoops);
        LOG.info("opened {} (region {}, path-style {}, max {} requests in flight)",
                description, config.region(), config.pathStyle(), config.maxConcurrency());
    }

    private static S3AsyncClient buildClient(ObjectStoreConfig config, URI endpoint, SdkEventLoopGroup eventLoops) {
        try {
            return S3AsyncClient.builder()
                    .endpointOverride(endpoint)
                    .region(Region.of(config.region()))
                    .forcePathStyle(config.pathStyle())
                    .credentialsProvider(credentials(config))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                            .eventLoopGroup(eventLoops)
                            .maxConcurrency(config.maxConcurrency())
                            .connectionAcquisitionTimeout(config.requestTimeout()))
                    .overrideConfiguration(o -> o
                            .apiCallAttemptTimeout(config.requestTimeout())
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                    .maxAttempts(MAX_ATTEMPTS)
                                    .build()))
                    .build();
        } catch (RuntimeException e) {
            eventLoops.eventLoopGroup().shutdownGracefully(0, EVENT_LOOP_SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            throw new IllegalArgumentException("cannot configure S3 client for " + withoutUserInfo(endpoint) + ": " + e.getMessage(), e);
        }
    }

    /** Creates the bucket unless it exists already (by us or by a concurrent caller). */
    public void createBucketIfMissing() {
        try {
            client.headBucket(b -> b.bucket(bucket)).join();
            return;
        } catch (CompletionException e) {
            if (statusOf(unwrap(e)) != NOT_FOUND) {
                throw failure("head bucket", unwrap(e));
            }
        }
        try {
            client.createBucket(b -> b.bucket(bucket)).join();
            LOG.info("created bucket {}", description);
        } catch (CompletionException e) {
            String code = errorCodeOf(unwrap(e));
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw failure("create bucket", unwrap(e));
            }
        }
    }

    @Override
    public CompletableFuture<Void> put(String key, byte[] data) {
        return client.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                                .contentLength((long) data.length),
                        AsyncRequestBody.fromBytesUnsafe(data))
                .handle((response, error) -> {
                    if (error != null) {
                        throw failure("put " + key, unwrap(error));
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<byte[]> get(String key, long offset, long length) {
        if (offset < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("negative offset " + offset));
        }
        if (length == 0) {
            return head(key).thenApply(info -> {
                if (info.isEmpty()) {
                    throw new ObjectNotFoundException(key);
                }
                return new byte[0];
            });
        }
        String range = rangeHeader(offset, length);
        return client.getObject(b -> b.bucket(bucket).key(key).range(range), new BodyIntoArray())
                .handle((bytes, error) -> {
                    if (error == null) {
                        return bytes;
                    }
                    Throwable cause = unwrap(error);
                    if (statusOf(cause) == RANGE_NOT_SATISFIABLE) {
                        return new byte[0];
                    }
                    throw notFoundOrFailure("get " + key, key, cause);
                });
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> head(String key) {
        return client.headObject(b -> b.bucket(bucket).key(key))
                .handle((response, error) -> {
                    if (error == null) {
                        return Optional.of(new ObjectInfo(key, response.contentLength()));
                    }
                    Throwable cause = unwrap(error);
                    if (notFound(cause)) {
                        return Optional.empty();
                    }
                    throw failure("head " + key, cause);
                });
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return client.deleteObject(b -> b.bucket(bucket).key(key))
                .handle((response, error) -> {
                    if (error != null && !notFound(unwrap(error))) {
                        throw failure("delete " + key, unwrap(error));
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> deleteAll(Collection<String> keys) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int from = 0; from < distinct.size(); from += DELETE_BATCH) {
            batches.add(deleteBatch(distinct.subList(from, Math.min(distinct.size(), from + DELETE_BATCH))));
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> deleteBatch(List<String> keys) {
        List<ObjectIdentifier> objects = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        Delete delete = Delete.builder().objects(objects).quiet(true).build();
        String what = "delete of " + keys.size() + " objects from " + keys.get(0);
        return client.deleteObjects(b -> b.bucket(bucket).delete(delete))
                .handle((response, error) -> {
                    if (error == null) {
                        checkNoErrors(what, response);
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    Throwable cause = unwrap(error);
                    if (statusOf(cause) == NOT_IMPLEMENTED) {
                        return deleteEach(keys);
                    }
                    throw failure(what, cause);
                })
                .thenCompose(deleted -> deleted);
    }

    /**
     * DeleteObjects must carry a checksum, and the SDK sends it as an {@code x-amz-checksum-*}
     * header that some S3-compatible servers (S3Proxy without ignore-unknown-headers) answer with
     * 501; those servers still delete one object per request.
     */
    private CompletableFuture<Void> deleteEach(List<String> keys) {
        if (!warnedDeleteObjectsUnsupported.getAndSet(true)) {
            LOG.warn("{} does not implement DeleteObjects as the SDK sends it; deleting one object per request",
                    description);
        }
        return CompletableFuture.allOf(keys.stream().map(this::delete).toArray(CompletableFuture[]::new));
    }

    private void checkNoErrors(String what, DeleteObjectsResponse response) {
        for (S3Error error : response.errors()) {
            if (!"NoSuchKey".equals(error.code())) {
                throw new ObjectStoreException(description + ": " + what + " failed at " + error.key() + ": "
                        + error.code() + " " + error.message());
            }
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        List<ObjectInfo> found = new ArrayList<>();
        String continuation = null;
        do {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(bucket).prefix(prefix).continuationToken(continuation).build();
            ListObjectsV2Response page = await("list " + prefix, client.listObjectsV2(request));
            for (S3Object object : page.contents()) {
                found.add(new ObjectInfo(object.key(), object.size()));
            }
            continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (continuation != null);
        return found;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        client.close();
        // The SDK would wait out a 2 s quiet period on its own event loops; with every
        // connection already closed there is nothing to wait for.
        eventLoops.eventLoopGroup().shutdownGracefully(0, EVENT_LOOP_SHUTDOWN_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly();
    }

    private <T> T await(String what, CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw failure(what, unwrap(e.getCause()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(description + ": " + what + " interrupted", e);
        }
    }

    private static String rangeHeader(long offset, long length) {
        if (length < 0 || offset + length < 0) {
            return "bytes=" + offset + "-";
        }
        return "bytes=" + offset + "-" + (offset + length - 1);
    }

    private RuntimeException notFoundOrFailure(String what, String key, Throwable cause) {
        return notFound(cause) ? new ObjectNotFoundException(key) : failure(what, cause);
    }

    private ObjectStoreException failure(String what, Throwable cause) {
        if (cause instanceof ObjectStoreException e) {
            return e;
        }
        String reason = cause instanceof AwsServiceException e && e.awsErrorDetails() != null
                ? e.statusCode() + " " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()
                : String.valueOf(cause.getMessage());
        return new ObjectStoreException(description + ": " + what + " failed: " + reason, cause);
    }

    /** A missing key, but not a missing bucket: that is a configuration error, never "no object". */
    private static boolean notFound(Throwable cause) {
        if (cause instanceof NoSuchKeyException) {
            return true;
        }
        return statusOf(cause) == NOT_FOUND && !"NoSuchBucket".equals(errorCodeOf(cause));
    }

    private static int statusOf(Throwable cause) {
        return cause instanceof SdkServiceException e ? e.statusCode() : -1;
    }

    private static String errorCodeOf(Throwable cause) {
        return cause instanceof AwsServiceException e && e.awsErrorDetails() != null
                ? e.awsErrorDetails().errorCode()
                : null;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static AwsCredentialsProvider credentials(ObjectStoreConfig config) {
        if (config.accessKey().isEmpty()) {
            return AnonymousCredentialsProvider.create();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    }

    private static String withoutUserInfo(URI endpoint) {
        String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
        String path = endpoint.getPath() == null ? "" : endpoint.getPath().replaceAll("/+$", "");
        return endpoint.getScheme() + "://" + endpoint.getHost() + port + path;
    }
}
