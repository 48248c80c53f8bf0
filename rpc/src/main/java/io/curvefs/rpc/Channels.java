package io.curvefs.rpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** Builds the plaintext gRPC channels every component uses to talk to the others. */
public final class Channels {

    /** Large enough for a ListDentry page or an inode with a big chunk map. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    private Channels() {
    }

    public static ManagedChannel open(HostPort address) {
        return NettyChannelBuilder.forAddress(address.host(), address.port())
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
