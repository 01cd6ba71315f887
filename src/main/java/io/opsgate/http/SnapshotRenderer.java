package io.opsgate.http;

import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.Snapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Merges the families of every collector key by name and renders them into {@link RenderedMetrics}. */
final class SnapshotRenderer {
    private static final String INFO_SUFFIX = "_info";

    private final ExpositionWriter writer;
    /** Sizes of the previous rendering: the next one is usually within a few percent. */
    private volatile int lastTextBytes;
    private volatile int lastOpenMetricsBytes;

    SnapshotRenderer(ExpositionWriter writer) {
        this.writer = writer;
    }

    /**
     * Renders the given formats, one at a time, each moved off-heap before the next is rendered: the heap
     * holds one rendering at most.
     */
    RenderedMetrics render(Snapshot snapshot, Set<RenderedMetrics.Format> formats) {
        MetricSnapshots snapshots = toMetricSnapshots(snapshot);
        Map<RenderedMetrics.Format, RenderedMetrics.Encodings> out = new EnumMap<>(RenderedMetrics.Format.class);
        for (RenderedMetrics.Format format : formats) {
            out.put(format, render(snapshots, format));
        }
        return new RenderedMetrics(snapshot, out);
    }

    RenderedMetrics.Encodings render(Snapshot snapshot, RenderedMetrics.Format format) {
        return render(toMetricSnapshots(snapshot), format);
    }

    private RenderedMetrics.Encodings render(MetricSnapshots snapshots, RenderedMetrics.Format format) {
        return format == RenderedMetrics.Format.TEXT ? renderText(snapshots) : renderOpenMetrics(snapshots);
    }

    private RenderedMetrics.Encodings renderText(MetricSnapshots snapshots) {
        RenderBuffer out = new RenderBuffer(lastTextBytes);
        writer.writeText(snapshots, out);
        lastTextBytes = out.size();
        return new RenderedMetrics.Encodings(out.toSharedBytes(), out.gzipToSharedBytes());
    }

    /** Without the final {@code # EOF}. */
    private RenderedMetrics.Encodings renderOpenMetrics(MetricSnapshots snapshots) {
        RenderBuffer out = new RenderBuffer(lastOpenMetricsBytes);
        writer.writeOpenMetricsWithoutEof(snapshots, out);
        lastOpenMetricsBytes = out.size();
        return new RenderedMetrics.Encodings(out.toSharedBytes(), out.gzipToSharedBytes());
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
