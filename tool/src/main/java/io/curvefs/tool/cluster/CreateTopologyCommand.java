package io.curvefs.tool.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.curvefs.proto.topology.CreatePoolRequest;
import io.curvefs.proto.topology.CreateZoneRequest;
import io.curvefs.proto.topology.ServerRegistRequest;
import io.curvefs.proto.topology.TopoStatusCode;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.ToolFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Creates pools, zones and servers from a cluster map, as upstream's {@code create topology
 * --clustermap} does (CreatePool, CreateZone, RegistServer in turn). Metaservers register
 * themselves at start, onto the server named by their {@code --server-name}. Items that already
 * exist are left as they are, so the command can be run again after adding servers.
 */
@Command(name = "create-topology", mixinStandardHelpOptions = true,
        description = {"Create pools, zones and servers from a JSON cluster map, e.g.:",
            "{\"pools\": [{\"name\": \"pool1\", \"replicasnum\": 3, \"copysetnum\": 0, \"zonenum\": 3}],",
            " \"servers\": [{\"name\": \"server1\", \"internalip\": \"10.0.0.1\", \"internalport\": 6800,",
            "              \"externalip\": \"10.0.0.1\", \"externalport\": 6800, \"zone\": \"zone1\", "
                    + "\"pool\": \"pool1\"}, ...]}",
            "Zones are those the servers name. Start each metaserver with --server-name set to its server."})
public final class CreateTopologyCommand implements Callable<Integer> {

    @Mixin
    MdsOption mds;

    @Option(names = {"--file", "--clustermap"}, paramLabel = "FILE", required = true,
            description = "The cluster map (JSON)")
    Path file;

    record Pool(String name, int replicas, int copysets, int zones) {
    }

    record Server(String name, String internalIp, int internalPort, String externalIp, int externalPort,
            String zone, String pool) {
    }

    @Override
    public Integer call() {
        Struct map = read(file);
        List<Pool> pools = new ArrayList<>();
        for (Struct p : list(map, "pools")) {
            pools.add(new Pool(text(p, "name"), number(p, "replicasnum", 3), number(p, "copysetnum", 0),
                    number(p, "zonenum", 3)));
        }
        List<Server> servers = new ArrayList<>();
        for (Struct s : list(map, "servers")) {
            String internalIp = text(s, "internalip");
            servers.add(new Server(text(s, "name"), internalIp, number(s, "internalport", 0),
                    s.containsFields("externalip") ? text(s, "externalip") : internalIp,
                    number(s, "externalport", 0),
                    text(s, "zone"), text(s, "pool")));
        }
        try (MdsClient client = mds.connect()) {
            for (Pool p : pools) {
                String policy = "{\"replicaNum\":" + p.replicas() + ",\"copysetNum\":" + p.copysets()
                        + ",\"zoneNum\":" + p.zones() + "}";
                TopoStatusCode code = client.topology(t -> t.createPool(CreatePoolRequest.newBuilder()
                        .setPoolName(p.name()).setRedundanceAndPlaceMentPolicy(ByteString.copyFromUtf8(policy))
                        .build())).getStatusCode();
                report("pool " + p.name() + " " + policy, code);
            }
            Set<List<String>> zones = new LinkedHashSet<>();
            servers.forEach(s -> zones.add(List.of(s.zone(), s.pool())));
            for (List<String> z : zones) {
                TopoStatusCode code = client.topology(t -> t.createZone(CreateZoneRequest.newBuilder()
                        .setZoneName(z.get(0)).setPoolName(z.get(1)).build())).getStatusCode();
                report("zone " + z.get(0) + " in pool " + z.get(1), code);
            }
            for (Server s : servers) {
                TopoStatusCode code = client.topology(t -> t.registServer(ServerRegistRequest.newBuilder()
                        .setHostName(s.name()).setInternalIp(s.internalIp()).setInternalPort(s.internalPort())
                        .setExternalIp(s.externalIp()).setExternalPort(s.externalPort())
                        .setZoneName(s.zone()).setPoolName(s.pool()).build())).getStatusCode();
                report("server " + s.name() + " (" + s.internalIp() + ") in zone " + s.zone(), code);
            }
        }
        return 0;
    }

    private static void report(String what, TopoStatusCode code) {
        if (code == TopoStatusCode.TOPO_OK) {
            System.out.println("created " + what);
        } else if (code == TopoStatusCode.TOPO_NAME_DUPLICATED) {
            System.out.println("exists  " + what);
        } else {
            throw new ToolFailure("cannot create " + what + ": the MDS answered " + code);
        }
    }

    private static Struct read(Path file) {
        Struct.Builder map = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(Files.readString(file), map);
            return map.build();
        } catch (InvalidProtocolBufferException e) {
            throw new ToolFailure(file + " is not a JSON object: " + e.getMessage());
        } catch (IOException e) {
            throw new ToolFailure("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<Struct> list(Struct map, String name) {
        Value v = map.getFieldsOrDefault(name, Value.getDefaultInstance());
        if (!v.hasListValue()) {
            throw new ToolFailure("the cluster map has no \"" + name + "\" list");
        }
        List<Struct> out = new ArrayList<>();
        for (Value item : v.getListValue().getValuesList()) {
            if (!item.hasStructValue()) {
                throw new ToolFailure("\"" + name + "\" holds " + item.getKindCase() + ", expected objects");
            }
            out.add(item.getStructValue());
        }
        return out;
    }

    private static String text(Struct o, String name) {
        Value v = o.getFieldsOrDefault(name, Value.getDefaultInstance());
        return switch (v.getKindCase()) {
            case STRING_VALUE -> v.getStringValue();
            case NUMBER_VALUE -> String.valueOf((long) v.getNumberValue());
            default -> throw new ToolFailure("cluster map entry " + describe(o) + " has no \"" + name + "\"");
        };
    }

    private static int number(Struct o, String name, int absent) {
        Value v = o.getFieldsOrDefault(name, Value.getDefaultInstance());
        return switch (v.getKindCase()) {
            case KIND_NOT_SET -> absent;
            case NUMBER_VALUE -> (int) v.getNumberValue();
            case STRING_VALUE -> parseInt(o, name, v.getStringValue());
            default -> throw new ToolFailure("cluster map entry " + describe(o) + ": \"" + name
                    + "\" is not a number");
        };
    }

    private static int parseInt(Struct o, String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ToolFailure("cluster map entry " + describe(o) + ": \"" + name + "\" is not a number");
        }
    }

    /** One-line JSON of an entry, for error messages. */
    private static String describe(Struct entry) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(entry);
        } catch (InvalidProtocolBufferException e) {
            return entry.getFieldsMap().keySet().toString();
        }
    }
}
