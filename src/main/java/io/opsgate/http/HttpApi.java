package io.opsgate.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/** The service's HTTP routes: metrics, health, readiness and an index page. */
public final class HttpApi {
    private static final String INDEX = """
            <!doctype html>
            <html><head><title>OpsGate</title></head><body>
            <h1>OpsGate</h1>
            <p>AWS metrics for Prometheus, collected in the background and served from a snapshot.</p>
            <ul>
            <li><a href="/metrics">/metrics</a> &mdash; Prometheus metrics (text format or OpenMetrics by Accept; gzip)</li>
            <li><a href="/-/healthy">/-/healthy</a> &mdash; liveness: 200 while the process serves HTTP</li>
            <li><a href="/-/ready">/-/ready</a> &mdash; readiness: 200 once every account and region has finished its first collection</li>
            <li>POST /hooks/alertmanager &mdash; Alertmanager webhook receiver (when the alert gateway is configured);
            <a href="/api/v1/notifications">/api/v1/notifications</a>, <a href="/api/v1/alerts">/api/v1/alerts</a></li>
            <li><a href="/sd/ec2">/sd/ec2</a>, <a href="/sd/rds">/sd/rds</a>, <a href="/sd/elbv2-targets">/sd/elbv2-targets</a>,
            /sd/jobs/&lt;name&gt; &mdash; Prometheus http_sd target lists from the inventory (query parameters filter; see README)</li>
            </ul>
            </body></html>
            """;

    private HttpApi() {
    }

    public static Router router(Vertx vertx, MetricsEndpoint metrics, BooleanSupplier ready) {
        return router(vertx, metrics, ready, RequestAuth.NONE);
    }

    /** @param metricsAuth credentials {@code /metrics} requires ({@code server.metrics_auth}); health stays open */
    public static Router router(Vertx vertx, MetricsEndpoint metrics, BooleanSupplier ready, RequestAuth metricsAuth) {
        Router router = Router.router(vertx);
        AuthGate gate = new AuthGate(metricsAuth);
        router.get("/metrics").handler(gate).handler(metrics);
        router.head("/metrics").handler(gate).handler(metrics);
        router.get("/-/healthy").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("OK\n"));
        router.get("/-/ready").handler(ctx -> {
            boolean isReady = ready.getAsBoolean();
            ctx.response().setStatusCode(isReady ? 200 : 503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                    .end(isReady ? "OK\n" : "waiting for the first collection of every account and region\n");
        });
        router.get("/").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(INDEX));
        return router;
    }
}
