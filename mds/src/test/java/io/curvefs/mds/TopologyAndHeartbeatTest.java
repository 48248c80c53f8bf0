package io.curvefs.mds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.PartitionStatus;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.heartbeat.HeartbeatStatusCode;
import io.curvefs.proto.heartbeat.MetaServerHeartbeatRequest;
import io.curvefs.proto.heartbeat.MetaServerSpaceStatus;
import io.curvefs.proto.mds.FSStatusCode;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.topology.CopysetKey;
import io.curvefs.proto.topology.CreatePartitionRequest;
import io.curvefs.proto.topology.CreatePartitionResponse;
import io.curvefs.proto.topology.CreatePoolRequest;
import io.curvefs.proto.topology.CreateZoneRequest;
import io.curvefs.proto.topology.GetCopysetsInfoRequest;
import io.curvefs.proto.topology.GetMetaServerListInCopySetsRequest;
import io.curvefs.proto.topology.ListPartitionRequest;
import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.proto.topology.ListTopologyResponse;
import io.curvefs.proto.topology.MetaServerRegistResponse;
import io.curvefs.proto.topology.OnlineState;
import io.curvefs.proto.topology.ServerRegistRequest;
import io.curvefs.proto.topology.StatMetadataUsageRequest;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.rpc.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyAndHeartbeatTest {

    @TempDir
    Path dir;

    private MdsTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MetaServerHeartbeatRequest.Builder heartbeat(MetaServerRegistResponse id, HostPort address) {
        return MetaServerHeartbeatRequest.newBuilder().setMetaServerID(id.getMetaServerID()).setToken(id.getToken())
                .setIp(address.host()).setPort(address.port()).setStartTime(1).setLeaderCount(0).setCopysetCount(0)
                .setSpaceStatus(MetaServerSpaceStatus.newBuilder().setDiskThresholdByte(10 << 20)
                        .setDiskCopysetMinRequireByte(0).setDiskUsedByte(2 << 20).setMemoryThresholdByte(0)
                        .setMemoryCopySetMinRequireByte(0).setMemoryUsedByte(0));
    }

    private HeartbeatStatusCode send(MetaServerHeartbeatRequest request) {
        return cluster.client.heartbeat(s -> s.metaServerHeartbeat(request)).getStatusCode();
    }

    @Test
    void registrationIsIdempotentAndBuildsADefaultTopology() {
        cluster = new MdsTestCluster(dir, c -> c);
        HostPort first = new HostPort("127.0.0.1", 16801);
        MetaServerRegistResponse a = cluster.register(first);
        MetaServerRegistResponse again = cluster.register(first);
        MetaServerRegistResponse b = cluster.register(new HostPort("127.0.0.1", 16802));

        assertThat(a.getStatusCode()).isEqualTo(TopoStatusCode.TOPO_OK);
        assertThat(again.getMetaServerID()).isEqualTo(a.getMetaServerID());
        assertThat(again.getToken()).isEqualTo(a.getToken());
        assertThat(b.getMetaServerID()).isNotEqualTo(a.getMetaServerID());
        assertThat(b.getToken()).isNotEqualTo(a.getToken());

        cluster.restartMds();
        assertThat(cluster.register(first).getToken()).isEqualTo(a.getToken());
        ListTopologyResponse topo = cluster.client.topology(s -> s.listTopology(ListTopologyRequest.getDefaultInstance()));
        assertThat(topo.getPoolsList()).extracting(p -> p.getPoolName()).containsExactly("pool1");
        assertThat(topo.getZonesList()).extracting(z -> z.getZoneName()).containsExactly("zone1");
        assertThat(topo.getServersList()).hasSize(1);
        assertThat(topo.getMetaserversList()).hasSize(2)
                .allSatisfy(m -> assertThat(m.getOnlineState()).isEqualTo(OnlineState.ONLINE));
        assertThat(topo.getClusterId()).isNotEmpty();
    }

    @Test
    void explicitPoolZoneAndServerAreUsedForRegistration() {
        cluster = new MdsTestCluster(dir, c -> c);
        var pool = cluster.client.topology(s -> s.createPool(CreatePoolRequest.newBuilder().setPoolName("fast")
                .setRedundanceAndPlaceMentPolicy(ByteString.copyFromUtf8("{\"replicaNum\":1,\"copysetNum\":0,"
                        + "\"zoneNum\":1}")).build()));
        assertThat(pool.getStatusCode()).isEqualTo(TopoStatusCode.TOPO_OK);
        assertThat(cluster.client.topology(s -> s.createZone(CreateZoneRequest.newBuilder().setZoneName("z")
                .setPoolName("fast").build())).getStatusCode()).isEqualTo(TopoStatusCode.TOPO_OK);
        var server = cluster.client.topology(s -> s.registServer(ServerRegistRequest.newBuilder().setHostName("n1")
                .setInternalIp("127.0.0.1").setExternalIp("127.0.0.1").setZoneName("z").setPoolName("fast")
                .build()));
        assertThat(server.getStatusCode()).isEqualTo(TopoStatusCode.TOPO_OK);

        assertThat(cluster.register(new HostPort("127.0.0.1", 16801)).getStatusCode())
                .isEqualTo(TopoStatusCode.TOPO_OK);
        assertThat(cluster.register(new HostPort("127.0.0.2", 16801)).getStatusCode())
                .isEqualTo(TopoStatusCode.TOPO_SERVER_NOT_FOUND);
        ListTopologyResponse topo = cluster.client.topology(s -> s.listTopology(ListTopologyRequest.getDefaultInstance()));
        assertThat(topo.getPoolsList()).extracting(p -> p.getPoolName()).containsExactly("fast");
        assertThat(topo.getMetaserversList()).singleElement()
                .satisfies(m -> assertThat(m.getServerId()).isEqualTo(server.getServerID()));
    }

    @Test
    void heartbeatsAreCheckedAndTheirReportsShowInListings() {
        cluster = new MdsTestCluster(dir, c -> c);
        FakeMetaserver metaserver = cluster.addMetaserver();
        MetaServerRegistResponse id = cluster.register(metaserver.address());
        FsInfo fs = cluster.client.mds(s -> s.createFs(cluster.s3Fs("beats").build())).getFsInfo();
        PartitionInfo p0 = cluster.client.topology(s -> s.listPartition(ListPartitionRequest.newBuilder()
                .setFsId(fs.getFsId()).build())).getPartitionInfoList(0);

        assertThat(send(heartbeat(id, metaserver.address()).setMetaServerID(999).build()))
                .isEqualTo(HeartbeatStatusCode.hbMetaServerUnknown);
        assertThat(send(heartbeat(id, metaserver.address()).setToken("forged").build()))
                .isEqualTo(HeartbeatStatusCode.hbMetaServerTokenNotMatch);
        assertThat(send(heartbeat(id, metaserver.address()).setPort(1).build()))
                .isEqualTo(HeartbeatStatusCode.hbMetaServerIpPortNotMatch);

        Peer self = Peer.newBuilder().setId(id.getMetaServerID()).setAddress(metaserver.address() + ":0").build();
        CopySetInfo report = CopySetInfo.newBuilder().setPoolId(p0.getPoolId()).setCopysetId(p0.getCopysetId())
                .addPeers(self).setEpoch(1).setLeaderPeer(self)
                .addPartitionInfoList(p0.toBuilder().setInodeNum(7).setDentryNum(6).setNextId(10)
                        .setStatus(PartitionStatus.READONLY))
                .build();
        assertThat(send(heartbeat(id, metaserver.address()).addCopysetInfos(report).setCopysetCount(1)
                .setLeaderCount(1).build())).isEqualTo(HeartbeatStatusCode.hbOK);

        PartitionInfo listed = cluster.client.topology(s -> s.listPartition(ListPartitionRequest.newBuilder()
                .setFsId(fs.getFsId()).build())).getPartitionInfoList(0);
        assertThat(listed.getInodeNum()).isEqualTo(7);
        assertThat(listed.getDentryNum()).isEqualTo(6);
        assertThat(listed.getNextId()).isEqualTo(10);
        assertThat(listed.getStatus()).isEqualTo(PartitionStatus.READONLY);

        var info = cluster.client.topology(s -> s.getCopysetsInfo(GetCopysetsInfoRequest.newBuilder()
                .addCopysetKeys(CopysetKey.newBuilder().setPoolId(p0.getPoolId()).setCopysetId(p0.getCopysetId()))
                .addCopysetKeys(CopysetKey.newBuilder().setPoolId(p0.getPoolId()).setCopysetId(999)).build()));
        assertThat(info.getCopysetValues(0).getCopysetInfo().getLeaderPeer().getAddress())
                .isEqualTo(metaserver.address() + ":0");
        assertThat(info.getCopysetValues(1).getStatusCode()).isEqualTo(TopoStatusCode.TOPO_COPYSET_NOT_FOUND);
        var usage = cluster.client.topology(s -> s.statMetadataUsage(StatMetadataUsageRequest.getDefaultInstance()));
        assertThat(usage.getMetadataUsagesList()).singleElement().satisfies(u -> {
            assertThat(u.getTotal()).isEqualTo(10 * 1024);
            assertThat(u.getUsed()).isEqualTo(2 * 1024);
        });
    }

    @Test
    void threeReplicaCopysetsFollowRedirectsAndSpreadPartitions() {
        cluster = new MdsTestCluster(dir, c -> c.withDefaultReplicaNum(3).withPartitionsPerFs(4));
        List<FakeMetaserver> fakes = List.of(cluster.addMetaserver(), cluster.addMetaserver(),
                cluster.addMetaserver());
        fakes.forEach(f -> f.redirectsLeft.set(1));

        FsInfo fs = cluster.client.mds(s -> s.createFs(cluster.s3Fs("replicated").build())).getFsInfo();

        assertThat(fs.getStatus().getNumber()).isEqualTo(1);
        for (FakeMetaserver f : fakes) {
            assertThat(f.copysets).hasSize(1);
            assertThat(f.copysets.values().iterator().next()).extracting(Peer::getAddress)
                    .containsExactlyInAnyOrderElementsOf(fakes.stream().map(x -> x.address() + ":0").toList());
        }
        int stored = fakes.stream().mapToInt(f -> f.partitions.size()).sum();
        assertThat(stored).isEqualTo(4);
        PartitionInfo p0 = cluster.client.topology(s -> s.listPartition(ListPartitionRequest.newBuilder()
                .setFsId(fs.getFsId()).build())).getPartitionInfoList(0);
        var members = cluster.client.topology(s -> s.getMetaServerListInCopysets(
                GetMetaServerListInCopySetsRequest.newBuilder().setPoolId(p0.getPoolId())
                        .addCopysetId(p0.getCopysetId()).build()));
        Set<Integer> ports = members.getCsInfo(0).getCsLocsList().stream().map(l -> l.getInternalPort())
                .collect(Collectors.toSet());
        assertThat(ports).isEqualTo(fakes.stream().map(f -> f.address().port()).collect(Collectors.toSet()));

        CreatePartitionResponse more = cluster.client.topology(s -> s.createPartition(CreatePartitionRequest
                .newBuilder().setFsId(fs.getFsId()).setCount(2).build()));
        assertThat(more.getStatusCode()).isEqualTo(TopoStatusCode.TOPO_OK);
        assertThat(more.getPartitionInfoListList()).extracting(PartitionInfo::getStart)
                .containsExactly(4L << 20, 5L << 20);
    }

    @Test
    void aFullCopysetMakesTheNextPartitionGoToANewCopyset() {
        cluster = new MdsTestCluster(dir, c -> c.withPartitionsPerFs(3).withMaxPartitionsPerCopyset(2));
        FakeMetaserver metaserver = cluster.addMetaserver();

        FsInfo fs = cluster.client.mds(s -> s.createFs(cluster.s3Fs("spread").build())).getFsInfo();

        List<PartitionInfo> parts = cluster.client.topology(s -> s.listPartition(ListPartitionRequest.newBuilder()
                .setFsId(fs.getFsId()).build())).getPartitionInfoListList();
        assertThat(parts).extracting(PartitionInfo::getCopysetId).containsExactly(1, 1, 2);
        assertThat(metaserver.copysets).hasSize(2);
    }

    @Test
    void createFsFailsCleanlyWithoutEnoughMetaserversInAStrictPool() {
        cluster = new MdsTestCluster(dir, c -> c);
        cluster.client.topology(s -> s.createPool(CreatePoolRequest.newBuilder().setPoolName("strict")
                .setRedundanceAndPlaceMentPolicy(ByteString.copyFromUtf8("{\"replicaNum\":3,\"zoneNum\":3}"))
                .build()));
        cluster.client.topology(s -> s.createZone(CreateZoneRequest.newBuilder().setZoneName("z")
                .setPoolName("strict").build()));
        cluster.client.topology(s -> s.registServer(ServerRegistRequest.newBuilder().setHostName("n1")
                .setInternalIp("127.0.0.1").setExternalIp("127.0.0.1").setZoneName("z").setPoolName("strict")
                .build()));
        cluster.addMetaserver();
        assertThat(cluster.client.mds(s -> s.createFs(cluster.s3Fs("lonely").build())).getStatusCode())
                .isEqualTo(FSStatusCode.CREATE_PARTITION_ERROR);
    }

    @Test
    void theAutomaticPoolFitsCopysetsToTheOnlineMetaservers() {
        cluster = new MdsTestCluster(dir, c -> c);
        FakeMetaserver only = cluster.addMetaserver();
        assertThat(cluster.client.mds(s -> s.createFs(cluster.s3Fs("single").build())).getStatusCode())
                .isEqualTo(FSStatusCode.OK);
        assertThat(only.copysets.values()).singleElement().satisfies(peers -> assertThat(peers).hasSize(1));
    }
}
