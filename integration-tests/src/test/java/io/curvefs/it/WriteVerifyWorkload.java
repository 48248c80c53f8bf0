package io.curvefs.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;

/**
 * Writes files into a directory of a mount, one after the other, until stopped: each file is
 * written in two pieces, partly overwritten in place, fsynced and closed, and only then recorded
 * with its length and checksum. Any failed system call is kept and reported by {@link #stop};
 * {@link #verify} reads every recorded file back. The point is that a server dying in between
 * must cost a pause, never an error or a lost fsynced byte.
 */
final class WriteVerifyWorkload {

    private static final int MAX_FILE_BYTES = 256 * 1024;

    private record Written(long length, long checksum) {
    }

    private final Path dir;
    private final Random random;
    private final Map<Path, Written> fsynced = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopping;

    private WriteVerifyWorkload(Path dir, long seed) {
        this.dir = dir;
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "workload-" + dir.getFileName());
    }

    static WriteVerifyWorkload start(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        WriteVerifyWorkload workload = new WriteVerifyWorkload(dir, seed);
        workload.thread.start();
        return workload;
    }

    int files() {
        return fsynced.size();
    }

    /** Waits until {@code count} more files than now are fsynced; fails at once if a call failed. */
    void awaitMoreFiles(int count, Duration timeout) throws Exception {
        int target = files() + count;
        Eventually.until(timeout, () -> {
            if (failure.get() != null || !thread.isAlive()) {
                throw new AssertionError("the workload stopped after " + files() + " files", failure.get());
            }
            return files() >= target;
        });
    }

    /** Stops after the file in progress; fails when any system call failed. */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join(Duration.ofSeconds(120).toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the workload in " + dir + " is stuck in a system call");
        }
        if (failure.get() != null) {
            throw new AssertionError("a system call failed after " + files() + " files", failure.get());
        }
    }

    /** Reads every fsynced file back and compares length and checksum. */
    void verify() throws IOException {
        for (Map.Entry<Path, Written> file : fsynced.entrySet()) {
            byte[] content = Files.readAllBytes(file.getKey());
            if (content.length != file.getValue().length() || checksum(content) != file.getValue().checksum()) {
                throw new AssertionError(file.getKey() + ": read back " + content.length + " bytes that differ from the "
                        + file.getValue().length() + " bytes fsynced");
            }
        }
    }

    private void run() {
        try {
            for (int i = 0; !stopping; i++) {
                writeOne(dir.resolve(String.format("file-%05d", i)));
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private void writeOne(Path file) throws IOException {
        byte[] content = new byte[1 + random.nextInt(MAX_FILE_BYTES)];
        random.nextBytes(content);
        int split = random.nextInt(content.length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, content, 0, split);
            writeFully(channel, content, split, content.length - split);
            int from = random.nextInt(content.length);
            int to = from + random.nextInt(content.length - from + 1);
            byte[] patch = new byte[to - from];
            random.nextBytes(patch);
            System.arraycopy(patch, 0, content, from, patch.length);
            writeFully(channel, content, from, patch.length);
            channel.force(true);
        }
        fsynced.put(file, new Written(content.length, checksum(content)));
    }

    private static void writeFully(FileChannel channel, byte[] content, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content, offset, length);
        long position = offset;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    private static long checksum(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return crc.getValue();
    }
}
