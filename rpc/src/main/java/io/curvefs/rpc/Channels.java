package io.curvefs.rpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Builds the plaintext gRPC channels every component uses to talk to the others.
 *
 * <p>All client channels of a process share one event loop (epoll where available): they carry
 * metadata only (file data goes to the object store through its own client), one thread frames
 * it all, and with one loop the opening steps of each call reach it as one task
 * ({@link OneHandoffCalls}).
 */
public final class Channels {

    /** Large enough for a ListDentry page or an inode with a big chunk map. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    private static final boolean EPOLL = Epoll.isAvailable();
    private static final EventLoopGroup CLIENT_LOOP = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("curvefs-grpc-client", true), ioHandler());

    private Channels() {
    }

    private static IoHandlerFactory ioHandler() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static ManagedChannel open(HostPort address) {
        Class<? extends SocketChannel> type = EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
        return NettyChannelBuilder.forAddress(address.host(), address.port())
                .eventLoopGroup(CLIENT_LOOP)
                .channelType(type)
                .intercept(new OneHandoffCalls(CLIENT_LOOP.next()))
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .build();
    }

    public static void close(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
