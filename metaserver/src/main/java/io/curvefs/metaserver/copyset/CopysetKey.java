package io.curvefs.metaserver.copyset;

/** A copyset's identity: pool and copyset id. It names its Raft group and its directory. */
public record CopysetKey(int poolId, int copysetId) {

    /** The Raft group id; one Raft endpoint serves many groups, told apart by this name. */
    public String groupId() {
        return "copyset-" + Integer.toUnsignedString(poolId) + "-" + Integer.toUnsignedString(copysetId);
    }

    String directoryName() {
        return Integer.toUnsignedString(poolId) + "-" + Integer.toUnsignedString(copysetId);
    }

    static CopysetKey ofDirectoryName(String name) {
        int dash = name.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("not a copyset directory: " + name);
        }
        return new CopysetKey(Integer.parseUnsignedInt(name.substring(0, dash)),
                Integer.parseUnsignedInt(name.substring(dash + 1)));
    }

    @Override
    public String toString() {
        return "(" + Integer.toUnsignedString(poolId) + "," + Integer.toUnsignedString(copysetId) + ")";
    }
}
