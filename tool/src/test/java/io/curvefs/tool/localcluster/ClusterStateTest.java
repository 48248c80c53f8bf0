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
                .plan(2, 1, null, List.of(), List.of("--label=m{i}", "a b=c\\d"), 0);
        new ClusterState(dir, planned).save();

        ClusterState loaded = ClusterState.load(dir);

        assertThat(loaded.processes()).isEqualTo(planned);
        assertThat(loaded.processes()).extracting(LocalProcess::name)
                .containsExactly("mds-1", "metaserver-1", "metaserver-2");
        assertThat(loaded.named("metaserver-2").command()).contains("--label=m2", "a b=c\\d", "-Xmx256m");
        assertThat(loaded.named("metaserver-1").dataDir()).isEqualTo(dir.resolve("metaserver-1").resolve("data"));
    }

    @Test
    void severalMdsShareAnEtcdAndTheBasePortGivesUpstreamPorts() {
        List<LocalProcess> planned = new ClusterLayout(dir, List.of()).plan(1, 3, 46700, List.of(), List.of(), 0);

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
    void withZonesEachMetaserverRegistersOnItsOwnServerInZonesRoundRobin() {
        List<LocalProcess> planned = new ClusterLayout(dir, List.of()).plan(4, 1, 46700, List.of(), List.of(), 3);

        assertThat(planned.get(4).command()).containsSequence("--server-name", "metaserver-4");
        String topology = ClusterLayout.topology(planned, 3);
        assertThat(topology).contains("\"replicasnum\": 3", "\"zonenum\": 3")
                .contains("{\"name\": \"metaserver-1\", \"internalip\": \"127.0.0.1\", \"internalport\": 46800, "
                        + "\"externalip\": \"127.0.0.1\", \"externalport\": 46800, \"zone\": \"zone1\", \"pool\": \"pool1\"}")
                .contains("\"name\": \"metaserver-3\"", "\"zone\": \"zone3\"")
                .containsPattern("metaserver-4.*\"zone\": \"zone1\"");
    }

    @Test
    void pidsAreUpdatedInTheFile() {
        ClusterState state = new ClusterState(dir, new ClusterLayout(dir, List.of()).plan(1, 1, null, List.of(), List.of(), 0));
        state.save();
        state.update(state.named("mds-1").withPid(4242));

        assertThat(ClusterState.load(dir).named("mds-1").pid()).isEqualTo(4242);
        assertThat(ClusterState.load(dir).named("metaserver-1").pid()).isZero();
    }
}
