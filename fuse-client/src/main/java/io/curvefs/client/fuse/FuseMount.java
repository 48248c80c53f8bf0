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
 * A kernel mount of a {@link Vfs}. This class is the only way into the FUSE bindings, so a binding
 * can be replaced without touching the layers above. Two bindings exist: the kernel binding
 * ({@link KernelSession}, root only), which speaks the FUSE protocol on inode numbers and lets the
 * kernel cache names and attributes, and the libfuse binding (jnr-fuse, path based), which mounts
 * through fusermount for users without root.
 */
public final class FuseMount implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);
    private static final Duration MOUNT_WAIT = Duration.ofSeconds(30);
    private static final Duration UNMOUNT_WAIT = Duration.ofSeconds(5);

    private final Path mountPoint;
    private final CountDownLatch ended = new CountDownLatch(1);
    private Runnable unmount = () -> { };

    private FuseMount(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts with the binding the options and the user allow, and returns once the kernel lists the mount. */
    public static FuseMount mount(Vfs vfs, Path mountPoint, FuseOptions options) {
        Path point = mountPoint.toAbsolutePath().normalize();
        if (options.kernelBinding(isRoot())) {
            KernelOptions kernel = KernelOptions.of(options);
            FuseMount mount = new FuseMount(point);
            KernelSession session = KernelSession.start(vfs, point, kernel, mount.ended::countDown);
            mount.unmount = session::unmount;
            LOG.info("mounted at {} (kernel binding, {}, attr/entry timeouts {}/{})", point, kernel.kernelOptions(),
                    kernel.attrTimeout(), kernel.entryTimeout());
            return mount;
        }
        return mountLibfuse(vfs, point, options);
    }

    /**
     * Mounts through libfuse; requests are served on libfuse's threads. libfuse's loop runs on its
     * own thread, and its end (unmount from anywhere) is observed.
     */
    private static FuseMount mountLibfuse(Vfs vfs, Path mountPoint, FuseOptions options) {
        FuseMount mount = new FuseMount(mountPoint);
        CurveFuseFs fs = new CurveFuseFs(vfs, mount.ended::countDown);
        mount.unmount = fs::umount;
        String[] arguments = options.arguments().toArray(String[]::new);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            try {
                fs.mount(mountPoint, true, false, arguments);
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
        LOG.info("mounted at {} (libfuse binding) with {}", mountPoint, options.arguments());
        return mount;
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
     * Unmounts (lazily, like {@code fusermount -u -z}) and waits a little for the FUSE session to end;
     * a mount already gone is fine.
     */
    @Override
    public void close() {
        if (!isMounted()) {
            return;
        }
        try {
            unmount.run();
            if (!ended.await(UNMOUNT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the FUSE session still serves {} {} s after the unmount (files still open?)", mountPoint,
                        UNMOUNT_WAIT.toSeconds());
            }
        } catch (RuntimeException e) {
            LOG.warn("unmounting {}: {}", mountPoint, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
