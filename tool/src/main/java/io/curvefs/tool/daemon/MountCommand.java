package io.curvefs.tool.daemon;

import io.curvefs.client.MountConfig;
import io.curvefs.client.MountDaemon;
import io.curvefs.client.data.DataConfig;
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
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.curvefs.tool.config.ConfigOptions;
import io.curvefs.tool.config.LogOptions;

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

    @Option(names = "--cache-dir", paramLabel = "DIR",
            descriptionKey = "diskCache.cacheDir", description = "Local disk cache of data blocks "
            + "(cacheread/, cachewrite/ in a directory of each file system under DIR; default: "
            + "/var/cache/curvefs as root, else ~/.cache/curvefs)")
    Path cacheDir;

    @Option(names = "--cache-size", paramLabel = "SIZE", defaultValue = "100GiB",
            descriptionKey = "diskCache.maxUsableSpaceBytes",
            converter = io.curvefs.tool.SizeConverter.class,
            description = "Most bytes the disk cache holds, 0 for no disk cache (default: ${DEFAULT-VALUE})")
    long cacheSize;

    @Option(names = "--free-space-ratio", paramLabel = "RATIO", defaultValue = "0.1",
            descriptionKey = "diskCache.freeSpaceRatio",
            description = "Share of the cache dir's disk the cache keeps free (default: ${DEFAULT-VALUE})")
    double freeSpaceRatio;

    @Option(names = "--memory-cache-size", paramLabel = "SIZE", defaultValue = "112MiB",
            descriptionKey = "s3.readCacheMaxByte",
            converter = io.curvefs.tool.SizeConverter.class,
            description = "Most bytes of data blocks cached in memory, 0 for none (default: ${DEFAULT-VALUE})")
    long memoryCacheSize;

    @Option(names = "--writeback", descriptionKey = "diskCache.writeBack",
            description = "Write-back: a flush lands in the disk cache and uploads in the background "
                    + "(needs the disk cache; data not yet uploaded is lost with the local disk)")
    boolean writeBack;

    @Option(names = "--readahead-max", paramLabel = "SIZE", defaultValue = "32MiB",
            descriptionKey = "s3.readAheadMaxByte",
            converter = io.curvefs.tool.SizeConverter.class,
            description = "Largest read-ahead window of a sequential reader, 0 for none (default: ${DEFAULT-VALUE})")
    long readaheadMax;

    @Mixin
    MountTuningOptions tuning;

    @Mixin
    LogOptions log;

    @Mixin
    ConfigOptions conf;

    @Option(names = "-o", paramLabel = "OPTIONS", description = "mount(8) style options: NAME[=VALUE],... where "
            + "NAME is a long option without dashes or a configuration key, e.g. -o attr-timeout=2,_netdev")
    String mountOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--fuse-option", paramLabel = "OPTION", descriptionKey = "fuse.options", description = "A FUSE mount option "
            + "(e.g. ro, noatime, max_read=65536, binding=libfuse); -o items that are not curvefs options become "
            + "these. default_permissions always, allow_other as root")
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
            mountConfig(point);
            return detach(point);
        }
        log.start("mount-" + fsName, null);
        MountDaemon mount = MountDaemon.mount(mountConfig(point), FuseOptions.parseList(fuseOptions));
        AutoCloseable endpoint = Daemons.startOrClose(metrics, mount);
        System.out.println("mounted file system " + fsName + " at " + point);
        return Daemons.runUntilSignal("mount", mount::awaitUnmount, Daemons.closing(mount, endpoint));
    }

    private MountConfig mountConfig(Path point) {
        if (writeBack && cacheSize == 0) {
            throw new ToolFailure("--writeback needs the disk cache (--cache-size is 0)");
        }
        if (freeSpaceRatio < 0 || freeSpaceRatio >= 1) {
            throw new ToolFailure("--free-space-ratio must be at least 0 and below 1");
        }
        MountConfig config = tuning.apply(MountConfig.defaults(mds.parse(), fsName, point));
        DataConfig data = config.data().withMemoryCache(memoryCacheSize).withReadaheadMax(readaheadMax)
                .withDiskCache(diskCacheDir(), cacheSize, freeSpaceRatio)
                .withWriteBack(writeBack);
        return config.withData(data);
    }

    /**
     * The disk cache's directory: the one given, else one under the machine's cache directory
     * (JuiceFS and upstream CurveFS keep a disk cache by default too); none for a size of 0. The
     * mount keeps each file system's blocks in a directory of its own below it, and makes it.
     */
    private Path diskCacheDir() {
        if (cacheSize == 0) {
            return null;
        }
        if (cacheDir != null) {
            return cacheDir.toAbsolutePath();
        }
        Path machineCache = Path.of("/var/cache");
        return Files.isWritable(machineCache) ? machineCache.resolve("curvefs")
                : Path.of(System.getProperty("user.home"), ".cache", "curvefs");
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
        List<String> original = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (original.isEmpty() || !original.get(0).equals("mount")) {
            original.add(0, "mount");
        }
        original.remove("--daemon");
        command.addAll(original);
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
