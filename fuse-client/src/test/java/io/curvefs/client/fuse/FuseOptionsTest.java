package io.curvefs.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuseOptionsTest {

    private static List<String> options(FuseOptions fuse) {
        assertThat(fuse.arguments()).hasSize(2).first().isEqualTo("-o");
        return List.of(fuse.arguments().get(1).split(","));
    }

    @Test
    void theKernelChecksPermissionsAlwaysAndOtherUsersComeInOnlyForRoot() {
        assertThat(options(FuseOptions.defaults(false))).contains("default_permissions", "hard_remove", "use_ino")
                .doesNotContain("allow_other");
        assertThat(options(FuseOptions.defaults(true))).contains("default_permissions", "allow_other");
    }

    @Test
    void extraOptionsComeLastSoThatTheyOverrideTheDefaults() {
        List<String> extra = FuseOptions.parseList(List.of("ro,attr_timeout=2", " noatime ", ","));
        assertThat(extra).containsExactly("ro", "attr_timeout=2", "noatime");
        List<String> all = options(new FuseOptions(Duration.ZERO, Duration.ZERO, true, extra));
        assertThat(all.subList(all.size() - 3, all.size())).containsExactly("ro", "attr_timeout=2", "noatime");
        assertThat(all).contains("attr_timeout=0");
    }
}
