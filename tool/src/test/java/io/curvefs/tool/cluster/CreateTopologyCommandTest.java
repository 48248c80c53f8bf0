package io.curvefs.tool.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.mds.MdsConfig;
import io.curvefs.mds.MdsServer;
import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.proto.topology.ListTopologyResponse;
import io.curvefs.proto.topology.MetaServerRegistRequest;
import io.curvefs.proto.topology.ServerInfo;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create-topology against a real MDS: pools, zones and servers appear, a rerun changes nothing. */
class CreateTopologyCommandTest {

    @TempDir
    Path dir;

    @Test
    void createsPoolsZonesAndServersOnceAndMetaserversJoinTheirNamedServer() throws Exception {
        Path map = dir.resolve("cluster.json");
        Files.writeString(map, """
                {"pools": [{"name": "pool1", "replicasnum": 3, "copysetnum": 0, "zonenum": 3}],
                 "servers": [
                   {"name": "server1", "internalip": "127.0.0.1", "internalport": 0, "zone": "zone1", "pool": "pool1"},
                   {"name": "server2", "internalip": "127.0.0.1", "internalport": 0, "zone": "zone2", "pool": "pool1"},
                   {"name": "server3", "internalip": "127.0.0.1", "internalport": 0, "zone": "zone3", "pool": "pool1"}
                 ]}
                """);
        try (MdsServer mds = MdsServer.start(MdsConfig.defaults(new HostPort("127.0.0.1", 0), dir.resolve("mds")));
                MdsClient client = new MdsClient(List.of(mds.address()), Duration.ofSeconds(30))) {
            String[] args = {"create-topology", "--mds", mds.address().toString(), "--file", map.toString()};
            assertThat(Main.run(args)).isZero();
            assertThat(Main.run(args)).isZero();

            ListTopologyResponse topology = client.topology(t -> t.listTopology(
                    ListTopologyRequest.getDefaultInstance()));
            assertThat(topology.getPoolsList()).singleElement().satisfies(p -> {
                assertThat(p.getPoolName()).isEqualTo("pool1");
                assertThat(p.getRedundanceAndPlaceMentPolicy().toStringUtf8()).contains("\"replicaNum\":3");
            });
            assertThat(topology.getZonesList()).extracting(z -> z.getZoneName())
                    .containsExactly("zone1", "zone2", "zone3");
            assertThat(topology.getServersList()).extracting(ServerInfo::getHostName)
                    .containsExactly("server1", "server2", "server3");

            var registered = client.topology(t -> t.registMetaServer(MetaServerRegistRequest.newBuilder()
                    .setHostName("server2").setInternalIp("127.0.0.1").setInternalPort(16802)
                    .setExternalIp("127.0.0.1").setExternalPort(16802).build()));
            assertThat(registered.getStatusCode()).isEqualTo(TopoStatusCode.TOPO_OK);
            ServerInfo server2 = client.topology(t -> t.listTopology(ListTopologyRequest.getDefaultInstance()))
                    .getServersList().stream().filter(s -> s.getHostName().equals("server2")).findFirst()
                    .orElseThrow();
            assertThat(client.topology(t -> t.listTopology(ListTopologyRequest.getDefaultInstance()))
                    .getMetaserversList()).singleElement()
                    .satisfies(m -> assertThat(m.getServerId()).isEqualTo(server2.getServerID()));
        }
    }

    @Test
    void aMalformedMapFailsWithOneLine() throws Exception {
        Path map = dir.resolve("bad.json");
        Files.writeString(map, "{\"pools\": 3}");
        assertThat(Main.run("create-topology", "--mds", "127.0.0.1:1", "--file", map.toString())).isNotZero();
    }
}
