package io.curvefs.tool.localcluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the processes of a local cluster detached from the command that starts them (own
 * session through setsid, stdin from /dev/null, output appended to the process's log), so they
 * outlive it and a Ctrl-C in the terminal does not reach them. A recorded pid only counts as the
 * process while that pid's command line still names the process's home directory: after a
 * reboot or a long time, the pid may belong to something else, which must never be signalled.
 */
final class OsProcesses {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private OsProcesses() {
    }

    /** Starts {@code process}'s command and returns its pid. */
    static long launch(LocalProcess process) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(process.command());
        try {
            Files.createDirectories(process.dataDir());
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(process.log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start()
                    .pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + process.name() + " (" + process.command().get(0) + "): "
                    + e.getMessage(), e);
        }
    }

    /** The live process recorded for {@code process}, if it still runs. */
    static Optional<ProcessHandle> running(LocalProcess process) {
        if (process.pid() <= 0) {
            return Optional.empty();
        }
        String home = process.home().toString();
        return ProcessHandle.of(process.pid())
                .filter(ProcessHandle::isAlive)
                .filter(h -> commandLine(h.pid()).map(line -> line.contains(home)).orElse(true));
    }

    /** The whole command line (ProcessHandle.Info cuts it at 4 KiB, shorter than a java class path). */
    private static Optional<String> commandLine(long pid) {
        try {
            return Optional.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL. */
    static void kill(ProcessHandle handle) {
        handle.destroyForcibly();
    }

    /** SIGTERM. */
    static void terminate(ProcessHandle handle) {
        handle.destroy();
    }

    /** Waits until the process is gone; false when it still runs after {@code timeout}. */
    static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }
}
