package io.curvefs.rpc;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

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
 * queueing the write cost no wake-up at all. Later steps (a cancel, more requests of a stream)
 * follow on the loop in order. Calls that send a stream of messages pass through unchanged.
 *
 * <p>The loop must be the one the channel's transport runs on: the channel is built on a group of
 * this one loop (see {@link Channels}).
 */
final class OneHandoffCalls implements ClientInterceptor {

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
        Executor callbacks = options.getExecutor();
        return new Batched<>(call, loop, callbacks);
    }

    private static final class Batched<Q, R> extends ClientCall<Q, R> {

        private final ClientCall<Q, R> call;
        private final EventLoop loop;
        private final Executor callbacks;
        /** The steps recorded before half-close; null once they went to the loop. */
        private List<Runnable> recorded = new ArrayList<>(4);
        private Listener<R> listener;
        /** Set on the loop once the call started there (it then closes its listener itself). */
        private volatile boolean started;

        Batched(ClientCall<Q, R> call, EventLoop loop, Executor callbacks) {
            this.call = call;
            this.loop = loop;
            this.callbacks = callbacks;
        }

        @Override
        public void start(Listener<R> responseListener, Metadata headers) {
            synchronized (this) {
                listener = responseListener;
            }
            step(() -> {
                call.start(responseListener, headers);
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

        private void step(Runnable step, boolean flush) {
            Runnable task;
            synchronized (this) {
                if (recorded != null) {
                    recorded.add(step);
                    if (!flush) {
                        return;
                    }
                    List<Runnable> steps = recorded;
                    recorded = null;
                    task = () -> steps.forEach(Runnable::run);
                } else {
                    task = step;
                }
            }
            loop.execute(() -> runGuarded(task));
        }

        /**
         * Runs steps on the loop. A step that throws (the caller would have seen it thrown) ends
         * the call instead, so that nobody waits for an answer that cannot come: a started call is
         * cancelled (and closes its listener), a call that failed to start closes the listener here.
         */
        private void runGuarded(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                if (started) {
                    call.cancel("a step of the call failed", e);
                    return;
                }
                Listener<R> waiting;
                synchronized (this) {
                    waiting = listener;
                }
                if (waiting != null) {
                    Executor executor = callbacks != null ? callbacks : Runnable::run;
                    executor.execute(() -> waiting.onClose(
                            Status.INTERNAL.withDescription("the call failed to start").withCause(e), new Metadata()));
                }
            }
        }
    }
}
