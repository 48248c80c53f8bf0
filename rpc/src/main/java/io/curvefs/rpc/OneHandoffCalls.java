package io.curvefs.rpc;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the opening of a call that sends one message (unary and server-streaming) to the
 * transport's event loop as one task.
 *
 * <p>Why: grpc-netty passes each step of a call from the calling thread to the event loop on its
 * own (the deadline timer at start, the first request for messages, the write of the message),
 * and on an idle loop each of them is a wake-up through an eventfd. Profiles of the mount showed
 * those wake-ups and the loop's going back to sleep between them as about a fifth of its CPU
 * under metadata work. Here start, request, message and half-close are recorded on the calling
 * thread and run together on the loop at half-close, where scheduling the deadline timer and
 * queueing the write cost no wake-up at all. Every later step (a cancel, more requests of a
 * stream) is queued to the loop in the order the caller made them. Calls that send a stream of
 * messages pass through unchanged.
 *
 * <p>What callers must do differently: half-close (or cancel) a call to have it sent at all (the
 * stubs always do), and not wait for {@code isReady} before sending the one message (false until
 * the call started on the loop). Listener callbacks that the channel makes right inside
 * {@code start} (a channel shut down before its first name resolution closes the call there)
 * would now run on the loop, where a blocking stub's caller never sees them: they are passed
 * through the call's executor instead.
 *
 * <p>The loop must be the one the channel's transport runs on: the channel is built on a group of
 * this one loop (see {@link Channels}).
 */
final class OneHandoffCalls implements ClientInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(OneHandoffCalls.class);

    private final EventLoop loop;

    OneHandoffCalls(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ClientCall<Q, R> call = next.newCall(method, options);
        if (!method.getType().clientSendsOneMessage()) {
            return call;
        }
        return new Batched<>(call, loop, options.getExecutor());
    }

    private static final class Batched<Q, R> extends ClientCall<Q, R> {

        private final ClientCall<Q, R> call;
        private final EventLoop loop;
        /** The executor of the caller's callbacks (a blocking stub's waiting thread), or null. */
        private final Executor callbacks;
        /** The steps recorded before half-close; null once they went to the loop. */
        private List<Runnable> recorded = new ArrayList<>(4);
        /** Set on the loop once the call started there (it then closes its listener itself). */
        private volatile boolean started;

        Batched(ClientCall<Q, R> call, EventLoop loop, Executor callbacks) {
            this.call = call;
            this.loop = loop;
            this.callbacks = callbacks;
        }

        /**
         * A start that throws (the caller would have seen it thrown) closes the listener instead,
         * so that nobody waits for an answer that cannot come; the steps after it are not run.
         */
        @Override
        public void start(Listener<R> responseListener, Metadata headers) {
            Listener<R> delivered = callbacks == null ? responseListener : offTheLoop(responseListener);
            step(() -> {
                try {
                    call.start(delivered, headers);
                } catch (RuntimeException e) {
                    delivered.onClose(Status.INTERNAL.withDescription("the call failed to start").withCause(e),
                            new Metadata());
                    throw e;
                }
                started = true;
            }, false);
        }

        @Override
        public void request(int numMessages) {
            step(() -> call.request(numMessages), false);
        }

        @Override
        public void sendMessage(Q message) {
            step(() -> call.sendMessage(message), false);
        }

        @Override
        public void halfClose() {
            step(call::halfClose, true);
        }

        @Override
        public void cancel(String message, Throwable cause) {
            step(() -> call.cancel(message, cause), true);
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            step(() -> call.setMessageCompression(enabled), false);
        }

        /** Not before the call started on the loop: until then there is no stream to be ready. */
        @Override
        public boolean isReady() {
            return started && call.isReady();
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        /** Queues the step (with the recorded ones, at a flush) under the lock, so steps reach the loop in call order. */
        private synchronized void step(Runnable step, boolean flush) {
            if (recorded != null) {
                recorded.add(step);
                if (!flush) {
                    return;
                }
                List<Runnable> steps = recorded;
                recorded = null;
                loop.execute(() -> runGuarded(() -> steps.forEach(Runnable::run)));
            } else {
                loop.execute(() -> runGuarded(step));
            }
        }

        /** A listener whose callbacks made on the loop go through the caller's executor. */
        private Listener<R> offTheLoop(Listener<R> target) {
            return new SimpleForwardingClientCallListener<>(target) {
                @Override
                public void onHeaders(Metadata headers) {
                    deliver(() -> super.onHeaders(headers));
                }

                @Override
                public void onMessage(R message) {
                    deliver(() -> super.onMessage(message));
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    deliver(() -> super.onClose(status, trailers));
                }

                @Override
                public void onReady() {
                    deliver(super::onReady);
                }
            };
        }

        private void deliver(Runnable callback) {
            if (loop.inEventLoop()) {
                callbacks.execute(callback);
            } else {
                callback.run();
            }
        }

        /** Runs steps on the loop; a step of a started call that throws cancels it (which closes its listener). */
        private void runGuarded(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("gRPC call step failed: {}", e.toString());
                if (started) {
                    call.cancel("a step of the call failed", e);
                }
            }
        }
    }
}
