package io.curvefs.tool.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What /proc/mounts says about a directory. */
final class MountTable {

    private MountTable() {
    }

    static boolean isMounted(Path point) {
        return fsType(point) != null;
    }

    /** The type column of the mount at exactly {@code point}, or null. */
    static String fsType(Path point) {
        String target = point.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[1].equals(target)) {
                    return f[2];
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).replaceFirst("^curvefs: ", "");
            }
        }
        return "no output";
    }
}
