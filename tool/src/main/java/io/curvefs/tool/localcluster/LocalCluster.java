package io.curvefs.tool.localcluster;

import io.curvefs.tool.LocalTrees;
import io.curvefs.tool.Main;
import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.localcluster.LocalProcess.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the {@code cluster} subcommands do to the processes recorded in a cluster directory:
 * start them in dependency order (etcd, then the MDSs until one leads, then the metaservers
 * until the MDS sees them online), kill, restart and stop them. Every start waits for the
 * process to be healthy, and fails with one line naming the log to read when it is not.
 */
final class LocalCluster {

    static final String TOPOLOGY_FILE = "topology.json";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 100;

    private final ClusterState state;
    private final Duration timeout;

    LocalCluster(ClusterState state, Duration timeout) {
        this.state = state;
        this.timeout = timeout;
    }

    ClusterState state() {
        return state;
    }

    /** Starts every recorded process that is not running, in dependency order. */
    void startAll() {
        for (LocalProcess etcd : state.ofKind(Kind.ETCD)) {
            startIfDown(etcd);
        }
        for (LocalProcess mds : state.ofKind(Kind.MDS)) {
            startIfDown(mds);
        }
        awaitMdsLeader();
        createTopology();
        for (LocalProcess metaserver : state.ofKind(Kind.METASERVER)) {
            launchIfDown(metaserver);
        }
        for (LocalProcess metaserver : state.ofKind(Kind.METASERVER)) {
            awaitHealthy(state.named(metaserver.name()));
        }
    }

    /** Pools, zones and servers from the cluster's topology file, when it has one; a rerun keeps what exists. */
    private void createTopology() {
        Path file = state.dir().resolve(TOPOLOGY_FILE);
        if (Files.isRegularFile(file)
                && Main.run("create-topology", "--mds", String.join(",", mdsAddresses()), "--file", file.toString()) != 0) {
            throw new ToolFailure("create-topology --file " + file + " failed");
        }
    }

    private void startIfDown(LocalProcess process) {
        launchIfDown(process);
        awaitHealthy(state.named(process.name()));
    }

    private void launchIfDown(LocalProcess process) {
        if (OsProcesses.running(process).isEmpty()) {
            state.update(process.withPid(OsProcesses.launch(process)));
        }
    }

    /** SIGKILL; false when the process was not running. */
    boolean kill(String name) {
        Optional<ProcessHandle> handle = OsProcesses.running(state.named(name));
        handle.ifPresent(h -> {
            OsProcesses.kill(h);
            OsProcesses.awaitExit(h, STOP_GRACE);
        });
        return handle.isPresent();
    }

    /** Stops the process if it runs (SIGTERM), optionally empties its data directory, starts it again. */
    void restart(String name, boolean wipe) {
        LocalProcess process = state.named(name);
        OsProcesses.running(process).ifPresent(this::terminate);
        if (wipe) {
            LocalTrees.delete(process.dataDir());
        }
        startIfDown(process);
    }

    /** SIGTERM to the curvefs daemons, then to etcd (the MDSs give up their leases through it). */
    void stopAll() {
        stopKinds(Kind.METASERVER, Kind.MDS);
        stopKinds(Kind.ETCD);
    }

    private void stopKinds(Kind... kinds) {
        List<ProcessHandle> handles = state.processes().stream()
                .filter(p -> List.of(kinds).contains(p.kind()))
                .flatMap(p -> OsProcesses.running(p).stream())
                .toList();
        handles.forEach(OsProcesses::terminate);
        handles.forEach(h -> {
            if (!OsProcesses.awaitExit(h, STOP_GRACE)) {
                OsProcesses.kill(h);
                OsProcesses.awaitExit(h, STOP_GRACE);
            }
        });
    }

    private void terminate(ProcessHandle handle) {
        OsProcesses.terminate(handle);
        if (!OsProcesses.awaitExit(handle, STOP_GRACE)) {
            OsProcesses.kill(handle);
            OsProcesses.awaitExit(handle, STOP_GRACE);
        }
    }

    List<String> mdsAddresses() {
        return state.ofKind(Kind.MDS).stream().map(LocalProcess::address).toList();
    }

    private void awaitHealthy(LocalProcess process) {
        String what = process.name() + switch (process.kind()) {
            case ETCD -> " to be healthy";
            case MDS -> " to listen";
            case METASERVER -> " to be online at the MDS";
        };
        BooleanSupplier healthy = switch (process.kind()) {
            case ETCD -> () -> Probes.etcdHealthy(process.address());
            case MDS -> () -> Probes.listening(process.address());
            case METASERVER -> () -> Probes.listening(process.address())
                    && Probes.metaserverOnline(mdsAddresses(), process.address());
        };
        await(what, healthy, process);
    }

    private void awaitMdsLeader() {
        if (state.ofKind(Kind.MDS).isEmpty()) {
            return;
        }
        await("an MDS leader", () -> mdsAddresses().stream()
                .anyMatch(a -> Probes.mdsRole(a) == Probes.MdsRole.LEADER), null);
    }

    /** Polls {@code condition}; fails early when {@code process} (if given) exits meanwhile. */
    private void await(String what, BooleanSupplier condition, LocalProcess process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (process != null && ProcessHandle.of(process.pid()).map(h -> !h.isAlive()).orElse(true)) {
                throw new ToolFailure(process.name() + " exited while starting; see " + process.log());
            }
            if (System.nanoTime() > deadline) {
                throw new ToolFailure("gave up after " + timeout.toSeconds() + " s waiting for " + what
                        + (process == null ? "" : "; see " + process.log()));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolFailure("interrupted while waiting for " + what);
            }
        }
    }
}
