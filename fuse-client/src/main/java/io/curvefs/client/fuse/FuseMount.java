package io.curvefs.client.fuse;

import io.curvefs.client.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kernel mount of a {@link Vfs} through libfuse (jnr-fuse). This class is the only way into the
 * FUSE binding, so the binding can be replaced without touching the layers above.
 */
public final class FuseMount implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);
    private static final Duration MOUNT_WAIT = Duration.ofSeconds(30);
    private static final Duration UNMOUNT_WAIT = Duration.ofSeconds(5);

    private final Path mountPoint;
    private final CurveFuseFs fs;
    private final CountDownLatch ended = new CountDownLatch(1);

    private FuseMount(Path mountPoint, Vfs vfs) {
        this.mountPoint = mountPoint;
        this.fs = new CurveFuseFs(vfs, ended::countDown);
    }

    /**
     * Mounts and returns once the kernel lists the mount; requests are served on libfuse's threads.
     * libfuse's loop runs on its own thread, and its end (unmount from anywhere) is observed.
     */
    public static FuseMount mount(Vfs vfs, Path mountPoint, FuseOptions options) {
        FuseMount mount = new FuseMount(mountPoint, vfs);
        String[] arguments = options.arguments().toArray(String[]::new);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            try {
                mount.fs.mount(mountPoint, true, false, arguments);
            } catch (RuntimeException e) {
                failure.set(e);
            } finally {
                mount.ended.countDown();
            }
        }, "curvefs-fuse-loop");
        loop.setDaemon(true);
        loop.start();
        long deadline = System.nanoTime() + MOUNT_WAIT.toNanos();
        while (!isListed(mountPoint)) {
            if (!loop.isAlive() || System.nanoTime() > deadline) {
                RuntimeException cause = failure.get();
                mount.close();
                throw new IllegalStateException("cannot mount at " + mountPoint + ": "
                        + (cause != null ? cause.getMessage() : loop.isAlive() ? "not mounted after "
                        + MOUNT_WAIT.toSeconds() + " s" : "libfuse gave up (see its message above)"), cause);
            }
            sleep();
        }
        LOG.info("mounted at {} with {}", mountPoint, options.arguments());
        return mount;
    }

    /** Whether the kernel's mount table lists a FUSE mount at {@code point}. */
    private static boolean isListed(Path point) {
        String target = point.toAbsolutePath().normalize().toString().replace(" ", "\\040");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 2 && fields[1].equals(target) && fields[2].startsWith("fuse")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while mounting", e);
        }
    }

    /** Blocks until the file system is unmounted, by {@link #close()} or from outside. */
    public void awaitUnmounted() throws InterruptedException {
        ended.await();
    }

    public boolean awaitUnmounted(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    public boolean isMounted() {
        return ended.getCount() > 0;
    }

    /**
     * Unmounts (lazily, like {@code fusermount -u -z}) and waits a little for libfuse's loop to end;
     * a mount already gone is fine.
     */
    @Override
    public void close() {
        if (!isMounted()) {
            return;
        }
        try {
            fs.umount();
            if (!ended.await(UNMOUNT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("libfuse still serves {} {} s after the unmount (files still open?)", mountPoint,
                        UNMOUNT_WAIT.toSeconds());
            }
        } catch (RuntimeException e) {
            LOG.warn("unmounting {}: {}", mountPoint, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
