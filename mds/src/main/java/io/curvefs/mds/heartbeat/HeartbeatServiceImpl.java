package io.curvefs.mds.heartbeat;

import io.curvefs.mds.metaserver.PeerAddress;
import io.curvefs.mds.topology.Topology;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.heartbeat.CopySetConf;
import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.heartbeat.HeartbeatServiceGrpc;
import io.curvefs.proto.heartbeat.HeartbeatStatusCode;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatRequest;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatResponse;
import io.curvefs.proto.topology.CopysetData;
import io.curvefs.proto.topology.MetaServerData;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes metaserver heartbeats: checks that the sender is the metaserver it claims to be (id,
 * token, address), marks it online and records its copyset and partition reports in the
 * topology. The answer lists, with their recorded members, the copysets the sender must create
 * (it is a member but lost them) or drop (it is no longer a member); membership changes
 * themselves are driven by the {@code RecoverScheduler} through the copyset leaders.
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
        MetaServerHeartbeatResponse.Builder response = MetaServerHeartbeatResponse.newBuilder();
        response.setStatusCode(handle(request, response));
        out.onNext(response.build());
        out.onCompleted();
    }

    private HeartbeatStatusCode handle(MetaServerHeartbeatRequest request,
            MetaServerHeartbeatResponse.Builder response) {
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
        for (CopysetData copyset : topology.disagreements(metaserver, request.getCopysetInfosList())) {
            CopySetConf.Builder conf = CopySetConf.newBuilder().setPoolId(copyset.getPoolId())
                    .setCopysetId(copyset.getCopysetId()).setEpoch(copyset.getEpoch());
            for (int id : copyset.getMetaServerIdsList()) {
                topology.metaserver(id).ifPresent(m -> conf.addPeers(Peer.newBuilder()
                        .setId(id).setAddress(PeerAddress.of(Topology.address(m), 0))));
            }
            response.addNeedUpdateCopysets(conf);
        }
        return HeartbeatStatusCode.hbOK;
    }
}
