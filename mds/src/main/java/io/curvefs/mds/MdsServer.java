package io.curvefs.mds;

import io.curvefs.mds.election.EtcdLeaderElection;
import io.curvefs.mds.election.LeaderTerm;
import io.curvefs.mds.election.LeadershipListener;
import io.curvefs.mds.fs.FsManager;
import io.curvefs.mds.fs.MdsServiceImpl;
import io.curvefs.mds.fs.S3InfoChecker;
import io.curvefs.mds.heartbeat.HeartbeatServiceImpl;
import io.curvefs.mds.metaserver.MetaserverClient;
import io.curvefs.mds.schedule.RecoverScheduler;
import io.curvefs.mds.storage.EtcdMdsStorage;
import io.curvefs.mds.storage.MdsStorage;
import io.curvefs.mds.storage.RocksMdsStorage;
import io.curvefs.mds.topology.PartitionManager;
import io.curvefs.mds.topology.Topology;
import io.curvefs.mds.topology.TopologyServiceImpl;
import io.curvefs.proto.heartbeat.HeartbeatServiceGrpc;
import io.curvefs.proto.mds.MdsServiceGrpc;
import io.curvefs.proto.topology.TopologyServiceGrpc;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.metrics.GrpcServerMetrics;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MDS daemon: one gRPC server on {@code listen} for MdsService, TopologyService and
 * HeartbeatService, plus a background task that drops mounts whose sessions expired and the
 * {@link RecoverScheduler} (on its own thread, as its calls wait for replicas to catch up).
 *
 * <p>With embedded RocksDB (no etcd endpoints) it serves at once. With etcd it first wins an
 * election among the MDSs sharing that etcd and answers UNAVAILABLE until then. Every term as
 * leader rebuilds topology, file systems and id counters from storage (they are cached in memory
 * and a standby's copy would be stale), its writes are fenced on its election key (a leader that
 * has lost its lease but not noticed yet cannot change the state), and noticing the loss stops
 * serving at once.
 */
public final class MdsServer implements AutoCloseable, LeadershipListener {

    private static final Logger LOG = LoggerFactory.getLogger(MdsServer.class);
    /** The etcd election every MDS of one cluster campaigns in; its keys are outside the fs_ key space. */
    public static final String ELECTION_NAME = "curvefs_mds_leader";

    private final MdsConfig config;
    private final Clock clock = Clock.systemUTC();
    private final MdsStorage storage;
    private final MetaserverClient metaservers;
    private final ScheduledExecutorService background;
    private final ScheduledExecutorService scheduling;
    private final LeaderOnlyRegistry registry;
    private final Server server;
    private final HostPort address;
    private volatile Optional<EtcdLeaderElection> election = Optional.empty();
    private ScheduledFuture<?> sessionExpiry;
    private ScheduledFuture<?> recovery;

    private MdsServer(MdsConfig config, MdsStorage storage, MetaserverClient metaservers,
            ScheduledExecutorService background, ScheduledExecutorService scheduling, LeaderOnlyRegistry registry,
            Server server) {
        this.config = config;
        this.storage = storage;
        this.metaservers = metaservers;
        this.background = background;
        this.scheduling = scheduling;
        this.registry = registry;
        this.server = server;
        this.address = new HostPort(config.listen().host(), server.getPort());
    }

