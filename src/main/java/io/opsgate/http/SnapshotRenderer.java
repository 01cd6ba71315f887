package io.opsgate.http;

import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.Snapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Merges the families of every collector key by name and renders them into {@link RenderedMetrics}. */
final class SnapshotRenderer {
    private static final String INFO_SUFFIX = "_info";

    private final ExpositionWriter writer;

    SnapshotRenderer(ExpositionWriter writer) {
        this.writer = writer;
    }

    RenderedMetrics render(Snapshot snapshot) {
        MetricSnapshots snapshots = toMetricSnapshots(snapshot);
        byte[] text = writer.text(snapshots);
        byte[] openMetrics = writer.openMetricsWithoutEof(snapshots);
        return new RenderedMetrics(snapshot.version(), SharedBytes.copyOf(text), SharedBytes.copyOf(ExpositionWriter.gzip(text)),
                SharedBytes.copyOf(openMetrics), SharedBytes.copyOf(ExpositionWriter.gzip(openMetrics)));
    }

    static MetricSnapshots toMetricSnapshots(Snapshot snapshot) {
        Map<String, List<MetricFamily>> byName = new TreeMap<>();
        for (List<MetricFamily> families : snapshot.families().values()) {
            for (MetricFamily family : families) {
                byName.computeIfAbsent(family.name(), k -> new ArrayList<>()).add(family);
            }
        }
        List<MetricSnapshot> out = new ArrayList<>(byName.size());
        for (List<MetricFamily> same : byName.values()) {
            if (same.stream().allMatch(f -> f.samples().isEmpty())) {
                continue;
            }
            out.add(same.get(0).type() == MetricFamily.Type.INFO ? info(same) : gauge(same));
        }
        return new MetricSnapshots(out);
    }

    private static MetricSnapshot gauge(List<MetricFamily> same) {
        MetricFamily first = same.get(0);
        List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();
        for (MetricFamily family : same) {
            for (MetricFamily.Sample sample : family.samples()) {
                points.add(new GaugeSnapshot.GaugeDataPointSnapshot(sample.value(), sample.labels(), null));
            }
        }
        return new GaugeSnapshot(new MetricMetadata(first.name(), first.help()), points);
    }

    private static MetricSnapshot info(List<MetricFamily> same) {
        MetricFamily first = same.get(0);
        // The library appends "_info" itself, as OpenMetrics wants the family name without it.
        String base = first.name().endsWith(INFO_SUFFIX)
                ? first.name().substring(0, first.name().length() - INFO_SUFFIX.length()) : first.name();
        List<InfoSnapshot.InfoDataPointSnapshot> points = new ArrayList<>();
        for (MetricFamily family : same) {
            for (MetricFamily.Sample sample : family.samples()) {
                points.add(new InfoSnapshot.InfoDataPointSnapshot(sample.labels()));
            }
        }
        return new InfoSnapshot(new MetricMetadata(base, first.help()), points);
    }
}
