package io.curvefs.tool.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.tool.localcluster.LocalProcess.Kind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterStateTest {

    @TempDir
    Path dir;

    @Test
    void aPlannedClusterIsReadBackAsWritten() {
        List<LocalProcess> planned = new ClusterLayout(dir, List.of("-Xmx256m"))
                .plan(2, 1, null, List.of(), List.of("--zone=zone{i}", "a b=c\\d"));
        new ClusterState(dir, planned).save();

        ClusterState loaded = ClusterState.load(dir);

        assertThat(loaded.processes()).isEqualTo(planned);
        assertThat(loaded.processes()).extracting(LocalProcess::name)
                .containsExactly("mds-1", "metaserver-1", "metaserver-2");
        assertThat(loaded.named("metaserver-2").command()).contains("--zone=zone2", "a b=c\\d", "-Xmx256m");
        assertThat(loaded.named("metaserver-1").dataDir()).isEqualTo(dir.resolve("metaserver-1").resolve("data"));
    }

    @Test
    void severalMdsShareAnEtcdAndTheBasePortGivesUpstreamPorts() {
        List<LocalProcess> planned = new ClusterLayout(dir, List.of()).plan(1, 3, 46700, List.of(), List.of());

        assertThat(planned).extracting(LocalProcess::name)
                .containsExactly("etcd", "mds-1", "mds-2", "mds-3", "metaserver-1");
        assertThat(planned).filteredOn(p -> p.kind() == Kind.MDS).extracting(LocalProcess::address)
                .containsExactly("127.0.0.1:46700", "127.0.0.1:46701", "127.0.0.1:46702");
        assertThat(planned.get(4).address()).isEqualTo("127.0.0.1:46800");
        assertThat(planned.get(1).command()).containsSequence("--etcd", "http://127.0.0.1:46900");
        assertThat(planned.get(4).command())
                .containsSequence("--mds", "127.0.0.1:46700,127.0.0.1:46701,127.0.0.1:46702");
    }

    @Test
    void pidsAreUpdatedInTheFile() {
        ClusterState state = new ClusterState(dir, new ClusterLayout(dir, List.of()).plan(1, 1, null, List.of(), List.of()));
        state.save();
        state.update(state.named("mds-1").withPid(4242));

        assertThat(ClusterState.load(dir).named("mds-1").pid()).isEqualTo(4242);
        assertThat(ClusterState.load(dir).named("metaserver-1").pid()).isZero();
    }
}