    public static MdsServer start(MdsConfig config) {
        MdsStorage storage = config.usesEtcd() ? EtcdMdsStorage.connect(config.etcdEndpoints())
                : RocksMdsStorage.open(config.dataDir().resolve("mds-db"));
        MetaserverClient metaservers = new MetaserverClient(config.metaserverRpcTimeout());
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mds-session-expiry");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService scheduling = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mds-recover-scheduler");
            t.setDaemon(true);
            return t;
        });
        LeaderOnlyRegistry registry = new LeaderOnlyRegistry(List.of(MdsServiceGrpc.getServiceDescriptor(),
                TopologyServiceGrpc.getServiceDescriptor(), HeartbeatServiceGrpc.getServiceDescriptor()),
                "this MDS is a standby, not the leader");
        Server server = null;
        try {
            server = NettyServerBuilder
                    .forAddress(new InetSocketAddress(config.listen().host(), config.listen().port()))
                    .maxInboundMessageSize(Channels.MAX_MESSAGE_BYTES)
                    .fallbackHandlerRegistry(registry)
                    .intercept(GrpcServerMetrics.interceptor())
                    .build()
                    .start();
            MdsServer mds = new MdsServer(config, storage, metaservers, background, scheduling, registry, server);
            if (config.usesEtcd()) {
                mds.election = Optional.of(EtcdLeaderElection.start(config.etcdEndpoints(), ELECTION_NAME,
                        mds.address.toString(), config.leaderLease(), mds));
                LOG.info("MDS on {} campaigning for leadership at etcd {}", mds.address,
                        String.join(",", config.etcdEndpoints()));
            } else {
                mds.serve(storage);
            }
            return mds;
        } catch (IOException e) {
            background.shutdownNow();
            scheduling.shutdownNow();
            metaservers.close();
            storage.close();
            throw new UncheckedIOException("cannot serve on " + config.listen() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (server != null) {
                server.shutdownNow();
            }
            background.shutdownNow();
            scheduling.shutdownNow();
            metaservers.close();
            storage.close();
            throw e;
        }
    }

    /** Serves this term with writes fenced on it, so they fail once another MDS has taken over. */
    @Override
    public void elected(LeaderTerm term) {
        serve(((EtcdMdsStorage) storage).fencedBy(term.key(), term.revision()));
    }

    /** Loads the whole state from {@code termStorage} and starts serving it. */
    private synchronized void serve(MdsStorage termStorage) {
        Topology topology = new Topology(termStorage, clock, config.heartbeatTimeout(), config.defaultReplicaNum());
        PartitionManager partitions = new PartitionManager(topology, metaservers, clock,
                config.idsPerPartition(), config.maxPartitionsPerCopyset(), config.leaderWait());
        FsManager fs = new FsManager(termStorage, topology, partitions, new S3InfoChecker(), clock,
                config.partitionsPerFs(), config.sessionTimeout(), config.chunkIdBundle());
        List<ServerServiceDefinition> services = List.of(new MdsServiceImpl(fs, clock).bindService(),
                new TopologyServiceImpl(topology, partitions).bindService(),
                new HeartbeatServiceImpl(topology).bindService());
        long checkMillis = Math.max(50, config.sessionTimeout().toMillis() / 4);
        sessionExpiry = background.scheduleWithFixedDelay(() -> runQuietly(fs::expireSessions), checkMillis,
                checkMillis, TimeUnit.MILLISECONDS);
        long recoverMillis = RecoverScheduler.interval(config.offlineTimeout()).toMillis();
        RecoverScheduler recover = new RecoverScheduler(topology, metaservers, config.offlineTimeout());
        recovery = scheduling.scheduleWithFixedDelay(() -> runQuietly(recover), recoverMillis, recoverMillis,
                TimeUnit.MILLISECONDS);
        registry.serve(services);
        LOG.info("MDS serving on {} (cluster {}, state in {})", address, topology.clusterId(),
                config.usesEtcd() ? "etcd " + String.join(",", config.etcdEndpoints()) : config.dataDir());
    }

    /** Stops serving; the state of this term is dropped with its services. */
    @Override
    public synchronized void deposed() {
        registry.standBy();
        if (sessionExpiry != null) {
            sessionExpiry.cancel(false);
            sessionExpiry = null;
        }
        if (recovery != null) {
            recovery.cancel(true);
            recovery = null;
        }
    }

    /** True while this MDS serves requests (always with RocksDB; only as leader with etcd). */
    public boolean isServing() {
        return registry.isServing();
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("background task failed, will retry: {}", e.getMessage());
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
        election.ifPresentOrElse(EtcdLeaderElection::close, this::deposed);
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
        scheduling.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
            scheduling.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metaservers.close();
        storage.close();
        LOG.info("MDS on {} stopped", address);
    }
}
