package io.curvefs.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A curvefs command run as a separate JVM, the way an operator runs it: same class path as
 * the test, output to a log file under target/. Every process carries a
 * {@code -Dcurvefs.test.run=} marker so that bin/test can kill leftovers of a crashed run.
 */
final class DaemonProcess implements AutoCloseable {

    static final String RUN_ID = UUID.randomUUID().toString();

    private final String name;
    private final List<String> args;
    private final Path log;
    private Process process;

    DaemonProcess(String name, Path logDir, String... args) {
        this.name = name;
        this.args = List.of(args);
        this.log = logDir.resolve(name + ".log");
    }

    static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Dcurvefs.test.run=" + RUN_ID);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add("io.curvefs.tool.Main");
        command.addAll(List.of(args));
        return command;
    }

    DaemonProcess start() throws IOException {
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(javaCommand(args.toArray(String[]::new)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return this;
    }

    /** Waits until the daemon accepts TCP connections on {@code port}. */
    DaemonProcess awaitPort(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + "; log:\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(name + " did not listen on " + port + " in " + timeout);
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: the clean-stop path. Returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill9();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A free port p such that p + offset is free too (the metaserver's raft port). */
    static int freePortPair(int offset) throws IOException {
        for (int i = 0; i < 50; i++) {
            int p = freePort();
            if (p + offset < 65536) {
                try (ServerSocket ignored = new ServerSocket(p + offset)) {
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port pair");
    }
}
