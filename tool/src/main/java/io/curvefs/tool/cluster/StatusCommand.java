package io.curvefs.tool.cluster;

import io.curvefs.proto.heartbeat.CopySetInfo;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.mds.ListClusterFsInfoRequest;
import io.curvefs.proto.topology.CopysetValue;
import io.curvefs.proto.topology.ListCopysetInfoRequest;
import io.curvefs.proto.topology.ListCopysetInfoResponse;
import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.proto.topology.ListTopologyResponse;
import io.curvefs.proto.topology.MetaServerInfo;
import io.curvefs.proto.topology.OnlineState;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.fs.FsQueries;
import io.curvefs.tool.output.OutputOption;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Asks each MDS address on its own (so the report says which ones answer), then takes the
 * metaservers' online state and the copysets' leaders from the first MDS that answered.
 * Every problem is one line on stderr and makes the exit status 1.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Check the cluster: MDS leader and standbys, metaservers online, copysets with a leader. "
                + "Exits 1 when anything is unhealthy, printing one line per problem.")
public final class StatusCommand implements Callable<Integer> {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    /** What a standby MDS (etcd election) says to every call; it is healthy, just not serving. */
    private static final String STANDBY_MARK = "standby";

    @Mixin
    MdsOption mds;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> mdsReport = new ArrayList<>();
        HostPort answered = null;
        int standbys = 0;
        for (HostPort address : mds.parse()) {
            String error = probe(address);
            String role = error == null ? "leader" : error.contains(STANDBY_MARK) ? "standby" : "unreachable";
            mdsReport.add(record("address", address.toString(), "reachable", !role.equals("unreachable"),
                    "role", role));
            if (error == null) {
                answered = answered == null ? address : answered;
            } else if (role.equals("standby")) {
                standbys++;
            } else {
                problems.add("mds " + address + " is unreachable: " + error);
            }
        }
        if (answered == null) {
            throw new ToolFailure(standbys > 0
                    ? "no MDS leader among " + mds.addresses + " (" + standbys + " standby)"
                    : "no MDS reachable at " + mds.addresses);
        }
        ListTopologyResponse topology;
        ListCopysetInfoResponse copysets;
        List<FsInfo> fileSystems;
        long partitions = 0;
        try (MdsClient client = new MdsClient(List.of(answered), QUERY_TIMEOUT)) {
            topology = client.topology(stub -> stub.listTopology(ListTopologyRequest.getDefaultInstance()));
            copysets = client.topology(stub -> stub.listCopysetInfo(ListCopysetInfoRequest.getDefaultInstance()));
            fileSystems = client.mds(stub -> stub.listClusterFsInfo(ListClusterFsInfoRequest.getDefaultInstance()))
                    .getFsInfoList();
            for (FsInfo fs : fileSystems) {
                partitions += FsQueries.partitions(client, fs).size();
            }
        }

        List<Map<String, Object>> metaservers = new ArrayList<>();
        int online = 0;
        for (MetaServerInfo m : topology.getMetaserversList()) {
            String address = m.getInternalIp() + ":" + m.getInternalPort();
            metaservers.add(record("id", m.getMetaServerID(), "address", address, "state", m.getOnlineState().name()));
            if (m.getOnlineState() == OnlineState.ONLINE) {
                online++;
            } else {
                problems.add("metaserver " + m.getMetaServerID() + " (" + address + ") is " + m.getOnlineState());
            }
        }
        if (topology.getMetaserversCount() == 0) {
            problems.add("no metaserver is registered");
        }
        int withLeader = 0;
        List<String> leaderless = new ArrayList<>();
        for (CopysetValue value : copysets.getCopysetValuesList()) {
            CopySetInfo c = value.getCopysetInfo();
            if (c.hasLeaderPeer() && !c.getLeaderPeer().getAddress().isEmpty()) {
                withLeader++;
            } else {
                String name = c.getPoolId() + "." + c.getCopysetId();
                leaderless.add(name);
                problems.add("copyset " + name + " has no leader");
            }
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("healthy", problems.isEmpty());
        report.put("mds", mdsReport);
        report.put("mds_answered", answered.toString());
        report.put("metaservers", metaservers);
        report.put("copysets", record("total", copysets.getCopysetValuesCount(), "with_leader", withLeader,
                "without_leader", leaderless));
        report.put("file_systems", fileSystems.size());
        report.put("partitions", partitions);
        report.put("problems", problems);
        String text = "mds: " + answered + " answered (" + (mdsReport.size() - countUnreachable(mdsReport)) + "/"
                + mdsReport.size() + " reachable" + (standbys > 0 ? ", " + standbys + " standby" : "") + ")"
                + System.lineSeparator()
                + "metaservers: " + online + "/" + topology.getMetaserversCount() + " online" + System.lineSeparator()
                + "copysets: " + withLeader + "/" + copysets.getCopysetValuesCount() + " with a leader"
                + System.lineSeparator()
                + "partitions: " + partitions + " in " + fileSystems.size() + " file system(s)" + System.lineSeparator()
                + (problems.isEmpty() ? "healthy" : "UNHEALTHY: " + problems.size() + " problem(s)")
                + System.lineSeparator();
        output.print(report, text);
        for (String problem : problems) {
            System.err.println("curvefs: " + problem);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    /** Null when the MDS at {@code address} answers ListTopology, {@link #STANDBY} for a standby, else why not. */
    private static String probe(HostPort address) {
        try (MdsClient client = new MdsClient(List.of(address), PROBE_TIMEOUT)) {
            client.topology(stub -> stub.listTopology(ListTopologyRequest.getDefaultInstance()));
            return null;
        } catch (StatusRuntimeException e) {
            return describe(e);
        } catch (RuntimeException e) {
            return e.getCause() instanceof StatusRuntimeException s ? describe(s) : e.getMessage();
        }
    }

    private static String describe(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        return e.getStatus().getCode().name() + (description == null ? "" : " (" + description + ")");
    }

    private static long countUnreachable(List<Map<String, Object>> mdsReport) {
        return mdsReport.stream().filter(r -> Boolean.FALSE.equals(r.get("reachable"))).count();
    }

    private static Map<String, Object> record(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
