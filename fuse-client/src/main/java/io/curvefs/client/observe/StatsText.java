package io.curvefs.client.observe;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The text behind {@code .stats}: the current value of every metric this process collects, one
 * {@code name{labels} value} line each, sorted, as Prometheus names them (counters end in
 * {@code _total}; histograms and summaries show their {@code _count} and {@code _sum}). JVM
 * metrics are left out: this file is about the file system.
 */
final class StatsText {

    private StatsText() {
    }

    static String render(PrometheusRegistry registry) {
        List<String> lines = new ArrayList<>();
        for (MetricSnapshot metric : registry.scrape()) {
            String name = metric.getMetadata().getPrometheusName();
            if (name.startsWith("jvm_") || name.startsWith("process_")) {
                continue;
            }
            for (DataPointSnapshot point : metric.getDataPoints()) {
                String labels = labels(point);
                if (metric instanceof CounterSnapshot) {
                    lines.add(name + "_total" + labels + " " + number(((CounterSnapshot.CounterDataPointSnapshot) point).getValue()));
                } else if (metric instanceof GaugeSnapshot) {
                    lines.add(name + labels + " " + number(((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue()));
                } else if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot h) {
                    lines.add(name + "_count" + labels + " " + h.getCount());
                    lines.add(name + "_sum" + labels + " " + number(h.getSum()));
                } else if (point instanceof SummarySnapshot.SummaryDataPointSnapshot s) {
                    lines.add(name + "_count" + labels + " " + s.getCount());
                    lines.add(name + "_sum" + labels + " " + number(s.getSum()));
                }
            }
        }
        lines.sort(null);
        return String.join("\n", lines) + "\n";
    }

    private static String labels(DataPointSnapshot point) {
        if (point.getLabels().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("{");
        for (Label label : point.getLabels()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(label.getName()).append("=\"").append(label.getValue().replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
