package io.curvefs.mds.topology;

import io.curvefs.proto.topology.TopoStatusCode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool's redundancy and placement policy, stored as upstream's JSON text
 * {@code {"replicaNum":3,"copysetNum":0,"zoneNum":3}}. Only these three integers exist, so a
 * field lookup by pattern is enough and keeps a JSON library out of the MDS.
 */
public record PlacementPolicy(int replicaNum, int copysetNum, int zoneNum) {

    public PlacementPolicy {
        if (replicaNum < 1) {
            throw new TopologyException(TopoStatusCode.TOPO_INVALID_PARAM,
                    "placement policy needs replicaNum >= 1, got " + replicaNum);
        }
    }

    public static PlacementPolicy parse(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        return new PlacementPolicy(field(text, "replicaNum", -1), field(text, "copysetNum", 0),
                field(text, "zoneNum", 1));
    }

    public String toJson() {
        return "{\"replicaNum\":" + replicaNum + ",\"copysetNum\":" + copysetNum + ",\"zoneNum\":" + zoneNum + "}";
    }

    private static int field(String json, String name, int absent) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : absent;
    }
}
