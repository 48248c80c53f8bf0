package io.curvefs.client.fuse;

import io.curvefs.client.vfs.Vfs;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.FuseException;

/**
 * A kernel mount of a {@link Vfs} through libfuse (jnr-fuse). This class is the only way into the
 * FUSE binding, so the binding can be replaced without touching the layers above.
 */
public final class FuseMount implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);

    private final Path mountPoint;
    private final CurveFuseFs fs;
    private final CountDownLatch ended = new CountDownLatch(1);

    private FuseMount(Path mountPoint, Vfs vfs) {
        this.mountPoint = mountPoint;
        this.fs = new CurveFuseFs(vfs, ended::countDown);
    }

    /** Mounts and returns once the kernel mount exists; requests are served on libfuse's threads. */
    public static FuseMount mount(Vfs vfs, Path mountPoint, FuseOptions options) {
        FuseMount mount = new FuseMount(mountPoint, vfs);
        try {
            mount.fs.mount(mountPoint, false, false, options.arguments().toArray(String[]::new));
        } catch (FuseException e) {
            throw new IllegalStateException("cannot mount at " + mountPoint + ": " + e.getMessage(), e);
        }
        LOG.info("mounted at {} with {}", mountPoint, options.arguments());
        return mount;
    }

    public Path mountPoint() {
        return mountPoint;
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

    /** Unmounts (lazily, like {@code fusermount -u -z}); a mount already gone is fine. */
    @Override
    public void close() {
        if (!isMounted()) {
            return;
        }
        try {
            fs.umount();
        } catch (RuntimeException e) {
            LOG.warn("unmounting {}: {}", mountPoint, e.getMessage());
        }
        ended.countDown();
    }
}
