package io.opsgate.http;

import io.netty.buffer.Unpooled;
import io.opsgate.config.ConfigException;
import io.opsgate.config.DiscoveryKind;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.DiscoveryKind;
import io.opsgate.discovery.DiscoveryMetrics;
import io.opsgate.discovery.SdJobs;
import io.opsgate.discovery.SdJson;
import io.opsgate.discovery.SdQuery;
import io.opsgate.discovery.TargetLists;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Prometheus http_sd endpoints: {@code GET /sd/<kind>} (ec2, rds, elbv2-targets) with query parameters, and
 * {@code GET /sd/jobs/<name>} for jobs from the config file (URL parameters narrow them further). Answers come from
 * the inventory snapshot, never from AWS. A valid request always gets 200 and a JSON array ({@code []} when nothing
 * matches). Everything else gets a JSON reason: 400 for a malformed query, 401 for missing or wrong credentials,
 * 404 for an unknown kind or job, 503 until the first inventory exists. Prometheus keeps its previous target list on
 * any non-200, which is what each of those cases wants.
 */
public final class SdEndpoint {
    private static final String JSON = "application/json";

    private final Vertx vertx;
    private final TargetLists lists;
    private final OpsGateConfig.Discovery config;
    private final Map<String, SdQuery> jobs;
    private final RequestAuth auth;
    private final BooleanSupplier ready;
    private final DiscoveryMetrics metrics;

    public SdEndpoint(Vertx vertx, TargetLists lists, OpsGateConfig.Discovery config, BooleanSupplier ready,
                      DiscoveryMetrics metrics) {
        this.vertx = vertx;
        this.lists = lists;
        this.config = config;
        try {
            this.jobs = SdJobs.compile(config.jobs());
        } catch (ConfigException e) {
            // ConfigCheck reports this before the service starts; only a caller that skipped it gets here.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.auth = RequestAuth.of(config.auth());
        this.ready = ready;
        this.metrics = metrics;
    }

    public void mount(Router router) {
        router.get("/sd/jobs/:name").handler(this::job);
        router.get("/sd/:kind").handler(this::kind);
    }

    private void kind(RoutingContext ctx) {
        String key = ctx.pathParam("kind");
        DiscoveryKind kind = DiscoveryKind.fromKey(key).orElse(null);
        if (kind == null) {
            error(ctx, "unknown", 404, "unknown discovery kind \"" + key + "\"; serving: " + served());
            return;
        }
        if (!config.kinds().contains(kind)) {
            error(ctx, key, 404, "discovery kind " + key + " is not enabled; add it to discovery.kinds");
            return;
        }
        serve(ctx, key, null, kind);
    }

    private void job(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        SdQuery job = jobs.get(name);
        if (job == null) {
            error(ctx, "unknown", 404, "no discovery job \"" + name + "\"; configured: "
                    + (jobs.isEmpty() ? "none (see discovery.jobs)" : String.join(", ", jobs.keySet())));
            return;
        }
        serve(ctx, "jobs/" + name, job, job.kind());
    }

    private void serve(RoutingContext ctx, String path, SdQuery job, DiscoveryKind kind) {
        String metricKind = kind.key();
        if (!auth.accepts(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            HttpServerResponse response = ctx.response();
            for (String challenge : auth.challenges()) {
                response.headers().add("WWW-Authenticate", challenge);
            }
            error(ctx, metricKind, 401, "missing or wrong credentials");
            return;
        }
        if (!ready.getAsBoolean()) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "10");
            error(ctx, metricKind, 503, "no inventory yet: waiting for the first collection of every account and region");
            return;
        }
        Map<String, List<String>> params = params(ctx.queryParams());
        SdQuery query;
        try {
            SdQuery asked = SdQuery.parse(kind, params);
            query = job == null ? asked : job.and(asked);
        } catch (SdQuery.Invalid e) {
            error(ctx, metricKind, 400, e.getMessage());
            return;
        }
        boolean gzip = MetricsEndpoint.acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
        String key = path + "?" + params;
        TargetLists.Rendered remembered = lists.remembered(key);
        if (remembered != null && (!gzip || remembered.gzipReady())) {
            send(ctx, metricKind, remembered, gzip);
            return;
        }
        SdQuery chosen = query;
        vertx.executeBlocking(() -> {
            TargetLists.Rendered r = remembered != null ? remembered : lists.render(key, chosen);
            if (gzip) {
                r.gzip();
            }
            return r;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                send(ctx, metricKind, ar.result(), gzip);
            } else {
                error(ctx, metricKind, 500, "rendering failed: " + ar.cause());
            }
        });
    }

    private void send(RoutingContext ctx, String metricKind, TargetLists.Rendered rendered, boolean gzip) {
        int length = gzip ? rendered.gzip().length : rendered.json().length;
        HttpServerResponse response = ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(HttpHeaders.VARY, "Accept-Encoding")
                .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
        if (gzip) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        metrics.request(metricKind, 200);
        // Wrapped, not copied: concurrent requests share the kept bytes read-only.
        response.end(BufferInternal.buffer(gzip ? Unpooled.wrappedBuffer(rendered.gzip())
                : Unpooled.wrappedBuffer(rendered.directJson())));
    }

    private void error(RoutingContext ctx, String metricKind, int status, String reason) {
        metrics.request(metricKind, status);
        StringBuilder body = new StringBuilder("{\"status\":\"error\",\"error\":");
        SdJson.string(body, reason).append("}\n");
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.toString());
    }

    private String served() {
        List<String> keys = new ArrayList<>();
        config.kinds().forEach(k -> keys.add("/sd/" + k.key()));
        jobs.keySet().forEach(j -> keys.add("/sd/jobs/" + j));
        return keys.isEmpty() ? "nothing (discovery.kinds is empty)" : String.join(", ", keys);
    }

    /** Query parameters in a canonical order, so equal questions share one remembered answer. */
    private static Map<String, List<String>> params(MultiMap query) {
        Map<String, List<String>> params = new TreeMap<>();
        for (String name : query.names()) {
            params.put(name, List.copyOf(query.getAll(name)));
        }
        return new LinkedHashMap<>(params);
    }
}
