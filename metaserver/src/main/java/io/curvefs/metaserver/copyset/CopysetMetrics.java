package io.curvefs.metaserver.copyset;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.ToDoubleFunction;

/**
 * The Raft state of every copyset this process serves, read when the metrics are scraped:
 * whether this replica leads, its term, its applied index and the group's member count. The
 * gauges live in the default Prometheus registry once per process; each open registry (one per
 * metaserver, several in tests) adds its copysets, told apart by the {@code raft} endpoint label.
 */
final class CopysetMetrics {

    private static final Set<CopysetRegistry> REGISTRIES = new CopyOnWriteArraySet<>();

    static {
        gauge("curvefs_copyset_leader", "1 when this replica is the leader of its copyset, else 0",
                node -> node.isLeader() ? 1 : 0);
        gauge("curvefs_copyset_term", "Raft term this replica of the copyset is in", CopysetNode::term);
        gauge("curvefs_copyset_applied_index", "Last Raft log index applied to this replica's state",
                CopysetNode::appliedIndex);
        gauge("curvefs_copyset_members", "Members of the copyset's Raft group as this replica knows them",
                node -> node.members().size());
    }

    private CopysetMetrics() {
    }

    static void watch(CopysetRegistry registry) {
        REGISTRIES.add(registry);
    }

    static void forget(CopysetRegistry registry) {
        REGISTRIES.remove(registry);
    }

    private static void gauge(String name, String help, ToDoubleFunction<CopysetNode> value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("raft", "copyset")
                .callback(callback -> {
                    for (CopysetRegistry registry : REGISTRIES) {
                        for (CopysetNode node : registry.all()) {
                            callback.call(value.applyAsDouble(node), registry.raftEndpoint().toString(),
                                    node.key().poolId() + "/" + node.key().copysetId());
                        }
                    }
                })
                .register();
    }
}
