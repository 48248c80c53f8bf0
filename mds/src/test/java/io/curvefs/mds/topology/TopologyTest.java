package io.curvefs.mds.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.mds.storage.MdsStorage;
import io.curvefs.mds.storage.RocksMdsStorage;
import io.curvefs.proto.heartbeat.MetaServerSpaceStatus;
import io.curvefs.proto.topology.MetaServerData;
import io.curvefs.proto.topology.MetaServerRegistRequest;
import io.curvefs.proto.topology.OnlineState;
import io.curvefs.proto.topology.TopoStatusCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private MdsStorage storage;
    private final ManualClock clock = new ManualClock();

    @BeforeEach
    void open() {
        storage = RocksMdsStorage.open(dir);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static MetaServerRegistRequest at(int port) {
        return MetaServerRegistRequest.newBuilder().setInternalIp("10.0.0.1").setInternalPort(port)
                .setExternalIp("10.0.0.1").setExternalPort(port).build();
    }

    @Test
    void metaserverGoesOfflineWithoutHeartbeatsAndBackOnlineWithOne() {
        Topology topology = new Topology(storage, clock, TIMEOUT, 1);
        MetaServerData m = topology.registMetaServer(at(6800));
        assertThat(topology.onlineState(m.getMetaServerId())).isEqualTo(OnlineState.ONLINE);

        clock.advance(TIMEOUT.plusSeconds(1));
        assertThat(topology.onlineState(m.getMetaServerId())).isEqualTo(OnlineState.OFFLINE);

        topology.recordHeartbeat(m.getMetaServerId(), MetaServerSpaceStatus.newBuilder().setDiskThresholdByte(1)
                .setDiskCopysetMinRequireByte(0).setDiskUsedByte(0).setMemoryThresholdByte(0)
                .setMemoryCopySetMinRequireByte(0).setMemoryUsedByte(0).build());
        assertThat(topology.onlineState(m.getMetaServerId())).isEqualTo(OnlineState.ONLINE);
    }

    @Test
    void idsAndRecordsSurviveAReload() {
        Topology topology = new Topology(storage, clock, TIMEOUT, 1);
        MetaServerData first = topology.registMetaServer(at(6800));
        int copysetId = topology.reserveCopysetId();

        Topology reloaded = new Topology(storage, clock, TIMEOUT, 1);

        assertThat(reloaded.clusterId()).isEqualTo(topology.clusterId());
        assertThat(reloaded.metaservers()).containsExactly(first);
        assertThat(reloaded.reserveCopysetId()).isGreaterThan(copysetId);
        assertThat(reloaded.registMetaServer(at(6801)).getMetaServerId()).isGreaterThan(first.getMetaServerId());
    }

    @Test
    void nonEmptyObjectsCannotBeRemoved() {
        Topology topology = new Topology(storage, clock, TIMEOUT, 1);
        MetaServerData m = topology.registMetaServer(at(6800));
        assertThatThrownBy(() -> topology.deleteServer(m.getServerId()))
                .isInstanceOfSatisfying(TopologyException.class,
                        e -> assertThat(e.code()).isEqualTo(TopoStatusCode.TOPO_CANNOT_REMOVE_WHEN_NOT_EMPTY));
        topology.deleteMetaServer(m.getMetaServerId());
        topology.deleteServer(m.getServerId());
        assertThat(topology.metaservers()).isEmpty();
    }

    @Test
    void placementPolicyReadsUpstreamJson() {
        PlacementPolicy p = PlacementPolicy.parse("{\"replicaNum\": 3, \"copysetNum\":100,\"zoneNum\":3}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(p).isEqualTo(new PlacementPolicy(3, 100, 3));
        assertThat(PlacementPolicy.parse(p.toJson().getBytes(StandardCharsets.UTF_8))).isEqualTo(p);
        assertThatThrownBy(() -> PlacementPolicy.parse("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TopologyException.class);
    }

    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
