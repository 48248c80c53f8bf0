package io.curvefs.mds;

import io.curvefs.mds.fs.FsManager;
import io.curvefs.mds.fs.MdsServiceImpl;
import io.curvefs.mds.fs.S3InfoChecker;
import io.curvefs.mds.heartbeat.HeartbeatServiceImpl;
import io.curvefs.mds.metaserver.MetaserverClient;
import io.curvefs.mds.storage.MdsStorage;
import io.curvefs.mds.storage.RocksMdsStorage;
import io.curvefs.mds.topology.PartitionManager;
import io.curvefs.mds.topology.Topology;
import io.curvefs.mds.topology.TopologyServiceImpl;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.metrics.GrpcServerMetrics;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MDS daemon: one gRPC server on {@code listen} serving MdsService, TopologyService and
 * HeartbeatService over state in RocksDB under {@code dataDir}, plus a background task that
 * drops mounts whose sessions expired.
 */
public final class MdsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MdsServer.class);

    private final MdsStorage storage;
    private final MetaserverClient metaservers;
    private final ScheduledExecutorService background;
    private final Server server;
    private final HostPort address;

    private MdsServer(MdsStorage storage, MetaserverClient metaservers, ScheduledExecutorService background,
            Server server, HostPort address) {
        this.storage = storage;
        this.metaservers = metaservers;
        this.background = background;
        this.server = server;
        this.address = address;
    }

    public static MdsServer start(MdsConfig config) {
        Clock clock = Clock.systemUTC();
        MdsStorage storage = RocksMdsStorage.open(config.dataDir().resolve("mds-db"));
        MetaserverClient metaservers = new MetaserverClient(config.metaserverRpcTimeout());
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mds-session-expiry");
            t.setDaemon(true);
            return t;
        });
        try {
            Topology topology = new Topology(storage, clock, config.heartbeatTimeout(), config.defaultReplicaNum());
            PartitionManager partitions = new PartitionManager(topology, metaservers, clock,
                    config.idsPerPartition(), config.maxPartitionsPerCopyset(), config.leaderWait());
            FsManager fs = new FsManager(storage, topology, partitions, new S3InfoChecker(), clock,
                    config.partitionsPerFs(), config.sessionTimeout(), config.chunkIdBundle());
            Server server = NettyServerBuilder
                    .forAddress(new InetSocketAddress(config.listen().host(), config.listen().port()))
                    .maxInboundMessageSize(Channels.MAX_MESSAGE_BYTES)
                    .intercept(GrpcServerMetrics.interceptor())
                    .addService(new MdsServiceImpl(fs, clock))
                    .addService(new TopologyServiceImpl(topology, partitions))
                    .addService(new HeartbeatServiceImpl(topology))
                    .build()
                    .start();
            long checkMillis = Math.max(50, config.sessionTimeout().toMillis() / 4);
            background.scheduleWithFixedDelay(() -> runQuietly(fs::expireSessions), checkMillis, checkMillis,
                    TimeUnit.MILLISECONDS);
            HostPort address = new HostPort(config.listen().host(), server.getPort());
            LOG.info("MDS serving on {} with data in {} (cluster {})", address, config.dataDir(),
                    topology.clusterId());
            return new MdsServer(storage, metaservers, background, server, address);
        } catch (IOException e) {
            background.shutdownNow();
            metaservers.close();
            storage.close();
            throw new UncheckedIOException("cannot serve on " + config.listen() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            background.shutdownNow();
            metaservers.close();
            storage.close();
            throw e;
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("session expiry failed, will retry: {}", e.getMessage());
        }
    }

    public HostPort address() {
        return address;
    }

    /** Blocks until the server stops (by {@link #close()} or an interrupt of the waiting thread). */
    public void awaitTermination() {
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        background.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metaservers.close();
        storage.close();
        LOG.info("MDS on {} stopped", address);
    }
}
