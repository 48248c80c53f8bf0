package io.curvefs.tool.localcluster;

import io.curvefs.tool.Main;
import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.localcluster.LocalProcess.Kind;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the processes of a new local cluster: names, loopback ports and command lines. The
 * daemons run this same tool with this JVM's java and class path; a test run's marker property
 * ({@value #TEST_MARKER}) is passed on to every process, etcd included (as its cluster token,
 * the one free-text flag etcd has), so that the test harness can find leftovers.
 *
 * <p>With a base port B: mds-i listens on B+i-1, metaserver-i on B+100+i-1 (Raft on that + 1000),
 * etcd on B+200 (peers B+201); B = 6700 gives upstream's default ports. Without one, every port
 * is a free one picked now.
 */
final class ClusterLayout {

    static final String TEST_MARKER = "curvefs.test.run";
    private static final String HOST = "127.0.0.1";
    private static final int RAFT_PORT_OFFSET = 1000;

    private final Path dir;
    private final List<String> javaOptions;

    ClusterLayout(Path dir, List<String> javaOptions) {
        this.dir = dir;
        this.javaOptions = List.copyOf(javaOptions);
    }

    /**
     * @param metaserverArgs extra arguments of every metaserver; {@code {i}} in them is replaced by the
     *                       metaserver's number (1..N), e.g. {@code --zone=zone{i}}
     */
    List<LocalProcess> plan(int metaservers, int mdsCount, Integer basePort, List<String> mdsArgs,
            List<String> metaserverArgs, int zones) {
        if (metaservers < 1 || mdsCount < 1) {
            throw new ToolFailure("a cluster needs at least one MDS and one metaserver");
        }
        Ports ports = basePort == null ? Ports.free(metaservers, mdsCount) : Ports.fromBase(basePort, metaservers, mdsCount);
        List<LocalProcess> processes = new ArrayList<>();
        List<String> etcdUrls = List.of();
        if (mdsCount > 1) {
            String client = HOST + ":" + ports.etcdClient;
            processes.add(etcd(client, HOST + ":" + ports.etcdPeer));
            etcdUrls = List.of("http://" + client);
        }
        List<String> mdsAddresses = new ArrayList<>();
        for (int i = 1; i <= mdsCount; i++) {
            mdsAddresses.add(HOST + ":" + ports.mds.get(i - 1));
        }
        for (int i = 1; i <= mdsCount; i++) {
            String name = "mds-" + i;
            Path home = LocalProcess.homeOf(dir, name);
            List<String> args = new ArrayList<>(List.of("mds", "--listen", mdsAddresses.get(i - 1),
                    "--data-dir", LocalProcess.dataDirOf(home).toString()));
            if (!etcdUrls.isEmpty()) {
                args.add("--etcd");
                args.add(String.join(",", etcdUrls));
            }
            args.addAll(mdsArgs);
            processes.add(new LocalProcess(name, Kind.MDS, mdsAddresses.get(i - 1), home, java(args), 0));
        }
        for (int i = 1; i <= metaservers; i++) {
            String name = "metaserver-" + i;
            Path home = LocalProcess.homeOf(dir, name);
            String address = HOST + ":" + ports.metaservers.get(i - 1);
            List<String> args = new ArrayList<>(List.of("metaserver", "--listen", address,
                    "--data-dir", LocalProcess.dataDirOf(home).toString(), "--mds", String.join(",", mdsAddresses)));
            if (zones > 0) {
                args.add("--server-name");
                args.add(name);
            }
            for (String arg : metaserverArgs) {
                args.add(arg.replace("{i}", Integer.toString(i)));
            }
            processes.add(new LocalProcess(name, Kind.METASERVER, address, home, java(args), 0));
        }
        return processes;
    }

    /**
     * The cluster map for {@code create-topology}: one pool of min(3, N) replicas over {@code zones}
     * zones, metaserver-i on the server of its name in zone ((i - 1) mod zones) + 1.
     */
    static String topology(List<LocalProcess> processes, int zones) {
        List<LocalProcess> metaservers = processes.stream().filter(p -> p.kind() == Kind.METASERVER).toList();
        StringBuilder json = new StringBuilder("{\"pools\": [{\"name\": \"pool1\", \"replicasnum\": ")
                .append(Math.min(3, metaservers.size())).append(", \"copysetnum\": 0, \"zonenum\": ")
                .append(Math.min(zones, metaservers.size())).append("}],\n \"servers\": [");
        for (int i = 0; i < metaservers.size(); i++) {
            LocalProcess m = metaservers.get(i);
            String[] hostPort = m.address().split(":");
            json.append(i == 0 ? "\n" : ",\n").append("  {\"name\": \"").append(m.name())
                    .append("\", \"internalip\": \"").append(hostPort[0]).append("\", \"internalport\": ").append(hostPort[1])
                    .append(", \"externalip\": \"").append(hostPort[0]).append("\", \"externalport\": ").append(hostPort[1])
                    .append(", \"zone\": \"zone").append(i % zones + 1).append("\", \"pool\": \"pool1\"}");
        }
        return json.append("]}\n").toString();
    }

    private LocalProcess etcd(String client, String peer) {
        Path home = LocalProcess.homeOf(dir, "etcd");
        String marker = System.getProperty(TEST_MARKER);
        List<String> command = List.of(findOnPath("etcd").toString(), "--name", "etcd",
                "--data-dir", LocalProcess.dataDirOf(home).toString(),
                "--listen-client-urls", "http://" + client, "--advertise-client-urls", "http://" + client,
                "--listen-peer-urls", "http://" + peer, "--initial-advertise-peer-urls", "http://" + peer,
                "--initial-cluster", "etcd=http://" + peer,
                "--initial-cluster-token", marker == null ? "curvefs-local" : TEST_MARKER + "=" + marker);
        return new LocalProcess("etcd", Kind.ETCD, client, home, command, 0);
    }

    private List<String> java(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        String marker = System.getProperty(TEST_MARKER);
        if (marker != null) {
            command.add("-D" + TEST_MARKER + "=" + marker);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        return command;
    }

    private static Path findOnPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new ToolFailure("etcd is not installed (no '" + program + "' on PATH); several MDSs need it: "
                + "install Debian's etcd-server (bin/prerequisites --test does)");
    }

    /** The ports of one cluster. */
    private static final class Ports {
        final List<Integer> mds = new ArrayList<>();
        final List<Integer> metaservers = new ArrayList<>();
        int etcdClient;
        int etcdPeer;

        static Ports fromBase(int base, int metaservers, int mdsCount) {
            if (mdsCount > 100 || metaservers > 100 || base < 1 || base + 1100 + metaservers > 65535) {
                throw new ToolFailure("--base-port " + base + ": needs up to 100 MDSs and metaservers and ports "
                        + "up to base + 1100 + metaservers below 65536");
            }
            Ports ports = new Ports();
            for (int i = 0; i < mdsCount; i++) {
                ports.mds.add(base + i);
            }
            for (int i = 0; i < metaservers; i++) {
                ports.metaservers.add(base + 100 + i);
            }
            ports.etcdClient = base + 200;
            ports.etcdPeer = base + 201;
            List<Integer> all = new ArrayList<>(ports.mds);
            all.addAll(ports.metaservers);
            ports.metaservers.forEach(p -> all.add(p + RAFT_PORT_OFFSET));
            if (mdsCount > 1) {
                all.add(ports.etcdClient);
                all.add(ports.etcdPeer);
            }
            for (int port : all) {
                if (!isFree(port)) {
                    throw new ToolFailure("port " + port + " on " + HOST + " is in use (--base-port " + base + ")");
                }
            }
            return ports;
        }

        /** Free ports, held open until all are picked so that none is picked twice. */
        static Ports free(int metaservers, int mdsCount) {
            List<ServerSocket> held = new ArrayList<>();
            try {
                Ports ports = new Ports();
                for (int i = 0; i < mdsCount; i++) {
                    ports.mds.add(hold(held, 0));
                }
                for (int i = 0; i < metaservers; i++) {
                    ports.metaservers.add(holdPair(held));
                }
                ports.etcdClient = hold(held, 0);
                ports.etcdPeer = hold(held, 0);
                return ports;
            } finally {
                for (ServerSocket s : held) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a listening socket nobody connected to
                    }
                }
            }
        }

        private static int holdPair(List<ServerSocket> held) {
            for (int attempt = 0; attempt < 100; attempt++) {
                int port = hold(held, 0);
                if (port + RAFT_PORT_OFFSET < 65536 && isFree(port + RAFT_PORT_OFFSET)) {
                    hold(held, port + RAFT_PORT_OFFSET);
                    return port;
                }
            }
            throw new ToolFailure("found no free port p with p + " + RAFT_PORT_OFFSET + " free on " + HOST);
        }

        private static int hold(List<ServerSocket> held, int port) {
            try {
                ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST));
                held.add(socket);
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new ToolFailure("cannot bind " + HOST + ":" + port + ": " + e.getMessage());
            }
        }

        private static boolean isFree(int port) {
            try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
