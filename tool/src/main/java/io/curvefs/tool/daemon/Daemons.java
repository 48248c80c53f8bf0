package io.curvefs.tool.daemon;

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

    interface Running extends AutoCloseable {
        void awaitTermination() throws InterruptedException;

        @Override
        void close();
    }

    static int runUntilSignal(String name, Running daemon) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("{} stopping", name);
            try {
                daemon.close();
            } finally {
                closed.countDown();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        daemon.awaitTermination();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            daemon.close();
        } catch (IllegalStateException shuttingDown) {
            closed.await();
        }
        return 0;
    }
}
