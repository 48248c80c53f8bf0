package io.curvefs.client.meta;

import com.google.protobuf.ByteString;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.InodeAttr;
import io.curvefs.proto.metaserver.Time;
import java.util.HashMap;
import java.util.Map;

/** Conversions between the wire messages and the metadata client's own types. */
final class Protos {

    private static final long NANOS = 1_000_000_000L;

    private Protos() {
    }

    static long nanos(long sec, long nsec) {
        return sec * NANOS + nsec;
    }

    static long seconds(long nanos) {
        return Math.floorDiv(nanos, NANOS);
    }

    static int nanosPart(long nanos) {
        return (int) Math.floorMod(nanos, NANOS);
    }

    static Time time(long nanos) {
        return Time.newBuilder().setSec(seconds(nanos)).setNsec(nanosPart(nanos)).build();
    }

    static Attr attr(Inode inode) {
        return new Attr(inode.getInodeId(), InodeType.of(inode.getType()), inode.getMode(), inode.getUid(),
                inode.getGid(), inode.getNlink(), inode.getLength(), inode.getRdev(),
                nanos(inode.getAtime(), inode.getAtimeNs()), nanos(inode.getMtime(), inode.getMtimeNs()),
                nanos(inode.getCtime(), inode.getCtimeNs()), inode.getSymlink(), inode.getParentList(),
                xattrs(inode.getXattrMap()));
    }

    static Attr attr(InodeAttr a) {
        return new Attr(a.getInodeId(), InodeType.of(a.getType()), a.getMode(), a.getUid(), a.getGid(),
                a.getNlink(), a.getLength(), a.getRdev(), nanos(a.getAtime(), a.getAtimeNs()),
                nanos(a.getMtime(), a.getMtimeNs()), nanos(a.getCtime(), a.getCtimeNs()), a.getSymlink(),
                a.getParentList(), xattrs(a.getXattrMap()));
    }

    /** Extended attributes as stored, without the marker of an emptied map. */
    static Map<String, byte[]> xattrs(Map<String, ByteString> stored) {
        if (stored.isEmpty()) {
            return Map.of();
        }
        Map<String, byte[]> out = new HashMap<>();
        stored.forEach((k, v) -> {
            if (!k.equals(RemoteMetaClient.EMPTY_XATTRS_MARKER)) {
                out.put(k, v.toByteArray());
            }
        });
        return out;
    }
}
