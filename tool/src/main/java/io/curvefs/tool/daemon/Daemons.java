package io.curvefs.tool.daemon;

import io.curvefs.tool.MetricsOption;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a started daemon in the foreground until SIGTERM/SIGINT, then closes it. The shutdown
 * hook waits for close() to finish so that the JVM does not exit half-way through a clean stop.
 */
final class Daemons {

    private static final Logger LOG = LoggerFactory.getLogger(Daemons.class);

    private Daemons() {
    }

    /** Blocks until the daemon has stopped on its own or been stopped. */
    interface Termination {
        void await() throws InterruptedException;
    }

    /** Starts the metrics endpoint of a started daemon, stopping the daemon if that fails. */
    static AutoCloseable startOrClose(MetricsOption metrics, AutoCloseable daemon) throws Exception {
        try {
            return metrics.start();
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    /** Closes the daemon, then its metrics endpoint. */
    static Runnable closing(AutoCloseable daemon, AutoCloseable endpoint) {
        return () -> {
            try (endpoint) {
                daemon.close();
            } catch (Exception e) {
                LOG.warn("stopping: {}", e.toString());
            }
        };
    }

    static int runUntilSignal(String name, Termination termination, Runnable close) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("{} stopping", name);
            try {
                close.run();
            } finally {
                closed.countDown();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        termination.await();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            close.run();
        } catch (IllegalStateException shuttingDown) {
            closed.await();
        }
        return 0;
    }
}
