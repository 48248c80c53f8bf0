package io.curvefs.mds.topology;

import io.curvefs.proto.topology.TopoStatusCode;

/** A topology request cannot be done; {@link #code()} is what the RPC answers. */
public final class TopologyException extends RuntimeException {

    private final TopoStatusCode code;

    public TopologyException(TopoStatusCode code, String message) {
        super(message);
        this.code = code;
    }

    public TopoStatusCode code() {
        return code;
    }
}
