package io.curvefs.objectstore;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Collects a GET body into one array sized by its Content-Length, copying each network buffer
 * once. The SDK's {@code toBytes()} grows a stream buffer and copies it out again at the end:
 * two to three copies and twice the memory of every body in flight, which on a CPU-bound
 * client (a 2-core machine running S3 next to the mount) is read throughput lost.
 * {@link #prepare()} starts afresh, so a retried attempt never sees an earlier one's bytes.
 */
final class BodyIntoArray implements AsyncResponseTransformer<GetObjectResponse, byte[]> {

    private volatile CompletableFuture<byte[]> result;
    private volatile long expectedLength;

    @Override
    public CompletableFuture<byte[]> prepare() {
        result = new CompletableFuture<>();
        expectedLength = -1;
        return result;
    }

    @Override
    public void onResponse(GetObjectResponse response) {
        Long length = response.contentLength();
        expectedLength = length == null ? -1 : length;
    }

    @Override
    public void onStream(SdkPublisher<ByteBuffer> publisher) {
        CompletableFuture<byte[]> target = result;
        long length = expectedLength;
        publisher.subscribe(new Subscriber<ByteBuffer>() {
            private byte[] bytes = new byte[length >= 0 && length <= Integer.MAX_VALUE - 8 ? (int) length : 8192];
            private int size;

            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                int n = buffer.remaining();
                if (size + n > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
                }
                buffer.get(bytes, size, n);
                size += n;
            }

            @Override
            public void onError(Throwable error) {
                target.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                target.complete(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
            }
        });
    }

    @Override
    public void exceptionOccurred(Throwable error) {
        CompletableFuture<byte[]> target = result;
        if (target != null) {
            target.completeExceptionally(error);
        }
    }
}
