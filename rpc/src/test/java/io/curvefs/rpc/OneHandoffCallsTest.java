package io.curvefs.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptor over a scripted call on a real event loop: where each step runs, and how a call the
 * channel ends at once reaches a blocking caller. The transport itself is covered by {@link ChannelsTest}.
 */
class OneHandoffCallsTest {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<String> steps = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** A channel whose calls record each step with its thread, and whose start does {@code onStart}. */
    private Channel channel(BiConsumer<ClientCall.Listener<String>, List<String>> onStart) {
        Channel scripted = new Channel() {
            @Override
            @SuppressWarnings("unchecked")
            public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
                return (ClientCall<Q, R>) new ClientCall<String, String>() {
                    @Override
                    public void start(Listener<String> listener, Metadata headers) {
                        record("start");
                        onStart.accept(listener, steps);
                    }

                    @Override
                    public void request(int n) {
                        record("request");
                    }

                    @Override
                    public void sendMessage(String message) {
                        record("message");
                    }

                    @Override
                    public void halfClose() {
                        record("halfClose");
                    }

                    @Override
                    public void cancel(String message, Throwable cause) {
                        record("cancel");
                    }
                };
            }

            @Override
            public String authority() {
                return "scripted";
            }
        };
        return ClientInterceptors.intercept(scripted, new OneHandoffCalls(group.next()));
    }

    private void record(String step) {
        steps.add(step + (group.next().inEventLoop() ? "@loop" : "@caller"));
    }

    private String call(Channel channel) throws Throwable {
        String[] answer = new String[1];
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            answer[0] = ClientCalls.blockingUnaryCall(channel, ChannelsTest.ECHO, CallOptions.DEFAULT, "x");
        });
        return answer[0];
    }

    @Test
    void theOpeningStepsRunOnTheLoopInOrder() throws Throwable {
        Channel channel = channel((listener, steps) -> {
            listener.onMessage("answer");
            listener.onClose(Status.OK, new Metadata());
        });
        assertThat(call(channel)).isEqualTo("answer");
        assertThat(steps).containsExactly("start@loop", "request@loop", "message@loop", "halfClose@loop");
    }

    /** grpc's channel does this after a shutdown: the callback comes on the loop, the caller waits elsewhere. */
    @Test
    void aCallTheChannelClosesInsideStartReachesTheBlockedCaller() {
        Channel channel = channel((listener, steps) -> listener.onClose(Status.UNAVAILABLE, new Metadata()));
        assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void aStartThatThrowsEndsTheCallAndRunsNoLaterStep() {
        Channel channel = channel((listener, steps) -> {
            throw new IllegalStateException("no stream");
        });
        assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
        assertThat(steps).startsWith("start@loop").doesNotContain("request@loop", "message@loop", "halfClose@loop");
    }
}
