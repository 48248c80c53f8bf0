package io.curvefs.mds.heartbeat;

import io.curvefs.mds.topology.Topology;
import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.heartbeat.HeartbeatServiceGrpc;
import io.curvefs.proto.heartbeat.HeartbeatStatusCode;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatRequest;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatResponse;
import io.curvefs.proto.topology.MetaServerData;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes metaserver heartbeats: checks that the sender is the metaserver it claims to be (id,
 * token, address), marks it online and records its copyset and partition reports in the
 * topology. No configuration changes are sent back yet (there is no scheduler).
 */
public final class HeartbeatServiceImpl extends HeartbeatServiceGrpc.HeartbeatServiceImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatServiceImpl.class);

    private final Topology topology;

    public HeartbeatServiceImpl(Topology topology) {
        this.topology = topology;
    }

    @Override
    public void metaServerHeartbeat(MetaServerHeartbeatRequest request,
            StreamObserver<MetaServerHeartbeatResponse> out) {
        out.onNext(MetaServerHeartbeatResponse.newBuilder().setStatusCode(handle(request)).build());
        out.onCompleted();
    }

    private HeartbeatStatusCode handle(MetaServerHeartbeatRequest request) {
        Optional<MetaServerData> found = topology.metaserver(request.getMetaServerID());
        if (found.isEmpty()) {
            LOG.warn("heartbeat from unknown metaserver {} at {}:{}", request.getMetaServerID(), request.getIp(),
                    request.getPort());
            return HeartbeatStatusCode.hbMetaServerUnknown;
        }
        MetaServerData metaserver = found.get();
        if (!metaserver.getToken().equals(request.getToken())) {
            LOG.warn("heartbeat from metaserver {} with a wrong token", request.getMetaServerID());
            return HeartbeatStatusCode.hbMetaServerTokenNotMatch;
        }
        if (!metaserver.getInternalHostIP().equals(request.getIp())
                || metaserver.getInternalPort() != request.getPort()) {
            LOG.warn("heartbeat from metaserver {} at {}:{}, registered at {}", request.getMetaServerID(),
                    request.getIp(), request.getPort(), Topology.address(metaserver));
            return HeartbeatStatusCode.hbMetaServerIpPortNotMatch;
        }
        topology.recordHeartbeat(metaserver.getMetaServerId(), request.getSpaceStatus());
        for (CopySetInfo copyset : request.getCopysetInfosList()) {
            topology.recordCopysetReport(metaserver, copyset);
        }
        return HeartbeatStatusCode.hbOK;
    }
}
