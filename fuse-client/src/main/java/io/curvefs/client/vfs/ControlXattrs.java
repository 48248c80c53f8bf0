package io.curvefs.client.vfs;

import io.curvefs.client.data.DataStore;
import io.curvefs.client.dirstats.DirStatistics;
import io.curvefs.client.meta.MetaClient;
import io.curvefs.client.warmup.Warmups;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The xattr names the mount answers itself instead of storing them, as upstream does: the
 * directory statistics {@code curve.dir.*} (read-only) and the warmup control
 * {@code curvefs.warmup.*}. The VFS asks here first and stores every other name.
 */
final class ControlXattrs {

    private final MetaClient meta;
    private final DirStatistics dirStatistics;
    private final Warmups warmups;

    ControlXattrs(MetaClient meta, DataStore data) {
        this.meta = meta;
        this.dirStatistics = new DirStatistics(meta);
        this.warmups = new Warmups(meta, data);
    }

    /** The value of a control name, or empty when {@code name} is an ordinary xattr. */
    Optional<byte[]> get(long ino, String name) {
        if (DirStatistics.isStatistic(name)) {
            return Optional.of(dirStatistics.value(ino, name).orElseThrow(() -> new VfsException(Errno.ENODATA)));
        }
        if (Warmups.owns(name)) {
            return Optional.of(warmups.get(ino, name));
        }
        return Optional.empty();
    }

    /** Acts on a control name and returns true, or returns false for an ordinary xattr. */
    boolean set(long ino, String name, byte[] value) {
        if (DirStatistics.isStatistic(name)) {
            throw new VfsException(Errno.EPERM);
        }
        if (Warmups.owns(name)) {
            warmups.set(ino, name, value);
            return true;
        }
        return false;
    }

    /** The stored names plus, on a directory, the recursive statistics (as upstream lists them). */
    List<String> list(long ino, List<String> stored) {
        if (!meta.getAttr(ino).isDirectory()) {
            return stored;
        }
        List<String> all = new ArrayList<>(stored);
        all.addAll(DirStatistics.LISTED);
        return all;
    }
}
