package io.curvefs.tool.localcluster;

import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.output.OutputOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start a local cluster on 127.0.0.1: etcd (with more than one MDS), the MDSs and the "
                + "metaservers, each a separate background process with its data and log under DIR/NAME; "
                + "waits until they are healthy and prints their addresses.",
            "On a DIR that already holds a stopped cluster, starts its processes again as recorded."})
public final class StartCommand implements Callable<Integer> {

    @Mixin
    ClusterDirOption dir;

    @Option(names = "--metaservers", paramLabel = "N", defaultValue = "3",
            description = "Number of metaservers, metaserver-1..metaserver-N (default: ${DEFAULT-VALUE})")
    int metaservers;

    @Option(names = "--mds", paramLabel = "M", defaultValue = "1",
            description = "Number of MDSs, mds-1..mds-M; more than one share an etcd and elect a leader "
                    + "(default: ${DEFAULT-VALUE})")
    int mds;

    @Option(names = "--base-port", paramLabel = "PORT",
            description = "MDSs on PORT.., metaservers on PORT+100.. (Raft +1000), etcd on PORT+200/201 "
                    + "(default: free ports)")
    Integer basePort;

    @Option(names = "--zones", paramLabel = "Z", defaultValue = "0",
            description = "Create a topology first (create-topology): one pool, Z zones, metaserver-i in zone "
                    + "((i-1) mod Z)+1 on a server of its own name, so that a copyset's replicas land in different "
                    + "zones; 0: no topology, the metaservers join the pool the MDS makes by itself "
                    + "(default: ${DEFAULT-VALUE})")
    int zones;

    @Option(names = "--java-option", paramLabel = "OPTION",
            description = "JVM option for every MDS and metaserver, e.g. --java-option=-Xmx512m (repeatable)")
    List<String> javaOptions = new ArrayList<>();

    @Option(names = "--mds-arg", paramLabel = "ARG",
            description = "Extra argument of every MDS command line (repeatable), see 'curvefs mds --help'")
    List<String> mdsArgs = new ArrayList<>();

    @Option(names = "--metaserver-arg", paramLabel = "ARG",
            description = "Extra argument of every metaserver command line (repeatable); {i} stands for the "
                    + "metaserver's number, see 'curvefs metaserver --help'")
    List<String> metaserverArgs = new ArrayList<>();

    @Mixin
    TimeoutOption timeout;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Path root = dir.path();
        ClusterState state;
        if (ClusterState.existsIn(root)) {
            state = ClusterState.load(root);
            if (state.processes().stream().anyMatch(p -> OsProcesses.running(p).isPresent())) {
                throw new ToolFailure("the cluster in " + root + " is running; see 'curvefs cluster status --dir "
                        + root + "'");
            }
        } else {
            if (zones < 0) {
                throw new ToolFailure("--zones must not be negative");
            }
            state = new ClusterState(root, new ClusterLayout(root, javaOptions)
                    .plan(metaservers, mds, basePort, mdsArgs, metaserverArgs, zones));
            if (zones > 0) {
                writeTopology(root.resolve(LocalCluster.TOPOLOGY_FILE), ClusterLayout.topology(state.processes(), zones));
            }
            state.save();
        }
        LocalCluster cluster = new LocalCluster(state, timeout.duration());
        try {
            cluster.startAll();
        } catch (RuntimeException e) {
            cluster.stopAll();
            throw e;
        }
        output.print(StatusTable.of(state));
        if (!output.json()) {
            System.out.println("MDS addresses (for --mds): " + String.join(",", cluster.mdsAddresses()));
        }
        return 0;
    }

    private static void writeTopology(Path file, String json) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json);
        } catch (IOException e) {
            throw new ToolFailure("cannot write " + file + ": " + e.getMessage());
        }
    }
}
