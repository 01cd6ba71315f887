package io.opsgate.http;

/**
 * The AWS part of {@code /metrics}, rendered once per snapshot in both text formats, plain and gzipped.
 * The OpenMetrics bytes lack the final {@code # EOF}: the live self-metrics come after them.
 */
record RenderedMetrics(long version, SharedBytes text, SharedBytes textGzip, SharedBytes openMetrics,
                       SharedBytes openMetricsGzip) {
    static final RenderedMetrics EMPTY = new RenderedMetrics(-1, SharedBytes.EMPTY, SharedBytes.EMPTY,
            SharedBytes.EMPTY, SharedBytes.EMPTY);
}
