package io.curvefs.tool.daemon;

import io.curvefs.tool.ToolFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "umount", mixinStandardHelpOptions = true,
        description = "Unmount a curvefs mount; its daemon flushes, tells the MDS and exits.")
public final class UmountCommand implements Callable<Integer> {

    @Option(names = {"-l", "--lazy"}, description = "Detach now even if busy; clean up when no longer in use")
    boolean lazy;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        Path point = mountPoint.toAbsolutePath().normalize();
        String type = MountTable.fsType(point);
        if (type == null || !type.startsWith("fuse")) {
            throw new ToolFailure(point + " is not a curvefs mount");
        }
        Process p = new ProcessBuilder("fusermount", lazy ? "-uz" : "-u", point.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new ToolFailure("could not unmount " + point + ": "
                    + out.replaceFirst("^fusermount: ", "") + (lazy ? "" : " (use --lazy to detach a busy mount)"));
        }
        System.out.println("unmounted " + point);
        return 0;
    }
}
