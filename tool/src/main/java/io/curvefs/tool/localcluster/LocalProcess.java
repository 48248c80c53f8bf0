package io.curvefs.tool.localcluster;

import java.nio.file.Path;
import java.util.List;

/**
 * One process of a local cluster as recorded in its state file: what it is, where it listens,
 * the exact command line that starts it and the pid of its last start (0: never started).
 *
 * @param name    mds-1.., metaserver-1.. or etcd
 * @param kind    what the process is
 * @param address the address clients use (etcd: its client URL's HOST:PORT)
 * @param home    DIR/NAME: its data directory ({@link #dataDir}) and its log live here
 * @param command the command line, started again unchanged by a restart
 * @param pid     process id of the last start
 */
record LocalProcess(String name, Kind kind, String address, Path home, List<String> command, long pid) {

    enum Kind { ETCD, MDS, METASERVER }

    LocalProcess {
        command = List.copyOf(command);
    }

    static Path homeOf(Path clusterDir, String name) {
        return clusterDir.resolve(name);
    }

    static Path dataDirOf(Path home) {
        return home.resolve("data");
    }

    Path dataDir() {
        return dataDirOf(home);
    }

    Path log() {
        return home.resolve(name + ".log");
    }

    LocalProcess withPid(long newPid) {
        return new LocalProcess(name, kind, address, home, command, newPid);
    }
}
