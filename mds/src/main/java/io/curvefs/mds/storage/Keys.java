package io.curvefs.mds.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The MDS key layout, after upstream's etcd layout: an ASCII {@code fs_NN} prefix per record
 * kind, then the record's name or big-endian ids, so a prefix scan lists one kind in id order.
 */
public final class Keys {

    public static final byte[] FS_INFO = ascii("fs_01");
    public static final byte[] FS_ID_COUNTER = ascii("fs_02");
    public static final byte[] CHUNK_ID_COUNTER = ascii("fs_03");
    public static final byte[] FS_USAGE = ascii("fs_05");
    public static final byte[] TSO_COUNTER = ascii("fs_07");
    public static final byte[] TOPOLOGY_ID_COUNTER = ascii("fs_1000");
    public static final byte[] POOL = ascii("fs_1001");
    public static final byte[] ZONE = ascii("fs_1002");
    public static final byte[] SERVER = ascii("fs_1003");
    public static final byte[] METASERVER = ascii("fs_1004");
    public static final byte[] CLUSTER = ascii("fs_1006");
    public static final byte[] COPYSET = ascii("fs_1007");
    public static final byte[] PARTITION = ascii("fs_1008");

    private Keys() {
    }

    public static byte[] fsInfo(String fsName) {
        return concat(FS_INFO, ascii(fsName));
    }

    public static byte[] fsUsage(String fsName) {
        return concat(FS_USAGE, ascii(fsName + "_usage"));
    }

    /** The last id handed out for one kind of topology object (pool, zone, ...). */
    public static byte[] topologyIdCounter(String kind) {
        return concat(TOPOLOGY_ID_COUNTER, ascii(kind));
    }

    public static byte[] pool(int poolId) {
        return withId(POOL, poolId);
    }

    public static byte[] zone(int zoneId) {
        return withId(ZONE, zoneId);
    }

    public static byte[] server(int serverId) {
        return withId(SERVER, serverId);
    }

    public static byte[] metaserver(int metaserverId) {
        return withId(METASERVER, metaserverId);
    }

    public static byte[] copyset(int poolId, int copysetId) {
        return withId(withId(COPYSET, poolId), copysetId);
    }

    public static byte[] partition(int partitionId) {
        return withId(PARTITION, partitionId);
    }

    public static byte[] encodeLong(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    public static long decodeLong(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    private static byte[] withId(byte[] prefix, int id) {
        return ByteBuffer.allocate(prefix.length + Integer.BYTES).put(prefix).putInt(id).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
