package io.curvefs.mds.topology;

import com.google.protobuf.ByteString;
import io.curvefs.mds.metaserver.PeerAddress;
import io.curvefs.mds.storage.StorageException;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.topology.CommitTxRequest;
import io.curvefs.proto.topology.CommitTxResponse;
import io.curvefs.proto.topology.CopySetServerInfo;
import io.curvefs.proto.topology.Copyset;
import io.curvefs.proto.topology.CopysetData;
import io.curvefs.proto.topology.CopysetKey;
import io.curvefs.proto.topology.CopysetValue;
import io.curvefs.proto.topology.CreatePartitionRequest;
import io.curvefs.proto.topology.CreatePartitionResponse;
import io.curvefs.proto.topology.CreatePoolRequest;
import io.curvefs.proto.topology.CreatePoolResponse;
import io.curvefs.proto.topology.CreateZoneRequest;
import io.curvefs.proto.topology.CreateZoneResponse;
import io.curvefs.proto.topology.DeleteMetaServerRequest;
import io.curvefs.proto.topology.DeleteMetaServerResponse;
import io.curvefs.proto.topology.DeletePartitionRequest;
import io.curvefs.proto.topology.DeletePartitionResponse;
import io.curvefs.proto.topology.DeletePoolRequest;
import io.curvefs.proto.topology.DeletePoolResponse;
import io.curvefs.proto.topology.DeleteServerRequest;
import io.curvefs.proto.topology.DeleteServerResponse;
import io.curvefs.proto.topology.DeleteZoneRequest;
import io.curvefs.proto.topology.DeleteZoneResponse;
import io.curvefs.proto.topology.GetCopysetOfPartitionRequest;
import io.curvefs.proto.topology.GetCopysetOfPartitionResponse;
import io.curvefs.proto.topology.GetCopysetsInfoRequest;
import io.curvefs.proto.topology.GetCopysetsInfoResponse;
import io.curvefs.proto.topology.GetMetaServerInfoRequest;
import io.curvefs.proto.topology.GetMetaServerInfoResponse;
import io.curvefs.proto.topology.GetMetaServerListInCopySetsRequest;
import io.curvefs.proto.topology.GetMetaServerListInCopySetsResponse;
import io.curvefs.proto.topology.GetPoolRequest;
import io.curvefs.proto.topology.GetPoolResponse;
import io.curvefs.proto.topology.GetServerRequest;
import io.curvefs.proto.topology.GetServerResponse;
import io.curvefs.proto.topology.GetZoneRequest;
import io.curvefs.proto.topology.GetZoneResponse;
import io.curvefs.proto.topology.ListCopysetInfoRequest;
import io.curvefs.proto.topology.ListCopysetInfoResponse;
import io.curvefs.proto.topology.ListMetaServerRequest;
import io.curvefs.proto.topology.ListMetaServerResponse;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.proto.topology.ListPartitionResponse;
import io.curvefs.proto.topology.ListPartitionsRequest;
import io.curvefs.proto.topology.ListPartitionsResponse;
import io.curvefs.proto.topology.ListPoolRequest;
import io.curvefs.proto.topology.ListPoolResponse;
import io.curvefs.proto.topology.ListPoolZoneRequest;
import io.curvefs.proto.topology.ListPoolZoneResponse;
import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.proto.topology.ListTopologyResponse;
import io.curvefs.proto.topology.ListZoneServerRequest;
import io.curvefs.proto.topology.ListZoneServerResponse;
import io.curvefs.proto.topology.MetaServerData;
import io.curvefs.proto.topology.MetaServerInfo;
import io.curvefs.proto.topology.MetaServerLocation;
import io.curvefs.proto.topology.MetaServerRegistRequest;
import io.curvefs.proto.topology.MetaServerRegistResponse;
import io.curvefs.proto.topology.MetadataUsage;
import io.curvefs.proto.topology.PartitionInfoList;
import io.curvefs.proto.topology.PoolData;
import io.curvefs.proto.topology.PoolInfo;
import io.curvefs.proto.topology.ServerData;
import io.curvefs.proto.topology.ServerInfo;
import io.curvefs.proto.topology.ServerRegistRequest;
import io.curvefs.proto.topology.ServerRegistResponse;
import io.curvefs.proto.topology.StatMetadataUsageRequest;
import io.curvefs.proto.topology.StatMetadataUsageResponse;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.proto.topology.TopologyServiceGrpc;
import io.curvefs.proto.topology.ZoneData;
import io.curvefs.proto.topology.ZoneInfo;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TopologyService over gRPC: turns requests into {@link Topology} and {@link PartitionManager}
 * calls and every refusal into the response's status code with one log line.
 */
