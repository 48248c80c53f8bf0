package io.curvefs.client.fuse;

import java.time.Duration;
import java.util.List;

/** The FUSE contract through the libfuse binding (jnr-fuse), as mounts without root use it. */
class LibfuseBindingMountTest extends FuseMountTest {
    @Override
    FuseOptions options() {
        return new FuseOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), true, List.of(FuseOptions.LIBFUSE_BINDING));
    }
}
