package io.curvefs.tool.warmup;

import io.curvefs.tool.ToolFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A path on a curvefs mount: the mount point that holds it and the path inside the file system. */
record MountedPath(Path path, Path mountPoint) {

    /** Resolves {@code given} (which must exist) against /proc/mounts; fails unless a fuse mount holds it. */
    static MountedPath of(Path given) {
        Path path;
        try {
            path = given.toRealPath();
        } catch (IOException e) {
            throw new ToolFailure("no such file or directory: " + given);
        }
        Path best = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].startsWith("fuse")) {
                    Path point = Path.of(f[1].replace("\\040", " "));
                    if (path.startsWith(point) && (best == null || point.getNameCount() > best.getNameCount())) {
                        best = point;
                    }
                }
            }
        } catch (IOException e) {
            throw new ToolFailure("cannot read /proc/mounts: " + e.getMessage());
        }
        if (best == null) {
            throw new ToolFailure(given + " is not on a curvefs mount");
        }
        return new MountedPath(path, best);
    }

    /** The path from the file system's root, e.g. "/dir/file". */
    String inFs() {
        return "/" + mountPoint.relativize(path);
    }
}
