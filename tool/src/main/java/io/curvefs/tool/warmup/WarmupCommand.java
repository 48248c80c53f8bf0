package io.curvefs.tool.warmup;

import io.curvefs.tool.ToolFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The client side of warmup: asks the mount daemon through upstream's xattr interface
 * ({@code curvefs.warmup.op} on each path) to load files into its caches, then polls each job's
 * progress and draws one progress line. Ctrl-C cancels the jobs it started. The work happens in
 * the daemon, so a warmup started here also finishes if this command is killed hard.
 */
@Command(name = "warmup", mixinStandardHelpOptions = true,
        description = {"Load files (or whole directory trees) on a curvefs mount into the mount's local cache, "
                + "and their metadata into its caches, showing progress (files, bytes, rate, ETA).",
            "Ctrl-C cancels. Exits 0 when everything was loaded, 1 on errors, 130 when cancelled."})
public final class WarmupCommand implements Callable<Integer> {

    static final String OP = "curvefs.warmup.op";
    static final String OP_LIST = "curvefs.warmup.op.list";
    static final String PROGRESS = "curvefs.warmup.progress";
    private static final long POLL_MILLIS = 200;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories on a curvefs mount")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--file-list", paramLabel = "FILE",
            description = "A file naming one mounted path per line (kept on the mount or anywhere else)")
    Path fileList;

    @Option(names = "--status", description = "Show the warmup jobs running on the mounts of PATH (default: .) and exit")
    boolean status;

    private final Xattrs xattrs = new Xattrs();

    @Override
    public Integer call() throws Exception {
        if (status) {
            return printStatus();
        }
        List<MountedPath> targets = targets();
        if (targets.isEmpty()) {
            throw new ToolFailure("nothing to warm up: give PATH... or --file-list FILE");
        }
        for (MountedPath target : targets) {
            boolean list = fileList != null && target.path().equals(fileList.toRealPath());
            xattrs.set(target.path(), OP, String.join("\n", "add", list ? "list" : "single", target.inFs(), "disk",
                    target.mountPoint().toString(), "/"));
        }
        Thread cancelOnInterrupt = new Thread(() -> cancel(targets), "warmup-cancel");
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        Progress progress = new Progress(System.console() != null);
        while (true) {
            Progress.Totals totals = Progress.Totals.sum(targets.stream()
                    .map(t -> xattrs.get(t.path(), PROGRESS)).toList());
            progress.show(totals);
            if (totals.done()) {
                Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
                progress.finish(totals);
                return totals.cancelled() ? 130 : totals.errors() > 0 || totals.failed() ? 1 : 0;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private List<MountedPath> targets() throws IOException {
        Set<MountedPath> targets = new LinkedHashSet<>();
        for (Path path : paths) {
            targets.add(MountedPath.of(path));
        }
        if (fileList != null) {
            if (!Files.isRegularFile(fileList)) {
                throw new ToolFailure("--file-list: no such file: " + fileList);
            }
            if (isOnMount(fileList)) {
                targets.add(MountedPath.of(fileList));
            } else {
                for (String line : Files.readAllLines(fileList)) {
                    if (!line.isBlank()) {
                        targets.add(MountedPath.of(Path.of(line.strip())));
                    }
                }
            }
        }
        return new ArrayList<>(targets);
    }

    private static boolean isOnMount(Path path) {
        try {
            MountedPath.of(path);
            return true;
        } catch (ToolFailure notMounted) {
            return false;
        }
    }

    private void cancel(List<MountedPath> targets) {
        for (MountedPath target : targets) {
            try {
                xattrs.set(target.path(), OP, "cancel\n" + (fileList != null ? "list" : "single"));
            } catch (RuntimeException e) {
                System.err.println("curvefs: cancel of " + target.path() + " failed: " + e.getMessage());
            }
        }
        System.err.println();
        System.err.println("curvefs: warmup cancelled");
    }

    private int printStatus() {
        Set<Path> mounts = new LinkedHashSet<>();
        for (Path path : paths.isEmpty() ? List.of(Path.of(".")) : paths) {
            mounts.add(MountedPath.of(path).mountPoint());
        }
        for (Path mount : mounts) {
            String jobs = xattrs.get(mount, OP_LIST);
            if (jobs == null || jobs.isEmpty()) {
                System.out.println(mount + ": no warmup running");
                continue;
            }
            for (String job : jobs.split(";")) {
                int colon = job.lastIndexOf(':');
                System.out.println(mount + ": " + job.substring(0, colon) + " " + job.substring(colon + 1) + " files");
            }
        }
        return 0;
    }
}
