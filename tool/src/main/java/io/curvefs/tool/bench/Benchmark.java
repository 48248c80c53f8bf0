package io.curvefs.tool.bench;

import io.curvefs.tool.LocalTrees;
import io.curvefs.tool.bench.PhaseResult.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the phases of a {@link BenchPlan} with plain Java file I/O, so it measures whatever
 * file system holds the path: a mount, or a local disk for comparison. Each thread works on its
 * own files (one big file, a directory of small ones); each phase starts all threads together
 * and takes the wall time from the first start to the last finish, so the throughput is the
 * aggregate of all threads. The data is random (no compression helps) and the work directory
 * is deleted at the end, also after a failure.
 */
public final class Benchmark {

    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    private final BenchPlan plan;
    private final Progress progress;
    private final byte[] data;
    private boolean cachesDropped;
    /** Per thread, the latency of each operation of the running phase. */
    private long[][] latencies;

    Benchmark(BenchPlan plan, Progress progress) {
        this.plan = plan;
        this.progress = progress;
        this.data = new byte[Math.max(plan.ioSize(), 1 << 20)];
        new Random(42).nextBytes(data);
    }

    /** True when the page cache was dropped before the read phases. */
    boolean cachesDropped() {
        return cachesDropped;
    }

    /** Runs every phase with work to do under a new directory in the plan's path, then deletes it. */
    List<PhaseResult> run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(plan.path(), "curvefs-bench-");
        Thread cleanup = new Thread(() -> deleteQuietly(work), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ExecutorService threads = Executors.newFixedThreadPool(plan.threads(), Benchmark::benchThread);
        try {
            List<PhaseResult> results = new ArrayList<>();
            if (plan.bigFileSize() > 0) {
                long ops = divideRoundingUp(plan.bigFileSize(), plan.ioSize());
                results.add(phase(threads, Phase.WRITE_BIG_FILE, ops, t -> writeBig(bigFile(work, t), t)));
                dropCaches();
                results.add(phase(threads, Phase.READ_BIG_FILE, ops, t -> readBig(bigFile(work, t), t)));
            }
            if (plan.smallFileCount() > 0) {
                int n = plan.smallFileCount();
                results.add(phase(threads, Phase.WRITE_SMALL_FILE, n, t -> writeSmall(smallDir(work, t), t)));
                dropCaches();
                results.add(phase(threads, Phase.READ_SMALL_FILE, n, t -> readSmall(smallDir(work, t), t)));
            }
            long files = plan.smallFileCount() + (plan.bigFileSize() > 0 ? 1 : 0);
            if (files > 0) {
                results.add(phase(threads, Phase.STAT_FILE, files, t -> statAll(work, t)));
            }
            return results;
        } finally {
            threads.shutdownNow();
            LocalTrees.delete(work);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /** The work of one thread in one phase: fills {@code latencies} and returns the bytes moved. */
    private interface ThreadWork {
        long run(int thread) throws IOException;
    }

    private PhaseResult phase(ExecutorService threads, Phase phase, long opsPerThread, ThreadWork work)
            throws IOException, InterruptedException {
        latencies = new long[plan.threads()][Math.toIntExact(opsPerThread)];
        progress.start(phase.title(), opsPerThread * plan.threads());
        List<Future<Long>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < plan.threads(); t++) {
            int thread = t;
            running.add(threads.submit(() -> work.run(thread)));
        }
        long bytes = 0;
        try {
            for (Future<Long> f : running) {
                bytes += f.get();
            }
        } catch (ExecutionException e) {
            running.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            progress.finish();
        }
        long elapsed = System.nanoTime() - start;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        long mean = all.length == 0 ? 0 : (long) Arrays.stream(all).average().orElse(0);
        long p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) Math.ceil(all.length * 0.99) - 1)];
        return new PhaseResult(phase, all.length, bytes, elapsed, mean, p99);
    }

    private long writeBig(Path file, int thread) throws IOException {
        long written = 0;
        int op = 0;
        ByteBuffer buffer = ByteBuffer.allocateDirect(plan.ioSize());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (written < plan.bigFileSize()) {
                int length = (int) Math.min(plan.ioSize(), plan.bigFileSize() - written);
                long begin = System.nanoTime();
                fill(buffer, written, length);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                written += length;
                if (written == plan.bigFileSize() && plan.fsync()) {
                    out.force(true);
                }
                latencies[thread][op++] = System.nanoTime() - begin;
                progress.step();
            }
        }
        return written;
    }

    private long readBig(Path file, int thread) throws IOException {
        long read = 0;
        int op = 0;
        ByteBuffer buffer = ByteBuffer.allocateDirect(plan.ioSize());
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (read < plan.bigFileSize()) {
                long begin = System.nanoTime();
                buffer.clear().limit((int) Math.min(plan.ioSize(), plan.bigFileSize() - read));
                while (buffer.hasRemaining()) {
                    if (in.read(buffer) < 0) {
                        throw new IOException(file + " ends after " + (read + buffer.position()) + " bytes, expected "
                                + plan.bigFileSize());
                    }
                }
                read += buffer.position();
                latencies[thread][op++] = System.nanoTime() - begin;
                progress.step();
            }
        }
        return read;
    }

    private long writeSmall(Path dir, int thread) throws IOException {
        Files.createDirectories(dir);
        ByteBuffer buffer = ByteBuffer.allocateDirect(plan.ioSize());
        long written = 0;
        for (int i = 0; i < plan.smallFileCount(); i++) {
            long begin = System.nanoTime();
            try (FileChannel out = FileChannel.open(smallFile(dir, i), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < plan.smallFileSize()) {
                    int length = (int) Math.min(plan.ioSize(), plan.smallFileSize() - done);
                    fill(buffer, done + i, length);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    done += length;
                }
                if (plan.fsync()) {
                    out.force(true);
                }
                written += done;
            }
            latencies[thread][i] = System.nanoTime() - begin;
            progress.step();
        }
        return written;
    }

    private long readSmall(Path dir, int thread) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(plan.ioSize());
        long read = 0;
        for (int i = 0; i < plan.smallFileCount(); i++) {
            long begin = System.nanoTime();
            long done = 0;
            try (FileChannel in = FileChannel.open(smallFile(dir, i), StandardOpenOption.READ)) {
                int n;
                while ((n = in.read(buffer.clear())) >= 0) {
                    done += n;
                }
            }
            if (done != plan.smallFileSize()) {
                throw new IOException(smallFile(dir, i) + " has " + done + " bytes, expected " + plan.smallFileSize());
            }
            read += done;
            latencies[thread][i] = System.nanoTime() - begin;
            progress.step();
        }
        return read;
    }

    private long statAll(Path work, int thread) throws IOException {
        List<Path> files = new ArrayList<>();
        if (plan.bigFileSize() > 0) {
            files.add(bigFile(work, thread));
        }
        for (int i = 0; i < plan.smallFileCount(); i++) {
            files.add(smallFile(smallDir(work, thread), i));
        }
        int op = 0;
        for (Path file : files) {
            long begin = System.nanoTime();
            Files.readAttributes(file, BasicFileAttributes.class);
            latencies[thread][op++] = System.nanoTime() - begin;
            progress.step();
        }
        return 0;
    }

    /** Puts {@code length} bytes of the random data, starting at a position derived from {@code offset}. */
    private void fill(ByteBuffer buffer, long offset, int length) {
        buffer.clear();
        int from = (int) Math.floorMod(offset * 31, (long) data.length);
        int remaining = length;
        while (remaining > 0) {
            int n = Math.min(remaining, data.length - from);
            buffer.put(data, from, n);
            remaining -= n;
            from = 0;
        }
        buffer.flip();
    }

    /** Drops clean pages, dentries and inodes, so reads come from the file system, not from memory. */
    private void dropCaches() {
        if (!plan.dropCaches()) {
            return;
        }
        try {
            Files.writeString(DROP_CACHES, "3");
            cachesDropped = true;
        } catch (IOException | SecurityException e) {
            cachesDropped = false;
        }
    }

    private static Path bigFile(Path work, int thread) {
        return work.resolve("big." + thread);
    }

    private static Path smallDir(Path work, int thread) {
        return work.resolve("small." + thread);
    }

    private static Path smallFile(Path dir, int index) {
        return dir.resolve("file." + index);
    }

    private static long divideRoundingUp(long a, long b) {
        return (a + b - 1) / b;
    }

    private static Thread benchThread(Runnable task) {
        Thread thread = new Thread(task, "bench-worker");
        thread.setDaemon(true);
        return thread;
    }

    private static void deleteQuietly(Path dir) {
        try {
            LocalTrees.delete(dir);
        } catch (UncheckedIOException e) {
            System.err.println("curvefs bench: " + e.getMessage());
        }
    }
}
