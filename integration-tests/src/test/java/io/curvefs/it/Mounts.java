package io.curvefs.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reads /proc/mounts and removes mounts a test left behind. */
final class Mounts {

    private Mounts() {
    }

    static boolean isMounted(Path point) {
        try {
            String target = point.toAbsolutePath().normalize().toString();
            return Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(f -> f.length > 2 && f[1].equals(target) && f[2].startsWith("fuse"));
        } catch (IOException e) {
            return false;
        }
    }

    static void forceUnmount(Path point) throws IOException, InterruptedException {
        if (!isMounted(point)) {
            return;
        }
        Process p = new ProcessBuilder("fusermount", "-uz", point.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(20, TimeUnit.SECONDS);
    }
}
