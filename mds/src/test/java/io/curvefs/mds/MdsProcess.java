package io.curvefs.mds;

import io.curvefs.rpc.HostPort;
import java.nio.file.Path;

/** Runs an MDS as its own process for crash tests: {@code MdsProcess DATA_DIR}; prints its port. */
public final class MdsProcess {

    private MdsProcess() {
    }

    public static void main(String[] args) {
        MdsServer mds = MdsServer.start(MdsConfig.defaults(new HostPort("127.0.0.1", 0), Path.of(args[0])));
        System.out.println("LISTENING " + mds.address().port());
        System.out.flush();
        mds.awaitTermination();
    }
}
