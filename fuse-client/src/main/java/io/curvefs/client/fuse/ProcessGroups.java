package io.curvefs.client.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The supplementary groups of a process, from the "Groups:" line of /proc/PID/status. A process
 * that is gone (or not visible) has none; the kernel already checked the call when the mount
 * uses default_permissions, so this only refines the daemon's own checks.
 */
final class ProcessGroups {

    private ProcessGroups() {
    }

    static List<Integer> of(int pid) {
        if (pid <= 0) {
            return List.of();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith("Groups:")) {
                    return parse(line.substring("Groups:".length()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.of();
    }

    static List<Integer> parse(String ids) {
        List<Integer> groups = new ArrayList<>();
        for (String id : ids.trim().split("\\s+")) {
            if (!id.isEmpty()) {
                groups.add(Integer.parseUnsignedInt(id));
            }
        }
        return groups;
    }
}
