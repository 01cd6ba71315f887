package io.opsgate.alerts;

import io.opsgate.alerts.notify.Channel;
import io.opsgate.alerts.routing.AlertRouter;
import io.opsgate.config.OpsGateConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The gateway in-process on a real HTTP port, with test routes and channels; restartable on the same store file. */
public final class GatewayHarness implements AutoCloseable {
    public final Vertx vertx;
    public final PrometheusRegistry registry = new PrometheusRegistry();
    private final AlertsService service;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String bearer;

    public GatewayHarness(OpsGateConfig.Alerts config, AlertRouter router, Map<String, List<Channel>> receivers)
            throws Exception {
        this.vertx = Vertx.vertx();
        this.bearer = config.bearerToken();
        Router web = Router.router(vertx);
        this.service = AlertsService.create(vertx, config, router, receivers, registry, Clock.systemUTC());
        service.mount(web);
        this.server = vertx.createHttpServer().requestHandler(web).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        service.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static OpsGateConfig.Alerts config(Path store, String bearer) {
        return config(store, bearer, Duration.ofMinutes(10));
    }

    public static OpsGateConfig.Alerts config(Path store, String bearer, Duration maxAge) {
        return new OpsGateConfig.Alerts(true, bearer, null, null, 1 << 20, store, Duration.ofMillis(100),
                Duration.ofSeconds(1), maxAge, 16);
    }

    public HttpResponse<String> post(String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                        + "/hooks/alertmanager"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(JsonObject body) throws Exception {
        return post(body.encode(), "Bearer token");
    }

    /** GET with the webhook's bearer token (the API is behind alerts.auth), as JSON. */
    public JsonObject get(String path) throws Exception {
        return new JsonObject(get(path, bearer == null ? null : "Bearer " + bearer).body());
    }

    public HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Closes the store under the running gateway, as a full disk or a lost database would. */
    public void closeStore() {
        service.store().close();
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        service.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
