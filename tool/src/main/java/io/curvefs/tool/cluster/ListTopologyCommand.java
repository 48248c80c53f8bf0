package io.curvefs.tool.cluster;

import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.proto.topology.ListTopologyResponse;
import io.curvefs.proto.topology.MetaServerInfo;
import io.curvefs.proto.topology.PoolInfo;
import io.curvefs.proto.topology.ServerInfo;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.proto.topology.ZoneInfo;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.output.OutputOption;
import io.curvefs.tool.output.Table;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list-topology", mixinStandardHelpOptions = true,
        description = "Show the cluster's pools, zones, servers and metaservers.")
public final class ListTopologyCommand implements Callable<Integer> {

    @Mixin
    MdsOption mds;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        try (MdsClient client = mds.connect()) {
            ListTopologyResponse topology = client.topology(stub -> stub.listTopology(
                    ListTopologyRequest.getDefaultInstance()));
            if (topology.getStatusCode() != TopoStatusCode.TOPO_OK) {
                throw new ToolFailure("the MDS answered " + topology.getStatusCode() + " to ListTopology");
            }
            output.print(topology, text(topology));
            return 0;
        }
    }

    private static String text(ListTopologyResponse topology) {
        StringBuilder out = new StringBuilder("cluster " + topology.getClusterId() + System.lineSeparator());
        Table pools = Table.of("POOL", "NAME", "POLICY");
        for (PoolInfo p : topology.getPoolsList()) {
            pools.row(p.getPoolID(), p.getPoolName(), p.getRedundanceAndPlaceMentPolicy().toString(StandardCharsets.UTF_8));
        }
        Table zones = Table.of("ZONE", "NAME", "POOL");
        for (ZoneInfo z : topology.getZonesList()) {
            zones.row(z.getZoneID(), z.getZoneName(), z.getPoolName());
        }
        Table servers = Table.of("SERVER", "HOST", "INTERNAL", "EXTERNAL", "ZONE", "POOL");
        for (ServerInfo s : topology.getServersList()) {
            servers.row(s.getServerID(), s.getHostName(), s.getInternalIp() + ":" + s.getInternalPort(),
                    s.getExternalIp() + ":" + s.getExternalPort(), s.getZoneName(), s.getPoolName());
        }
        Table metaservers = Table.of("METASERVER", "HOST", "INTERNAL", "EXTERNAL", "SERVER", "STATE");
        for (MetaServerInfo m : topology.getMetaserversList()) {
            metaservers.row(m.getMetaServerID(), m.getHostname(), m.getInternalIp() + ":" + m.getInternalPort(),
                    m.getExternalIp() + ":" + m.getExternalPort(), m.getServerId(), m.getOnlineState().name());
        }
        for (Table t : new Table[] {pools, zones, servers, metaservers}) {
            out.append(System.lineSeparator()).append(t.text());
        }
        return out.toString();
    }
}
