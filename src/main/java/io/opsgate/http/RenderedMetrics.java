package io.opsgate.http;

import io.opsgate.collect.Snapshot;
import java.util.EnumMap;
import java.util.Map;

/**
 * The AWS part of {@code /metrics} for one snapshot, in the text formats that have been asked for, each
 * plain and gzipped. A format nobody scrapes is not rendered: Prometheus asks for OpenMetrics, curl and
 * most tools for text 0.0.4, and each rendering of a large fleet holds 10 MB and more off-heap. A format
 * first asked for after the snapshot was published is rendered then, once ({@link #renderMissing}).
 * The OpenMetrics bytes lack the final {@code # EOF}: the live self-metrics come after them.
 */
final class RenderedMetrics {
    enum Format { TEXT, OPENMETRICS }

    record Encodings(SharedBytes plain, SharedBytes gzip) {
        void retire() {
            plain.retire();
            gzip.retire();
        }
    }

    static final RenderedMetrics EMPTY = new RenderedMetrics(null, Map.of(
            Format.TEXT, new Encodings(SharedBytes.EMPTY, SharedBytes.EMPTY),
            Format.OPENMETRICS, new Encodings(SharedBytes.EMPTY, SharedBytes.EMPTY)));

    private final Snapshot snapshot;
    private final Map<Format, Encodings> formats;
    private boolean retired;

    RenderedMetrics(Snapshot snapshot, Map<Format, Encodings> rendered) {
        this.snapshot = snapshot;
        this.formats = new EnumMap<>(Format.class);
        this.formats.putAll(rendered);
    }

    long version() {
        return snapshot == null ? -1 : snapshot.version();
    }

    /** The rendered format, or null if it has not been rendered (or this rendering was retired). */
    synchronized Encodings encodings(Format format) {
        return retired ? null : formats.get(format);
    }

    /** Blocking: renders a format first asked for after publication. False if this rendering is retired. */
    synchronized boolean renderMissing(Format format, SnapshotRenderer renderer) {
        if (retired) {
            return false;
        }
        formats.computeIfAbsent(format, f -> renderer.render(snapshot, f));
        return true;
    }

    /** Frees the off-heap bytes once the responses being written have finished with them. */
    synchronized void retire() {
        if (!retired && snapshot != null) {
            retired = true;
            formats.values().forEach(Encodings::retire);
        }
    }
}
