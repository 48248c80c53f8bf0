package io.curvefs.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** Polls until a condition holds or a value can be had, for servers that are still starting. */
final class Eventually {

    private Eventually() {
    }

    static void until(Duration timeout, BooleanSupplier condition) throws Exception {
        get(timeout, () -> {
            if (!condition.getAsBoolean()) {
                throw new IllegalStateException("condition not met");
            }
            return Boolean.TRUE;
        });
    }

    static <T> T get(Duration timeout, Callable<T> attempt) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last;
        do {
            try {
                return attempt.call();
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not within " + timeout, last);
    }
}
