package io.curvefs.client.data.cache;

import io.curvefs.objectstore.ObjectStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads the blocks staged in the disk cache's {@code cachewrite/} in the background, and at
 * start every block a previous run left there. A failed upload is retried with growing pauses
 * for as long as the mount runs; the file stays in {@code cachewrite/} until an upload succeeds,
 * so a crash at any point leaves it for the next start.
 */
public final class WriteBackUploader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBackUploader.class);
    private static final long FIRST_RETRY_MS = 500;
    private static final long LAST_RETRY_MS = 30_000;

    private final DiskCache cache;
    private final ObjectStore objects;
    private final ExecutorService workers;
    private final ScheduledExecutorService retries;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Object progress = new Object();
    private volatile boolean failing;
    private volatile boolean closed;

    public WriteBackUploader(DiskCache cache, ObjectStore objects, int parallelism) {
        this.cache = cache;
        this.objects = objects;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(parallelism, r -> daemon(r, "curvefs-writeback-" + n.incrementAndGet()));
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "curvefs-writeback-retry"));
        for (String key : cache.pendingKeys()) {
            submit(key);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Queues a staged block for upload (a block already queued is not queued twice). */
    public void submit(String key) {
        if (!closed && queued.add(key)) {
            workers.execute(() -> upload(key, FIRST_RETRY_MS));
        }
    }

    private void upload(String key, long nextPauseMs) {
        if (closed) {
            return;
        }
        byte[] data;
        try {
            data = cache.readStaged(key);
        } catch (RuntimeException e) {
            LOG.error("write-back block {} cannot be uploaded and stays in cachewrite/: {}", key, e.getMessage());
            queued.remove(key);
            signal(true);
            return;
        }
        try {
            objects.put(key, data).join();
            cache.uploaded(key);
            queued.remove(key);
            signal(false);
        } catch (RuntimeException e) {
            LOG.warn("upload of write-back block {} failed, retrying in {} ms: {}", key, nextPauseMs, e.getMessage());
            signal(true);
            if (!closed) {
                retries.schedule(() -> workers.execute(() -> upload(key, Math.min(LAST_RETRY_MS, nextPauseMs * 2))),
                        nextPauseMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void signal(boolean failed) {
        synchronized (progress) {
            failing = failed;
            progress.notifyAll();
        }
    }

    public int pendingCount() {
        return cache.pendingKeys().size();
    }

    /**
     * Waits until nothing is left to upload; gives up early once an upload fails (the object
     * store is away: the blocks stay for the next start) or after {@code timeout}.
     * Returns whether everything was uploaded.
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!queued.isEmpty() && !failing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return queued.isEmpty();
    }

    /** Stops uploading; uploads in progress finish, the rest stays in cachewrite/ for the next start. */
    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        int left = cache.pendingKeys().size();
        if (left > 0) {
            LOG.info("{} write-back blocks stay in cachewrite/ and will be uploaded by the next mount", left);
        }
    }
}
