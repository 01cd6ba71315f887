package io.opsgate.http;

import io.netty.buffer.Unpooled;
import io.opsgate.collect.Snapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the pre-rendered AWS snapshot, then the JVM and process metrics (sampled at most once
 * a second, see {@link RuntimeMetricsSampler}), then the service's own live metrics (see {@link LiveTail}).
 * A scrape copies no snapshot bytes and never touches AWS; rendering happens on a worker thread when a
 * collection cycle publishes a new snapshot, coalescing bursts of cycles into one render. Only the formats
 * scraped while the previous snapshot was served are rendered up front, and only gzipped; another format is
 * rendered when first asked for, and the plain bytes of a format on its first request without gzip, once the
 * previous snapshot's rendering has been replaced (see {@link RenderedMetrics}).
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    private final Vertx vertx;
    private final ExpositionWriter writer = new ExpositionWriter();
    private final SnapshotRenderer renderer = new SnapshotRenderer(writer);
    private final LiveTail tail;
    private final AtomicReference<RenderedMetrics> rendered = new AtomicReference<>(RenderedMetrics.EMPTY);
    private final AtomicReference<Snapshot> pending = new AtomicReference<>();
    private final AtomicBoolean renderScheduled = new AtomicBoolean();
    /**
     * Per format: asked for since the last render started. At start-up neither: the first snapshot is rendered
     * in the formats scraped before it (Prometheus scrapes a target before it is ready), another on first request.
     * Rendering both up front kept a rendering nobody scraped off-heap, 20 MB for the issue #9 benchmark fleet
     * (BENCHMARKS.md).
     */
    private final Map<RenderedMetrics.Format, AtomicBoolean> asked = new EnumMap<>(Map.of(
            RenderedMetrics.Format.TEXT, new AtomicBoolean(false),
            RenderedMetrics.Format.OPENMETRICS, new AtomicBoolean(false)));

    public MetricsEndpoint(Vertx vertx, PrometheusRegistry self) {
        this.vertx = vertx;
        this.tail = new LiveTail(self, writer, new RuntimeMetricsSampler(self, writer, System::nanoTime));
    }

    /** Thread-safe; called by the collection loop with each new snapshot. */
    public void onSnapshot(Snapshot snapshot) {
        pending.set(snapshot);
        if (renderScheduled.compareAndSet(false, true)) {
            vertx.executeBlocking(() -> {
                renderScheduled.set(false);
                Snapshot latest = pending.getAndSet(null);
                if (latest != null && latest.version() > rendered.get().version()) {
                    publish(renderer.render(latest, formatsAsked()));
                }
                return null;
            }, false).onFailure(e -> LOG.error("rendering a new snapshot for /metrics failed ({}); /metrics keeps"
                    + " serving snapshot {} until a later one renders (an OutOfMemoryError here wants a larger -Xmx)",
                    e.toString(), rendered.get().version()));
        }
    }

    private Set<RenderedMetrics.Format> formatsAsked() {
        Set<RenderedMetrics.Format> formats = EnumSet.noneOf(RenderedMetrics.Format.class);
        asked.forEach((format, flag) -> {
            if (flag.getAndSet(false)) {
                formats.add(format);
            }
        });
        return formats;
    }

    /** Serves the newer of the two renderings and frees the other's memory once its responses are written. */
    private synchronized void publish(RenderedMetrics fresh) {
        RenderedMetrics old = rendered.get();
        if (fresh.version() > old.version()) {
            rendered.set(fresh);
            old.retire();
        } else {
            fresh.retire();
        }
    }

    /** Version of the snapshot currently served; for tests that wait for a render. */
    public long renderedVersion() {
        return rendered.get().version();
    }

    /** The rendering currently served; for tests. */
    RenderedMetrics rendering() {
        return rendered.get();
    }

    @Override
    public void handle(RoutingContext ctx) {
        boolean openMetrics = writer.wantsOpenMetrics(ctx.request().getHeader(HttpHeaders.ACCEPT));
        boolean gzip = acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
        RenderedMetrics.Format format = openMetrics ? RenderedMetrics.Format.OPENMETRICS : RenderedMetrics.Format.TEXT;
        asked.get(format).set(true);
        respond(ctx, format, gzip);
    }

    private void respond(RoutingContext ctx, RenderedMetrics.Format format, boolean gzip) {
        boolean openMetrics = format == RenderedMetrics.Format.OPENMETRICS;
        while (true) {
            RenderedMetrics current = rendered.get();
            SharedBytes head = current.bytes(format, gzip);
            if (head == null) {
                // A format nobody asked for while the previous snapshot was served, or the first request
                // without gzip for this snapshot: render it now, once (or serve the newer rendering).
                vertx.executeBlocking(() -> current.renderMissing(format, gzip, renderer), false)
                        .onSuccess(ignored -> respond(ctx, format, gzip))
                        .onFailure(ctx::fail);
                return;
            }
            byte[] liveTail = gzip ? tail.renderGzip(openMetrics) : tail.render(openMetrics);
            HttpServerResponse response = ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, openMetrics ? ExpositionWriter.OPENMETRICS_CONTENT_TYPE : ExpositionWriter.TEXT_CONTENT_TYPE)
                    .putHeader(HttpHeaders.VARY, "Accept, Accept-Encoding")
                    .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(head.length() + liveTail.length));
            if (gzip) {
                response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
            }
            if (ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD) {
                response.end();
                return;
            }
            Buffer view = head.borrow();
            if (view == null) {
                continue; // replaced and freed since we read it: serve the newer rendering
            }
            Future<Void> headWritten;
            try {
                headWritten = response.write(view);
            } catch (RuntimeException e) {
                head.release();
                throw e;
            }
            // Completes once Netty has written the view to the socket, or given up on the connection.
            headWritten.onComplete(ignored -> head.release());
            // One write for the small live part: each write is a trip through the pipeline and the socket.
            response.end(wrap(liveTail));
            return;
        }
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
}
