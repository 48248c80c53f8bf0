package io.curvefs.client.data;

/**
 * The name of one data object, as upstream CurveFS writes it with objectPrefix 0:
 * {@code fsId_inodeId_chunkId_blockIndex_compaction}. The block index is the block slot inside
 * the chunk; ids are unsigned, as in the protos.
 */
public record ObjectName(int fsId, long inodeId, long chunkId, long blockIndex, long compaction) {

    public String key() {
        return Integer.toUnsignedString(fsId) + '_' + Long.toUnsignedString(inodeId) + '_'
                + Long.toUnsignedString(chunkId) + '_' + Long.toUnsignedString(blockIndex) + '_'
                + Long.toUnsignedString(compaction);
    }

    /** Reads a key written by {@link #key()}; used by tools that list a bucket. */
    public static ObjectName parse(String key) {
        String[] parts = key.split("_", -1);
        if (parts.length != 5) {
            throw new IllegalArgumentException("not a CurveFS data object name: " + key);
        }
        try {
            return new ObjectName(Integer.parseUnsignedInt(parts[0]), Long.parseUnsignedLong(parts[1]),
                    Long.parseUnsignedLong(parts[2]), Long.parseUnsignedLong(parts[3]),
                    Long.parseUnsignedLong(parts[4]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CurveFS data object name: " + key, e);
        }
    }

    @Override
    public String toString() {
        return key();
    }
}
