package io.opsgate.http;

import io.netty.buffer.ByteBufInputStream;
import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.Snapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Merges the families of every collector key by name and renders them into {@link RenderedMetrics}.
 *
 * <p>One family at a time, gzipped, straight into off-heap chunks ({@link ChunkedBytes}): the heap holds the
 * library's data points of one family and the writers' small buffers, never the body. Converting the whole
 * snapshot to the library's model first, then rendering it into one body-sized array, needed about 45 MB of heap
 * on top of the snapshot for the issue #9 benchmark fleet and did not fit the shipped heap (BENCHMARKS.md). The
 * bytes are those of the library's writer given the whole snapshot at once: families in the order it sorts them,
 * each merged by name.
 *
 * <p>Only the gzip is rendered with the snapshot: Prometheus always asks for it. The plain body, about twenty
 * times larger (19 MB against 1 MB for that fleet), is {@linkplain #plain inflated from it} on the first request
 * without gzip, once the previous snapshot's rendering has been replaced: rendered up front it coexisted with the
 * previous one's for the whole render, which set the service's peak RSS (BENCHMARKS.md). Inflating is the same
 * bytes by construction, and about a tenth of the cost of rendering them again.
 */
final class SnapshotRenderer {
    private static final String INFO_SUFFIX = "_info";
    /** Plain chunks: a 28 MB body in about 110 of them, each large enough that a socket write moves plenty. */
    private static final int PLAIN_CHUNK_BYTES = 256 * 1024;
    /** Gzip is about a twentieth of the plain size. */
    private static final int GZIP_CHUNK_BYTES = 64 * 1024;
    /** Of the gzip streams: large enough that a render or an inflate is few trips through zlib. */
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    private final ExpositionWriter writer;

    SnapshotRenderer(ExpositionWriter writer) {
        this.writer = writer;
    }

    /** Renders the given formats, one after the other. */
    RenderedMetrics render(Snapshot snapshot, Set<RenderedMetrics.Format> formats) {
        List<Group> groups = groups(snapshot);
        Map<RenderedMetrics.Format, RenderedMetrics.Encodings> out = new EnumMap<>(RenderedMetrics.Format.class);
        try {
            for (RenderedMetrics.Format format : formats) {
                out.put(format, render(groups, format));
            }
        } catch (RuntimeException | Error e) {
            out.values().forEach(RenderedMetrics.Encodings::retire);
            throw e;
        }
        return new RenderedMetrics(snapshot, out);
    }

    RenderedMetrics.Encodings render(Snapshot snapshot, RenderedMetrics.Format format) {
        return render(groups(snapshot), format);
    }

    /** The gzip only; the plain bytes are inflated from it when first asked for ({@link #plain}). */
    private RenderedMetrics.Encodings render(List<Group> groups, RenderedMetrics.Format format) {
        ChunkedBytes zipped = new ChunkedBytes(GZIP_CHUNK_BYTES);
        boolean done = false;
        try {
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped, STREAM_BUFFER_BYTES)) {
                for (Group group : groups) {
                    MetricSnapshots one = new MetricSnapshots(group.toMetricSnapshot());
                    if (format == RenderedMetrics.Format.TEXT) {
                        writer.writeText(one, gzip);
                    } else {
                        writer.writeOpenMetricsWithoutEof(one, gzip);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RenderedMetrics.Encodings encodings = RenderedMetrics.Encodings.gzipOnly(zipped.toSharedBytes());
            done = true;
            return encodings;
        } finally {
            if (!done) {
                zipped.discard();
            }
        }
    }

    /**
     * The plain bytes of a rendering, inflated from its gzip into off-heap chunks; null if the gzip has been freed
     * meanwhile (its rendering replaced). Blocking.
     */
    SharedBytes plain(SharedBytes gzip) {
        Buffer view = gzip.borrow();
        if (view == null) {
            return null;
        }
        ChunkedBytes plain = new ChunkedBytes(PLAIN_CHUNK_BYTES);
        boolean done = false;
        try {
            if (view.length() > 0) {
                try (InputStream in = new GZIPInputStream(new ByteBufInputStream(((BufferInternal) view).getByteBuf()),
                        STREAM_BUFFER_BYTES)) {
                    in.transferTo(plain);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            SharedBytes bytes = plain.toSharedBytes();
            done = true;
            return bytes;
        } finally {
            gzip.release();
            if (!done) {
                plain.discard();
            }
        }
    }

    /** The whole snapshot in the library's model, as the chunked rendering writes it family by family. */
    static MetricSnapshots toMetricSnapshots(Snapshot snapshot) {
        return new MetricSnapshots(groups(snapshot).stream().map(Group::toMetricSnapshot).toList());
    }

    /** The families of one name from every collector key. */
    private record Group(String sortName, List<MetricFamily> same) {
        MetricSnapshot toMetricSnapshot() {
            return same.get(0).type() == MetricFamily.Type.INFO ? info(same) : gauge(same);
        }
    }

    private static List<Group> groups(Snapshot snapshot) {
        Map<String, List<MetricFamily>> byName = new TreeMap<>();
        for (List<MetricFamily> families : snapshot.families().values()) {
            for (MetricFamily family : families) {
                byName.computeIfAbsent(family.name(), k -> new ArrayList<>()).add(family);
            }
        }
        List<Group> out = new ArrayList<>(byName.size());
        for (List<MetricFamily> same : byName.values()) {
            if (same.stream().allMatch(f -> f.samples().isEmpty())) {
                continue;
            }
            MetricFamily first = same.get(0);
            String name = first.type() == MetricFamily.Type.INFO ? baseName(first.name()) : first.name();
            out.add(new Group(new MetricMetadata(name, first.help()).getPrometheusName(), same));
        }
        // The order the library's MetricSnapshots gives them: by name without the _info of info families.
        out.sort(Comparator.comparing(Group::sortName));
        return out;
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
        List<InfoSnapshot.InfoDataPointSnapshot> points = new ArrayList<>();
        for (MetricFamily family : same) {
            for (MetricFamily.Sample sample : family.samples()) {
                points.add(new InfoSnapshot.InfoDataPointSnapshot(sample.labels()));
            }
        }
        return new InfoSnapshot(new MetricMetadata(baseName(first.name()), first.help()), points);
    }

    /** The library appends "_info" itself, as OpenMetrics wants the family name without it. */
    private static String baseName(String name) {
        return name.endsWith(INFO_SUFFIX) ? name.substring(0, name.length() - INFO_SUFFIX.length()) : name;
    }
}
