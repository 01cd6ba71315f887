package io.opsgate.http;

import io.opsgate.collect.Snapshot;
import java.util.EnumMap;
import java.util.Map;

/**
 * The AWS part of {@code /metrics} for one snapshot, in the text formats that have been asked for, each
 * gzipped and, once asked for without gzip, plain. A format nobody scrapes is not rendered: Prometheus asks for
 * OpenMetrics, curl and most tools for text 0.0.4, and each rendering of a large fleet holds 10 MB and more
 * off-heap. A format first asked for after the snapshot was published is rendered then, once, and so are the
 * plain bytes of a format ({@link #renderMissing}): Prometheus never asks for them, and rendered with the
 * snapshot they were held beside the previous snapshot's for the whole render (see {@link SnapshotRenderer}).
 * The OpenMetrics bytes lack the final {@code # EOF}: the live self-metrics come after them.
 *
 * <p>Reads never wait: the event loop reads the current bytes while a worker renders what is missing.
 */
final class RenderedMetrics {
    enum Format { TEXT, OPENMETRICS }

    /** One format of one snapshot; {@code plain} is null until a request without gzip has asked for it. */
    record Encodings(SharedBytes plain, SharedBytes gzip) {
        static Encodings gzipOnly(SharedBytes gzip) {
            return new Encodings(null, gzip);
        }

        /** The bytes of that encoding, or null if they are not rendered yet. */
        SharedBytes bytes(boolean gzipped) {
            return gzipped ? gzip : plain;
        }

        void retire() {
            if (plain != null) {
                plain.retire();
            }
            gzip.retire();
        }
    }

    static final RenderedMetrics EMPTY = new RenderedMetrics(null, Map.of(
            Format.TEXT, new Encodings(SharedBytes.EMPTY, SharedBytes.EMPTY),
            Format.OPENMETRICS, new Encodings(SharedBytes.EMPTY, SharedBytes.EMPTY)));

    private final Snapshot snapshot;
    /** Replaced, never changed in place, under this object's lock; read without it. */
    private volatile Map<Format, Encodings> formats;
    private volatile boolean retired;
    /** Held while rendering what is missing, so that two requests render it once; never taken by a read. */
    private final Object renderLock = new Object();

    RenderedMetrics(Snapshot snapshot, Map<Format, Encodings> rendered) {
        this.snapshot = snapshot;
        Map<Format, Encodings> copy = new EnumMap<>(Format.class);
        copy.putAll(rendered);
        this.formats = copy;
    }

    long version() {
        return snapshot == null ? -1 : snapshot.version();
    }

    /** The rendered format, or null if it has not been rendered (or this rendering was retired). */
    Encodings encodings(Format format) {
        Map<Format, Encodings> current = formats;
        return retired ? null : current.get(format);
    }

    /** The bytes to serve, or null if they still have to be rendered (or this rendering was retired). */
    SharedBytes bytes(Format format, boolean gzip) {
        Encodings encodings = encodings(format);
        return encodings == null ? null : encodings.bytes(gzip);
    }

    /**
     * Blocking: renders a format first asked for after publication, and its plain bytes if asked for without
     * gzip. False if this rendering is retired: the caller then serves the newer one.
     */
    boolean renderMissing(Format format, boolean gzip, SnapshotRenderer renderer) {
        synchronized (renderLock) {
            if (retired) {
                return false;
            }
            Encodings encodings = formats.get(format);
            if (encodings == null) {
                encodings = renderer.render(snapshot, format);
                if (!install(format, encodings)) {
                    encodings.retire();
                    return false;
                }
            }
            if (!gzip && encodings.plain() == null) {
                SharedBytes plain = renderer.plain(encodings.gzip());
                if (plain == null) {
                    return false; // retired while inflating: the gzip was freed before it could be read
                }
                if (!install(format, new Encodings(plain, encodings.gzip()))) {
                    plain.retire();
                    return false;
                }
            }
            return true;
        }
    }

    /** False if retired meanwhile: the caller frees what it rendered. */
    private synchronized boolean install(Format format, Encodings encodings) {
        if (retired) {
            return false;
        }
        Map<Format, Encodings> next = new EnumMap<>(Format.class);
        next.putAll(formats);
        next.put(format, encodings);
        formats = next;
        return true;
    }

    /** For tests: retired, and every byte it rendered freed. */
    boolean freed() {
        return retired && formats.values().stream()
                .allMatch(e -> e.gzip().freed() && (e.plain() == null || e.plain().freed()));
    }

    /** Frees the off-heap bytes once the responses being written have finished with them. */
    synchronized void retire() {
        if (!retired && snapshot != null) {
            retired = true;
            formats.values().forEach(Encodings::retire);
        }
    }
}
