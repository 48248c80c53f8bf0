package io.curvefs.it;

import io.curvefs.rpc.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster of separate processes run by {@code curvefs cluster} in a directory under target/,
 * driven the way an operator drives it: every action is one run of the tool. The launched
 * daemons inherit the test run's marker, and {@link #close} stops them all, even when a test
 * failed half-way.
 */
final class LocalCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    /** One line of {@code cluster status}. */
    record Member(String name, String address, long pid, boolean up, String role) {
    }

    final Path dir;

    private LocalCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts the cluster; {@code extraArgs} go to {@code cluster start} as they are. */
    static LocalCluster start(Path dir, int metaservers, int mds, String... extraArgs) throws Exception {
        LocalCluster cluster = new LocalCluster(dir);
        List<String> args = new ArrayList<>(List.of("cluster", "start", "--dir", dir.toString(),
                "--metaservers", Integer.toString(metaservers), "--mds", Integer.toString(mds),
                "--java-option=-Xmx256m", "--java-option=-XX:+UseSerialGC", "--java-option=-XX:TieredStopAtLevel=1"));
        args.addAll(Arrays.asList(extraArgs));
        try {
            cluster.run(START_TIMEOUT, args.toArray(String[]::new));
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    Map<String, Member> status() throws Exception {
        Map<String, Member> members = new LinkedHashMap<>();
        String[] lines = run(Duration.ofSeconds(60), "cluster", "status", "--dir", dir.toString()).split("\n");
        for (String line : Arrays.asList(lines).subList(1, lines.length)) {
            String[] f = line.trim().split("\\s+");
            members.put(f[0], new Member(f[0], f[1], Long.parseLong(f[2]), f[3].equals("up"),
                    f.length > 4 ? f[4] : ""));
        }
        return members;
    }

    /** The MDS addresses, for {@code --mds}. */
    String mdsAddresses() throws Exception {
        return String.join(",", status().values().stream().filter(m -> m.name().startsWith("mds-"))
                .map(Member::address).toList());
    }

    List<HostPort> mdsHostPorts() throws Exception {
        return HostPort.parseList(mdsAddresses());
    }

    String nameAt(String address) throws Exception {
        return status().values().stream().filter(m -> m.address().equals(address)).map(Member::name)
                .findFirst().orElseThrow(() -> new AssertionError("no process listens on " + address));
    }

    String mdsLeader() throws Exception {
        return Eventually.get(Duration.ofSeconds(60), () -> status().values().stream()
                .filter(m -> m.role().equals("leader")).map(Member::name).findFirst()
                .orElseThrow(() -> new IllegalStateException("no MDS leader")));
    }

    void kill(String name) throws Exception {
        run(Duration.ofSeconds(60), "cluster", "kill", "--dir", dir.toString(), name);
    }

    void restart(String name, boolean wipe) throws Exception {
        List<String> args = new ArrayList<>(List.of("cluster", "restart", "--dir", dir.toString(), name));
        if (wipe) {
            args.add("--wipe");
        }
        run(START_TIMEOUT, args.toArray(String[]::new));
    }

    /** The log of one process, for failure messages. */
    Path log(String name) {
        return dir.resolve(name).resolve(name + ".log");
    }

    private String run(Duration timeout, String... args) throws Exception {
        ToolRun run = ToolRun.of(timeout, args);
        if (run.exitCode() != 0) {
            throw new AssertionError("curvefs " + String.join(" ", args) + " exited with " + run.exitCode() + ": "
                    + run.stderr() + run.stdout());
        }
        return run.stdout();
    }

    @Override
    public void close() throws Exception {
        run(Duration.ofSeconds(120), "cluster", "stop", "--dir", dir.toString());
    }
}
