package io.opsgate.http;

import io.netty.buffer.Unpooled;
import io.opsgate.collect.Snapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /metrics}: the pre-rendered AWS snapshot, then the JVM and process metrics (sampled at most once
 * a second, see {@link RuntimeMetricsSampler}), then the service's own live metrics. A scrape copies no
 * snapshot bytes and never touches AWS; rendering happens on a worker thread when a collection cycle
 * publishes a new snapshot, coalescing bursts of cycles into one render.
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {
    private final Vertx vertx;
    private final PrometheusRegistry self;
    private final ExpositionWriter writer = new ExpositionWriter();
    private final SnapshotRenderer renderer = new SnapshotRenderer(writer);
    private final RuntimeMetricsSampler runtime;
    private final AtomicReference<RenderedMetrics> rendered = new AtomicReference<>(RenderedMetrics.EMPTY);
    private final AtomicReference<Snapshot> pending = new AtomicReference<>();
    private final AtomicBoolean renderScheduled = new AtomicBoolean();

    public MetricsEndpoint(Vertx vertx, PrometheusRegistry self) {
        this.vertx = vertx;
        this.self = self;
        this.runtime = new RuntimeMetricsSampler(self, writer, System::nanoTime);
    }

    /** Thread-safe; called by the collection loop with each new snapshot. */
    public void onSnapshot(Snapshot snapshot) {
        pending.set(snapshot);
        if (renderScheduled.compareAndSet(false, true)) {
            vertx.executeBlocking(() -> {
                renderScheduled.set(false);
                Snapshot latest = pending.getAndSet(null);
                if (latest != null && latest.version() > rendered.get().version()) {
                    RenderedMetrics fresh = renderer.render(latest);
                    rendered.accumulateAndGet(fresh, (old, neu) -> neu.version() > old.version() ? neu : old);
                }
                return null;
            }, false);
        }
    }

    /** Version of the snapshot currently served; for tests that wait for a render. */
    public long renderedVersion() {
        return rendered.get().version();
    }

    @Override
    public void handle(RoutingContext ctx) {
        RenderedMetrics current = rendered.get();
        boolean openMetrics = writer.wantsOpenMetrics(ctx.request().getHeader(HttpHeaders.ACCEPT));
        boolean gzip = acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));

        byte[] runtimeMetrics = runtime.rendered(openMetrics, gzip);
        MetricSnapshots live = self.scrape(name -> !RuntimeMetricsSampler.isRuntimeMetric(name));
        byte[] tail = openMetrics ? concat(writer.openMetricsWithoutEof(live), ExpositionWriter.EOF) : writer.text(live);
        SharedBytes head = openMetrics ? (gzip ? current.openMetricsGzip() : current.openMetrics())
                : (gzip ? current.textGzip() : current.text());
        if (gzip) {
            tail = ExpositionWriter.gzip(tail);
        }

        HttpServerResponse response = ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, openMetrics ? ExpositionWriter.OPENMETRICS_CONTENT_TYPE : ExpositionWriter.TEXT_CONTENT_TYPE)
                .putHeader(HttpHeaders.VARY, "Accept, Accept-Encoding")
                .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(head.length() + runtimeMetrics.length + tail.length));
        if (gzip) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        if (ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD) {
            response.end();
            return;
        }
        response.write(head.view());
        // One write for the small live part: each write is a trip through the pipeline and the socket.
        response.end(wrap(concat(runtimeMetrics, tail)));
    }

    /** Wraps this response's own bytes without copying. */
    private static Buffer wrap(byte[] bytes) {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] codingAndParams = part.trim().split(";");
            if (!codingAndParams[0].trim().equalsIgnoreCase("gzip")) {
                continue;
            }
            for (int i = 1; i < codingAndParams.length; i++) {
                String param = codingAndParams[i].trim().replace(" ", "");
                if (param.equals("q=0") || param.matches("q=0\\.0*")) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
