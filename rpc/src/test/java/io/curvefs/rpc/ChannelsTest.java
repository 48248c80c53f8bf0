package io.curvefs.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls of every kind through a channel of {@link Channels}, whose one-message calls open in one hand-off. */
class ChannelsTest {

    static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            if (value.equals("unsendable")) {
                throw new IllegalArgumentException("cannot marshal " + value);
            }
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<String, String> ECHO = method("Echo", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> SILENT = method("Silent", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> SPELL =
            method("Spell", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

    private Server server;
    private ManagedChannel channel;

    static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.newBuilder(TEXT, TEXT).setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Text", name)).build();
    }

    @BeforeEach
    void start() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Text")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> response) -> {
                    response.onNext("echo " + request);
                    response.onCompleted();
                }))
                .addMethod(SILENT, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> response) -> {
                }))
                .addMethod(SPELL, ServerCalls.asyncServerStreamingCall((String request, StreamObserver<String> response) -> {
                    for (char c : request.toCharArray()) {
                        response.onNext(String.valueOf(c));
                    }
                    response.onCompleted();
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(response -> new StreamObserver<String>() {
                    @Override
                    public void onNext(String value) {
                        response.onNext("heard " + value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        response.onCompleted();
                    }
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        channel = Channels.open(new HostPort("127.0.0.1", server.getPort()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        Channels.close(channel);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static CallOptions withDeadline(long millis) {
        return CallOptions.DEFAULT.withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
    }

    @Test
    void unaryCallsFromManyThreadsAllGetTheirAnswers() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String request = "r" + i;
                answers.add(callers.submit(() -> ClientCalls.blockingUnaryCall(channel, ECHO, withDeadline(10_000), request)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("echo r" + i);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aServerStreamDeliversEveryMessage() {
        Iterator<String> letters = ClientCalls.blockingServerStreamingCall(channel, SPELL, withDeadline(10_000), "abc");
        List<String> got = new ArrayList<>();
        letters.forEachRemaining(got::add);
        assertThat(got).containsExactly("a", "b", "c");
    }

    /** The deadline timer is scheduled on the loop by the batched start: without it this call would wait forever. */
    @Test
    void theDeadlineEndsACallNobodyAnswers() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(
                () -> ClientCalls.blockingUnaryCall(channel, SILENT, withDeadline(300), "anyone?"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED)));
    }

    @Test
    void aMessageThatCannotBeSentEndsTheCall() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, ECHO, withDeadline(60_000), "unsendable"))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void aStreamOfRequestsIsNotHeldBackUntilHalfClose() throws Exception {
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(CHAT, withDeadline(10_000)), new StreamObserver<>() {
                    @Override
                    public void onNext(String value) {
                        heard.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        heard.add("error " + t);
                    }

                    @Override
                    public void onCompleted() {
                        heard.add("done");
                    }
                });
        requests.onNext("one");
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("heard one");
        requests.onNext("two");
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("heard two");
        requests.onCompleted();
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("done");
    }
}
