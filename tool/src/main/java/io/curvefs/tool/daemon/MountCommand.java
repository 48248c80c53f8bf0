package io.curvefs.tool.daemon;

import io.curvefs.client.MountConfig;
import io.curvefs.client.MountDaemon;
import io.curvefs.client.fuse.FuseOptions;
import io.curvefs.tool.MdsOption;
import io.curvefs.tool.MetricsOption;
import io.curvefs.tool.ToolFailure;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mount", mixinStandardHelpOptions = true,
        description = "Mount a file system. Runs in the foreground until unmounted (curvefs umount, SIGTERM, Ctrl-C).")
public final class MountCommand implements Callable<Integer> {

    @Mixin
    MdsOption mds;

    @Option(names = "--fs-name", required = true, paramLabel = "NAME", description = "File system to mount")
    String fsName;

    @Option(names = "--daemon", description = "Detach; return once the mount is ready (log in --log)")
    boolean daemon;

    @Option(names = "--log", paramLabel = "FILE", description = "Log file of a --daemon mount "
            + "(default: /var/log/curvefs/mount-<fs name>.log)")
    Path logFile;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "An existing empty directory")
    Path mountPoint;

    @Mixin
    MetricsOption metrics;

    @Option(names = "-o", paramLabel = "OPTIONS", description = "FUSE mount options, comma-separated "
            + "(e.g. ro,attr_timeout=1); default_permissions always, allow_other as root")
    List<String> fuseOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path point = mountPoint.toAbsolutePath().normalize();
        if (!Files.isDirectory(point)) {
            throw new ToolFailure("mount point " + point + " is not a directory");
        }
        if (MountTable.isMounted(point)) {
            throw new ToolFailure(point + " is already mounted");
        }
        if (daemon) {
            return detach(point);
        }
        MountDaemon mount = MountDaemon.mount(MountConfig.defaults(mds.parse(), fsName, point),
                FuseOptions.parseList(fuseOptions));
        AutoCloseable endpoint = Daemons.startOrClose(metrics, mount);
        System.out.println("mounted file system " + fsName + " at " + point);
        return Daemons.runUntilSignal("mount", mount::awaitUnmount, Daemons.closing(mount, endpoint));
    }

    /** Starts this same command in the foreground as a background process and waits for its mount. */
    private int detach(Path point) throws Exception {
        Path log = logFile != null ? logFile : Path.of("/var/log/curvefs/mount-" + fsName + ".log");
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.curvefs.tool.Main");
        command.addAll(List.of("mount", "--mds", mds.addresses, "--fs-name", fsName));
        if (metrics.listen() != null) {
            command.addAll(List.of("--metrics-listen", metrics.listen()));
        }
        for (String option : fuseOptions) {
            command.addAll(List.of("-o", option));
        }
        command.add(point.toString());
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (MountTable.isMounted(point)) {
                System.out.println("mounted file system " + fsName + " at " + point + " (pid " + child.pid()
                        + ", log " + log + ")");
                return 0;
            }
            if (child.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new ToolFailure("mount failed: " + MountTable.lastLine(log));
            }
        }
        child.destroy();
        throw new ToolFailure("mount of " + point + " not ready after 60 s; see " + log);
    }
}
