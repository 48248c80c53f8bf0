package io.curvefs.mds;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-member etcd (Debian's {@code etcd-server}) on 127.0.0.1 free ports with its data
 * in a directory the caller owns. Starting fails loudly when etcd is not installed: tests that
 * need etcd must not pass by skipping ({@code bin/prerequisites --test} installs it).
 */
public final class EtcdFixture implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ByteSequence FIRST_KEY = ByteSequence.from(new byte[] {0});

    private final Process process;
    private final String endpoint;

    private EtcdFixture(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static EtcdFixture start(Path dir) {
        Path etcd = findOnPath("etcd");
        int clientPort = freePort();
        int peerPort = freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Path log = dir.resolve("etcd.log");
        Process process;
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(etcd.toString(), "--name", "default",
                    "--data-dir", dir.resolve("etcd-data").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "default=" + peer)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + etcd + ": " + e.getMessage(), e);
        }
        EtcdFixture fixture = new EtcdFixture(process, client);
        try {
            fixture.awaitHealthy(log);
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /** The client URL, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint() {
        return endpoint;
    }

    public List<String> endpoints() {
        return List.of(endpoint);
    }

    /** Deletes every key, so tests sharing one etcd start from nothing. */
    public void wipe() {
        try (Client client = Client.builder().endpoints(endpoint).build()) {
            client.getKVClient().delete(FIRST_KEY, DeleteOption.builder().withRange(FIRST_KEY).build())
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot wipe etcd at " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted wiping etcd", e);
        }
    }

    private void awaitHealthy(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + " at start; see " + log);
            }
            try {
                HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for etcd", e);
            }
            pause();
        }
        throw new IllegalStateException("etcd at " + endpoint + " not healthy within " + START_TIMEOUT.toSeconds()
                + " s; see " + log);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for etcd", e);
        }
    }

    private static Path findOnPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("etcd is not installed (no '" + program + "' on PATH): "
                + "install Debian's etcd-server, e.g. bin/prerequisites --test");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
