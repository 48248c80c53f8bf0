package io.curvefs.objectstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for tests: S3Proxy in this JVM on 127.0.0.1 and a free port, storing objects
 * in a temporary directory (jclouds {@code filesystem-nio2}), requiring AWS v2 or v4 signatures
 * with {@link #ACCESS_KEY}/{@link #SECRET_KEY}, and (unless asked otherwise) ignoring headers it
 * does not know, such as the SDK's checksum headers. {@link #start()} creates the bucket {@link #BUCKET}; {@link #close()} stops
 * the server and deletes the directory.
 *
 * <pre>{@code
 * try (S3ProxyFixture s3 = S3ProxyFixture.start();
 *      ObjectStore store = ObjectStores.open(s3.config())) { ... }
 * }</pre>
 */
public final class S3ProxyFixture implements AutoCloseable {

    public static final String ACCESS_KEY = "curvefs-test-access";
    public static final String SECRET_KEY = "curvefs-test-secret";
    public static final String BUCKET = "curvefs";

    private final Path dataDir;
    private final BlobStoreContext blobStores;
    private final S3Proxy proxy;

    private S3ProxyFixture(Path dataDir, BlobStoreContext blobStores, S3Proxy proxy) {
        this.dataDir = dataDir;
        this.blobStores = blobStores;
        this.proxy = proxy;
    }

    /** Starts a server with the bucket {@link #BUCKET} already created. */
    public static S3ProxyFixture start() {
        return start(true);
    }

    /**
     * Starts a server with the bucket {@link #BUCKET} already created; with
     * {@code ignoreUnknownHeaders} false it answers 501 to headers it does not know, as
     * S3Proxy does by default.
     */
    public static S3ProxyFixture start(boolean ignoreUnknownHeaders) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("s3proxy-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BlobStoreContext blobStores = null;
        S3Proxy proxy = null;
        try {
            Properties backend = new Properties();
            backend.setProperty("jclouds.filesystem.basedir", dataDir.toString());
            blobStores = ContextBuilder.newBuilder("filesystem-nio2")
                    .credentials("local", "local")
                    .overrides(backend)
                    .build(BlobStoreContext.class);
            proxy = S3Proxy.builder()
                    .blobStore(blobStores.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .ignoreUnknownHeaders(ignoreUnknownHeaders)
                    .build();
            proxy.start();
            S3ProxyFixture fixture = new S3ProxyFixture(dataDir, blobStores, proxy);
            fixture.createBucket(BUCKET);
            return fixture;
        } catch (Exception e) {
            stopQuietly(proxy, e);
            if (blobStores != null) {
                blobStores.close();
            }
            deleteRecursively(dataDir);
            throw new IllegalStateException("cannot start S3Proxy: " + e, e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public int port() {
        return proxy.getPort();
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String bucket() {
        return BUCKET;
    }

    /** Where the server keeps its buckets (one sub-directory each). */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates {@code bucket} on the server; creating an existing bucket does nothing. */
    public void createBucket(String bucket) {
        blobStores.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** Settings to reach {@link #BUCKET} with the common defaults. */
    public ObjectStoreConfig config() {
        return config(BUCKET);
    }

    /** Settings to reach {@code bucket} (which must exist, see {@link #createBucket}). */
    public ObjectStoreConfig config(String bucket) {
        return new ObjectStoreConfig(endpoint(), bucket, ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy: " + e, e);
        } finally {
            blobStores.close();
            deleteRecursively(dataDir);
        }
    }

    /** Cleanup after a failed start: a failure to stop joins the start failure. */
    private static void stopQuietly(S3Proxy proxy, Exception startFailure) {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            startFailure.addSuppressed(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
