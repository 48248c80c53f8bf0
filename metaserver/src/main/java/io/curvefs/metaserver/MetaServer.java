package io.curvefs.metaserver;

import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.remoting.config.BoltServerOption;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import com.alipay.sofa.jraft.util.Endpoint;
import io.curvefs.metaserver.copyset.CopysetNode;
import io.curvefs.metaserver.copyset.CopysetRegistry;
import io.curvefs.metaserver.copyset.PeerAddresses;
import io.curvefs.metaserver.copyset.RaftSettings;
import io.curvefs.metaserver.mds.MdsAgent;
import io.curvefs.metaserver.service.GrpcServices;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.metrics.GrpcServerMetrics;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metaserver daemon: one gRPC server on the listen address, one SOFAJRaft RPC server
 * (listen port + 1000, see {@link PeerAddresses}) shared by every copyset's Raft group, the
 * copysets found in the data directory, and the MDS agent (registration and heartbeats).
 *
 * <p>Data directory: {@code metaserver.id} (identity from the MDS) and
 * {@code copysets/<poolId>-<copysetId>/{peers, db/, raft/log, raft/meta, raft/snapshot}}.
 */
public final class MetaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetaServer.class);
    private static final String SOFA_LOGBACK_SWITCH = "logback.middleware.log.disable";

    static {
        // sofa-bolt's log bootstrap calls a logback API that logback 1.5 removed and prints a stack
        // trace; with its logback adapter off, bolt logs through plain SLF4J instead.
        if (System.getProperty(SOFA_LOGBACK_SWITCH) == null) {
            System.setProperty(SOFA_LOGBACK_SWITCH, "true");
        }
    }

    private final HostPort address;
    private final RpcServer raftServer;
    private final CopysetRegistry copysets;
    private final Server grpc;
    private final MdsAgent agent;
    private final GrpcServices services;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetaServer(HostPort address, RpcServer raftServer, CopysetRegistry copysets, Server grpc,
            MdsAgent agent, GrpcServices services) {
        this.address = address;
        this.raftServer = raftServer;
        this.copysets = copysets;
        this.grpc = grpc;
        this.agent = agent;
        this.services = services;
    }

    public static MetaServer start(MetaserverConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        HostPort listen = config.listen().port() == 0 ? freePortPair(config.listen().host()) : config.listen();
        HostPort raft = config.raftListen().port() == 0 ? PeerAddresses.raftOf(listen) : config.raftListen();
        if (!raft.equals(PeerAddresses.raftOf(listen))) {
            LOG.warn("Raft endpoint {} breaks the rule listen port + {}: other metaservers will not reach it",
                    raft, PeerAddresses.RAFT_PORT_OFFSET);
        }
        RpcServer raftServer = RaftRpcServerFactory.createRaftRpcServer(new Endpoint(raft.host(), raft.port()));
        if (raftServer instanceof BoltRpcServer bolt) {
            // Release the port before close() returns, so that a restart can bind it again.
            bolt.getServer().option(BoltServerOption.SERVER_SYNC_STOP, true);
        }
        if (!raftServer.init(null)) {
            throw new IllegalStateException("cannot start the Raft server on " + raft);
        }
        CopysetRegistry copysets = null;
        GrpcServices services = null;
        Server grpc = null;
        try {
            copysets = new CopysetRegistry(config.dataDir().resolve("copysets"), raft, raftServer,
                    new RaftSettings((int) config.electionTimeout().toMillis(),
                            (int) config.snapshotInterval().toSeconds()));
            copysets.openExisting();
            NettyServerBuilder builder = NettyServerBuilder
                    .forAddress(new InetSocketAddress(listen.host(), listen.port()))
                    .maxInboundMessageSize(Channels.MAX_MESSAGE_BYTES)
                    .intercept(GrpcServerMetrics.interceptor());
            services = GrpcServices.of(copysets, config.mds());
            services.services().forEach(builder::addService);
            builder.directExecutor().callExecutor(services.callExecutors());
            grpc = builder.build().start();
            MdsAgent agent = new MdsAgent(config.mds(), config.dataDir(), listen, config.heartbeatInterval(),
                    config.serverName(), copysets);
            agent.start();
            LOG.info("metaserver listening on {} (Raft {}), data in {}", listen, raft, config.dataDir());
            return new MetaServer(listen, raftServer, copysets, grpc, agent, services);
        } catch (IOException | RuntimeException e) {
            if (grpc != null) {
                grpc.shutdownNow();
            }
            if (services != null) {
                services.close();
            }
            if (copysets != null) {
                copysets.close();
            }
            raftServer.shutdown();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot listen on " + listen + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The bound gRPC address. */
    public HostPort address() {
        return address;
    }

    public Optional<CopysetNode> copyset(int poolId, int copysetId) {
        return copysets.get(poolId, copysetId);
    }

    /** The id the MDS issued, once registered. */
    public Optional<Integer> metaServerId() {
        return agent.metaServerId();
    }

    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        agent.close();
        grpc.shutdown();
        try {
            if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        }
        services.close();
        copysets.close();
        raftServer.shutdown();
        LOG.info("metaserver {} stopped", address);
    }

    /** A free port whose Raft companion (port + 1000) is free too. */
    private static HostPort freePortPair(String host) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket grpcSocket = new ServerSocket(0)) {
                int port = grpcSocket.getLocalPort();
                if (port + PeerAddresses.RAFT_PORT_OFFSET > 65535) {
                    continue;
                }
                try (ServerSocket raftSocket = new ServerSocket(port + PeerAddresses.RAFT_PORT_OFFSET)) {
                    return new HostPort(host, port);
                } catch (IOException busy) {
                    LOG.debug("port {} is taken, trying another pair", port + PeerAddresses.RAFT_PORT_OFFSET);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
        }
        throw new IllegalStateException("no free pair of ports (P, P+" + PeerAddresses.RAFT_PORT_OFFSET + ") found");
    }
}
