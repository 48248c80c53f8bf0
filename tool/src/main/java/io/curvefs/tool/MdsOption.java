package io.curvefs.tool;

import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --mds ADDRS} option every admin command takes. */
public final class MdsOption {

    @Option(names = "--mds", paramLabel = "ADDRS", defaultValue = "127.0.0.1:6700", descriptionKey = "mds.listen.addr",
            description = "MDS addresses, HOST:PORT[,HOST:PORT...] (default: ${DEFAULT-VALUE})")
    public String addresses;

    public List<HostPort> parse() {
        try {
            return HostPort.parseList(addresses);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure("--mds: " + e.getMessage());
        }
    }

    public MdsClient connect() {
        return new MdsClient(parse(), java.time.Duration.ofSeconds(30));
    }
}
