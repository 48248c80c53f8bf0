package io.curvefs.client.fuse;

import java.time.Duration;
import java.util.List;

/** The FUSE contract through the kernel binding, with kernel caching on as mounts have it by default. */
class KernelBindingMountTest extends FuseMountTest {
    @Override
    FuseOptions options() {
        return new FuseOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), true, List.of("binding=kernel"));
    }
}
