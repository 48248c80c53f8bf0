package io.curvefs.client.observe;

import io.curvefs.client.vfs.Errno;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * The lines behind {@code .accesslog}: one per FUSE operation, in JuiceFS's shape
 * {@code time [uid:U,gid:G,pid:P] op (args): result <seconds>}. Nothing is formatted while no one
 * reads the file; each reader has its own bounded queue, and a slow reader loses lines (counted in
 * a {@code # N lines dropped} line) instead of slowing the file system down.
 */
public final class AccessLog {

    private static final int QUEUE_LINES = 16_384;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy.MM.dd HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

    private final Set<Reader> readers = new CopyOnWriteArraySet<>();

    /** Whether anyone reads the log now; callers skip gathering details otherwise. */
    public boolean active() {
        return !readers.isEmpty();
    }

    /** Records one finished operation; {@code result} as answered to FUSE (negative: an errno). */
    public void record(Caller caller, String op, String args, int result, long startedNanos) {
        if (readers.isEmpty()) {
            return;
        }
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        String line = String.format("%s [uid:%d,gid:%d,pid:%d] %s (%s): %s <%.6f>%n", TIME.format(Instant.now()),
                caller.uid(), caller.gid(), caller.pid(), op, args, outcome(op, result), seconds);
        for (Reader reader : readers) {
            reader.offer(line);
        }
    }

    private static String outcome(String op, int result) {
        if (result < 0) {
            return errnoName(-result);
        }
        return result > 0 && (op.equals("read") || op.equals("write")) ? "OK (" + result + ")" : "OK";
    }

    private static String errnoName(int errno) {
        for (Errno e : Errno.values()) {
            if (e.value() == errno) {
                return e.name();
            }
        }
        return "errno " + errno;
    }

    /** A new reader that sees the lines recorded from now on. */
    Reader open() {
        Reader reader = new Reader();
        readers.add(reader);
        return reader;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Who asked for an operation, as FUSE tells it. */
    public record Caller(long uid, long gid, long pid) {
    }

    /** One open {@code .accesslog}: its queue and what did not fit in the last read. */
    final class Reader {
        private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE_LINES);
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private long dropped;

        private void offer(String line) {
            if (!lines.offer(line)) {
                synchronized (this) {
                    dropped++;
                }
            }
        }

        /**
         * Up to {@code max} bytes of whole or partial lines. Waits up to {@code wait} for the first
         * line; after a silent wait it answers {@code "#\n"}, so that a reader stays attached (an
         * empty answer would be end of file) and a killed reader's pending call ends soon.
         */
        synchronized byte[] read(int max, long waitMillis) throws InterruptedException {
            if (dropped > 0) {
                pending.writeBytes(utf8("# " + dropped + " lines dropped\n"));
                dropped = 0;
            }
            if (pending.size() == 0) {
                String first = lines.poll(waitMillis, TimeUnit.MILLISECONDS);
                pending.writeBytes(utf8(first != null ? first : "#\n"));
            }
            while (pending.size() < max && lines.peek() != null) {
                pending.writeBytes(utf8(lines.poll()));
            }
            byte[] all = pending.toByteArray();
            int n = Math.min(max, all.length);
            pending.reset();
            pending.write(all, n, all.length - n);
            return Arrays.copyOf(all, n);
        }

        void close() {
            readers.remove(this);
        }
    }
}