public final class TopologyServiceImpl extends TopologyServiceGrpc.TopologyServiceImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyServiceImpl.class);

    private final Topology topology;
    private final PartitionManager partitions;

    public TopologyServiceImpl(Topology topology, PartitionManager partitions) {
        this.topology = topology;
        this.partitions = partitions;
    }

    @Override
    public void registMetaServer(MetaServerRegistRequest request, StreamObserver<MetaServerRegistResponse> out) {
        answer(out, "RegistMetaServer", () -> {
            MetaServerData m = topology.registMetaServer(request);
            return MetaServerRegistResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .setMetaServerID(m.getMetaServerId()).setToken(m.getToken()).build();
        }, code -> MetaServerRegistResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void listMetaServer(ListMetaServerRequest request, StreamObserver<ListMetaServerResponse> out) {
        answer(out, "ListMetaServer", () -> {
            if (topology.server(request.getServerID()).isEmpty()) {
                throw new TopologyException(TopoStatusCode.TOPO_SERVER_NOT_FOUND,
                        "server " + request.getServerID() + " not found");
            }
            return ListMetaServerResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .addAllMetaServerInfos(topology.metaservers().stream()
                            .filter(m -> m.getServerId() == request.getServerID()).map(this::info).toList())
                    .build();
        }, code -> ListMetaServerResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void getMetaServer(GetMetaServerInfoRequest request, StreamObserver<GetMetaServerInfoResponse> out) {
        answer(out, "GetMetaServer", () -> {
            var found = request.hasMetaServerID() ? topology.metaserver(request.getMetaServerID())
                    : topology.metaserverAt(request.getHostIp(), request.getPort());
            MetaServerData m = found.orElseThrow(() -> new TopologyException(
                    TopoStatusCode.TOPO_METASERVER_NOT_FOUND, "metaserver not found"));
            return GetMetaServerInfoResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .setMetaServerInfo(info(m)).build();
        }, code -> GetMetaServerInfoResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void deleteMetaServer(DeleteMetaServerRequest request, StreamObserver<DeleteMetaServerResponse> out) {
        answer(out, "DeleteMetaServer", () -> {
            topology.deleteMetaServer(request.getMetaServerID());
            return DeleteMetaServerResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK).build();
        }, code -> DeleteMetaServerResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void registServer(ServerRegistRequest request, StreamObserver<ServerRegistResponse> out) {
        answer(out, "RegistServer", () -> {
            ServerData s = topology.registServer(request.getHostName(), request.getInternalIp(),
                    request.getInternalPort(), request.getExternalIp(), request.getExternalPort(),
                    request.getZoneName(), request.getPoolName());
            return ServerRegistResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .setServerID(s.getServerId()).build();
        }, code -> ServerRegistResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void getServer(GetServerRequest request, StreamObserver<GetServerResponse> out) {
        answer(out, "GetServer", () -> {
            ServerData s = topology.servers().stream().filter(x -> request.hasServerID()
                            ? x.getServerId() == request.getServerID()
                            : request.hasHostName() ? x.getHostName().equals(request.getHostName())
                            : x.getInternalHostIP().equals(request.getHostIp()))
                    .findFirst().orElseThrow(() -> new TopologyException(TopoStatusCode.TOPO_SERVER_NOT_FOUND,
                            "server not found"));
            return GetServerResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .setServerInfo(info(s)).build();
        }, code -> GetServerResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void deleteServer(DeleteServerRequest request, StreamObserver<DeleteServerResponse> out) {
        answer(out, "DeleteServer", () -> {
            topology.deleteServer(request.getServerID());
            return DeleteServerResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK).build();
        }, code -> DeleteServerResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void listZoneServer(ListZoneServerRequest request, StreamObserver<ListZoneServerResponse> out) {
        answer(out, "ListZoneServer", () -> {
            ZoneData zone = topology.zones().stream().filter(z -> request.hasZoneID()
                            ? z.getZoneId() == request.getZoneID()
                            : z.getZoneName().equals(request.getZoneName())
                            && topology.pool(z.getPoolId()).map(p -> p.getPoolName().equals(request.getPoolName()))
                            .orElse(false))
                    .findFirst().orElseThrow(() -> new TopologyException(TopoStatusCode.TOPO_ZONE_NOT_FOUND,
                            "zone not found"));
            return ListZoneServerResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .addAllServerInfo(topology.servers().stream().filter(s -> s.getZoneId() == zone.getZoneId())
                            .map(this::info).toList())
                    .build();
        }, code -> ListZoneServerResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void createZone(CreateZoneRequest request, StreamObserver<CreateZoneResponse> out) {
        answer(out, "CreateZone", () -> CreateZoneResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                        .setZoneInfo(info(topology.createZone(request.getZoneName(), request.getPoolName()))).build(),
                code -> CreateZoneResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void deleteZone(DeleteZoneRequest request, StreamObserver<DeleteZoneResponse> out) {
        answer(out, "DeleteZone", () -> {
            topology.deleteZone(request.getZoneID());
            return DeleteZoneResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK).build();
        }, code -> DeleteZoneResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void getZone(GetZoneRequest request, StreamObserver<GetZoneResponse> out) {
        answer(out, "GetZone", () -> GetZoneResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                        .setZoneInfo(info(topology.zone(request.getZoneID()).orElseThrow(() -> new TopologyException(
                                TopoStatusCode.TOPO_ZONE_NOT_FOUND, "zone " + request.getZoneID() + " not found"))))
                        .build(),
                code -> GetZoneResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void listPoolZone(ListPoolZoneRequest request, StreamObserver<ListPoolZoneResponse> out) {
        answer(out, "ListPoolZone", () -> {
            requirePool(request.getPoolID());
            return ListPoolZoneResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .addAllZones(topology.zones().stream().filter(z -> z.getPoolId() == request.getPoolID())
                            .map(this::info).toList())
                    .build();
        }, code -> ListPoolZoneResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void createPool(CreatePoolRequest request, StreamObserver<CreatePoolResponse> out) {
        answer(out, "CreatePool", () -> {
            PlacementPolicy policy = PlacementPolicy.parse(request.getRedundanceAndPlaceMentPolicy().toByteArray());
            return CreatePoolResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                    .setPoolInfo(info(topology.createPool(request.getPoolName(), policy))).build();
        }, code -> CreatePoolResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void deletePool(DeletePoolRequest request, StreamObserver<DeletePoolResponse> out) {
        answer(out, "DeletePool", () -> {
            topology.deletePool(request.getPoolID());
            return DeletePoolResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK).build();
        }, code -> DeletePoolResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void getPool(GetPoolRequest request, StreamObserver<GetPoolResponse> out) {
        answer(out, "GetPool", () -> GetPoolResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                        .setPoolInfo(info(requirePool(request.getPoolID()))).build(),
                code -> GetPoolResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void listPool(ListPoolRequest request, StreamObserver<ListPoolResponse> out) {
        answer(out, "ListPool", () -> ListPoolResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                        .addAllPoolInfos(topology.pools().stream().map(this::info).toList()).build(),
                code -> ListPoolResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void getMetaServerListInCopysets(GetMetaServerListInCopySetsRequest request,
            StreamObserver<GetMetaServerListInCopySetsResponse> out) {
        answer(out, "GetMetaServerListInCopysets", () -> {
            var response = GetMetaServerListInCopySetsResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK);
            for (int copysetId : request.getCopysetIdList()) {
                CopysetData copyset = requireCopyset(request.getPoolId(), copysetId);
                var info = CopySetServerInfo.newBuilder().setCopysetId(copysetId);
                for (int id : copyset.getMetaServerIdsList()) {
                    topology.metaserver(id).ifPresent(m -> info.addCsLocs(MetaServerLocation.newBuilder()
                            .setMetaServerID(id).setInternalIp(m.getInternalHostIP())
                            .setInternalPort(m.getInternalPort()).setExternalIp(m.getExternalHostIP())
                            .setExternalPort(m.getExternalPort())));
                }
                response.addCsInfo(info);
            }
            return response.build();
        }, code -> GetMetaServerListInCopySetsResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void createPartition(CreatePartitionRequest request, StreamObserver<CreatePartitionResponse> out) {
        answer(out, "CreatePartition", () -> CreatePartitionResponse.newBuilder()
                        .setStatusCode(TopoStatusCode.TOPO_OK)
                        .addAllPartitionInfoList(partitions.createPartitions(request.getFsId(), request.getCount()))
                        .build(),
                code -> CreatePartitionResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void deletePartition(DeletePartitionRequest request, StreamObserver<DeletePartitionResponse> out) {
        answer(out, "DeletePartition", () -> {
            partitions.deletePartition(request.getPartitionId());
            return DeletePartitionResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK).build();
        }, code -> DeletePartitionResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void listPartition(ListPartitionRequest request, StreamObserver<ListPartitionResponse> out) {
        answer(out, "ListPartition", () -> ListPartitionResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                        .addAllPartitionInfoList(topology.partitionsOf(request.getFsId())).build(),
                code -> ListPartitionResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void listPartitions(ListPartitionsRequest request, StreamObserver<ListPartitionsResponse> out) {
        answer(out, "ListPartitions", () -> {
            var response = ListPartitionsResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK);
            for (int fsId : request.getFsIdList()) {
                response.putFsId2PartitionList(fsId, PartitionInfoList.newBuilder()
                        .addAllPartitionInfoList(topology.partitionsOf(fsId)).build());
            }
            return response.build();
        }, code -> ListPartitionsResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void getCopysetOfPartition(GetCopysetOfPartitionRequest request,
            StreamObserver<GetCopysetOfPartitionResponse> out) {
        answer(out, "GetCopysetOfPartition", () -> {
            var response = GetCopysetOfPartitionResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK);
            for (int partitionId : request.getPartitionIdList()) {
                PartitionInfo p = topology.partition(partitionId).orElseThrow(() -> new TopologyException(
                        TopoStatusCode.TOPO_PARTITION_NOT_FOUND, "partition " + partitionId + " not found"));
                CopysetData copyset = requireCopyset(p.getPoolId(), p.getCopysetId());
                response.putCopysetMap(partitionId, Copyset.newBuilder().setPoolId(copyset.getPoolId())
                        .setCopysetId(copyset.getCopysetId()).addAllPeers(peers(copyset)).build());
            }
            return response.build();
        }, code -> GetCopysetOfPartitionResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void commitTx(CommitTxRequest request, StreamObserver<CommitTxResponse> out) {
        answer(out, "CommitTx", () -> {
            Map<Integer, Long> txIds = new HashMap<>();
            request.getPartitionTxIdsList().forEach(t -> txIds.put(t.getPartitionId(), t.getTxId()));
            topology.commitTxIds(txIds, List.of());
            return CommitTxResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK).build();
        }, code -> CommitTxResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void getCopysetsInfo(GetCopysetsInfoRequest request, StreamObserver<GetCopysetsInfoResponse> out) {
        var response = GetCopysetsInfoResponse.newBuilder();
        for (CopysetKey key : request.getCopysetKeysList()) {
            response.addCopysetValues(topology.copyset(key.getPoolId(), key.getCopysetId()).map(this::copysetValue)
                    .orElse(CopysetValue.newBuilder().setStatusCode(TopoStatusCode.TOPO_COPYSET_NOT_FOUND).build()));
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    @Override
    public void listCopysetInfo(ListCopysetInfoRequest request, StreamObserver<ListCopysetInfoResponse> out) {
        answer(out, "ListCopysetInfo", () -> ListCopysetInfoResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                        .addAllCopysetValues(topology.copysets().stream().map(this::copysetValue).toList()).build(),
                code -> ListCopysetInfoResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void statMetadataUsage(StatMetadataUsageRequest request, StreamObserver<StatMetadataUsageResponse> out) {
        answer(out, "StatMetadataUsage", () -> {
            var response = StatMetadataUsageResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK);
            for (MetaServerData m : topology.metaservers()) {
                topology.spaceStatus(m.getMetaServerId()).ifPresent(space -> response.addMetadataUsages(
                        MetadataUsage.newBuilder().setMetaserverAddr(Topology.address(m).toString())
                                .setTotal(space.getDiskThresholdByte() / 1024)
                                .setUsed(space.getDiskUsedByte() / 1024)));
            }
            return response.build();
        }, code -> StatMetadataUsageResponse.newBuilder().setStatusCode(code).build());
    }

    @Override
    public void listTopology(ListTopologyRequest request, StreamObserver<ListTopologyResponse> out) {
        answer(out, "ListTopology", () -> ListTopologyResponse.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK)
                        .setClusterId(topology.clusterId())
                        .addAllPools(topology.pools().stream().map(this::info).toList())
                        .addAllZones(topology.zones().stream().map(this::info).toList())
                        .addAllServers(topology.servers().stream().map(this::info).toList())
                        .addAllMetaservers(topology.metaservers().stream().map(this::info).toList())
                        .build(),
                code -> ListTopologyResponse.newBuilder().setStatusCode(code).setClusterId(topology.clusterId())
                        .build());
    }

    // ---- conversions --------------------------------------------------------------------

    private CopysetValue copysetValue(CopysetData copyset) {
        CopySetInfo info = topology.copysetReport(copyset.getPoolId(), copyset.getCopysetId())
                .orElseGet(() -> CopySetInfo.newBuilder().setPoolId(copyset.getPoolId())
                        .setCopysetId(copyset.getCopysetId()).addAllPeers(peers(copyset))
                        .setEpoch(copyset.getEpoch()).setLeaderPeer(Peer.getDefaultInstance()).build());
        return CopysetValue.newBuilder().setStatusCode(TopoStatusCode.TOPO_OK).setCopysetInfo(info).build();
    }

    private List<Peer> peers(CopysetData copyset) {
        return copyset.getMetaServerIdsList().stream()
                .flatMap(id -> topology.metaserver(id).stream())
                .map(m -> Peer.newBuilder().setId(m.getMetaServerId())
                        .setAddress(PeerAddress.of(Topology.address(m), 0)).build())
                .toList();
    }

    private MetaServerInfo info(MetaServerData m) {
        return MetaServerInfo.newBuilder().setMetaServerID(m.getMetaServerId()).setHostname(m.getHostName())
                .setInternalIp(m.getInternalHostIP()).setInternalPort(m.getInternalPort())
                .setExternalIp(m.getExternalHostIP()).setExternalPort(m.getExternalPort())
                .setOnlineState(topology.onlineState(m.getMetaServerId())).setServerId(m.getServerId()).build();
    }

    private ServerInfo info(ServerData s) {
        ZoneData zone = topology.zone(s.getZoneId()).orElse(null);
        PoolData pool = topology.pool(s.getPoolId()).orElse(null);
        return ServerInfo.newBuilder().setServerID(s.getServerId()).setHostName(s.getHostName())
                .setInternalIp(s.getInternalHostIP()).setInternalPort(s.getInternalPort())
                .setExternalIp(s.getExternalHostIP()).setExternalPort(s.getExternalPort())
                .setZoneID(s.getZoneId()).setZoneName(zone == null ? "" : zone.getZoneName())
                .setPoolID(s.getPoolId()).setPoolName(pool == null ? "" : pool.getPoolName()).build();
    }

    private ZoneInfo info(ZoneData z) {
        return ZoneInfo.newBuilder().setZoneID(z.getZoneId()).setZoneName(z.getZoneName()).setPoolID(z.getPoolId())
                .setPoolName(topology.pool(z.getPoolId()).map(PoolData::getPoolName).orElse("")).build();
    }

    private PoolInfo info(PoolData p) {
        return PoolInfo.newBuilder().setPoolID(p.getPoolId()).setPoolName(p.getPoolName())
                .setCreateTime(p.getCreateTime())
                .setRedundanceAndPlaceMentPolicy(ByteString.copyFromUtf8(p.getRedundanceAndPlacementPolicy()))
                .build();
    }

    private PoolData requirePool(int poolId) {
        return topology.pool(poolId).orElseThrow(() -> new TopologyException(TopoStatusCode.TOPO_POOL_NOT_FOUND,
                "pool " + poolId + " not found"));
    }

    private CopysetData requireCopyset(int poolId, int copysetId) {
        return topology.copyset(poolId, copysetId).orElseThrow(() -> new TopologyException(
                TopoStatusCode.TOPO_COPYSET_NOT_FOUND, "copyset " + poolId + "/" + copysetId + " not found"));
    }

    private static <T> void answer(StreamObserver<T> out, String method, Supplier<T> body,
            Function<TopoStatusCode, T> refusal) {
        T response;
        try {
            response = body.get();
        } catch (TopologyException e) {
            LOG.info("{} refused: {} ({})", method, e.getMessage(), e.code());
            response = refusal.apply(e.code());
        } catch (StorageException e) {
            LOG.error("{} failed: {}", method, e.getMessage());
            response = refusal.apply(TopoStatusCode.TOPO_STORGE_FAIL);
        }
        out.onNext(response);
        out.onCompleted();
    }
}
