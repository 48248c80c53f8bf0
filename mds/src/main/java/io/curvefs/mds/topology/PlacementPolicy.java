package io.curvefs.mds.topology;

import io.curvefs.proto.topology.TopoStatusCode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool's redundancy and placement policy, stored as upstream's JSON text
 * {@code {"replicaNum":3,"copysetNum":0,"zoneNum":3}}. Only these integers (and one flag of
 * this implementation) exist, so a field lookup by pattern is enough and keeps a JSON library
 * out of the MDS.
 *
 * @param fitToOnline the pool the MDS makes by itself when metaservers register into a cluster
 *     without topology: a copyset takes as many replicas as there are online metaservers, up to
 *     {@code replicaNum}, so one metaserver is a working cluster. Pools from create-topology are
 *     strict: a copyset is made with {@code replicaNum} replicas or not at all.
 */
public record PlacementPolicy(int replicaNum, int copysetNum, int zoneNum, boolean fitToOnline) {

    private static final String FIT_TO_ONLINE = "fitToOnline";

    public PlacementPolicy {
        if (replicaNum < 1) {
            throw new TopologyException(TopoStatusCode.TOPO_INVALID_PARAM,
                    "placement policy needs replicaNum >= 1, got " + replicaNum);
        }
    }

    public PlacementPolicy(int replicaNum, int copysetNum, int zoneNum) {
        this(replicaNum, copysetNum, zoneNum, false);
    }

    public static PlacementPolicy parse(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        return new PlacementPolicy(field(text, "replicaNum", -1), field(text, "copysetNum", 0),
                field(text, "zoneNum", 1),
                Pattern.compile("\"" + FIT_TO_ONLINE + "\"\\s*:\\s*true").matcher(text).find());
    }

    public static PlacementPolicy parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public String toJson() {
        return "{\"replicaNum\":" + replicaNum + ",\"copysetNum\":" + copysetNum + ",\"zoneNum\":" + zoneNum
                + (fitToOnline ? ",\"" + FIT_TO_ONLINE + "\":true" : "") + "}";
    }

    private static int field(String json, String name, int absent) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : absent;
    }
}
