package io.curvefs.client.warmup;

import java.util.concurrent.CompletableFuture;

/** Loads one file's blocks into the mount's local caches; completes with the number of blocks fetched. */
@FunctionalInterface
public interface BlockWarmer {

    CompletableFuture<Long> warm(long ino, long length);
}
