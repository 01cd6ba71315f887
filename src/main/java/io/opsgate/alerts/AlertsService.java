package io.opsgate.alerts;

import io.opsgate.alerts.metrics.AlertMetrics;
import io.opsgate.alerts.api.AlertsApi;
import io.opsgate.alerts.dispatch.Backoff;
import io.opsgate.alerts.dispatch.DeliveryPolicy;
import io.opsgate.alerts.notify.Channel;
import io.opsgate.alerts.routing.AlertRouter;
import io.opsgate.alerts.store.AlertStore;
import io.opsgate.alerts.store.JdbcAlertStore;
import io.opsgate.alerts.store.StoreCheck;
import io.opsgate.alerts.webhook.AlertmanagerWebhook;
import io.opsgate.http.BodyBudget;
import io.opsgate.http.RequestAuth;
import io.opsgate.config.OpsGateConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Alertmanager webhook gateway as the service runs it: store, gateway, dispatcher, webhook and API routes. */
public final class AlertsService {
    private static final Logger LOG = LoggerFactory.getLogger(AlertsService.class);

    private final Vertx vertx;
    private final AlertStore store;
    private final AlertGateway gateway;
    private final AlertmanagerWebhook webhook;
    private final AlertsApi api;

    private AlertsService(Vertx vertx, AlertStore store, AlertGateway gateway, AlertmanagerWebhook webhook,
                          AlertsApi api) {
        this.vertx = vertx;
        this.store = store;
        this.gateway = gateway;
        this.webhook = webhook;
        this.api = api;
    }

    /**
     * Opens the store (creating it if needed).
     *
     * @param receivers the channels of each configured receiver, by receiver name
     * @throws IllegalStateException when the store file cannot be opened
     */
    public static AlertsService create(Vertx vertx, OpsGateConfig.Alerts config, AlertRouter router,
                                       Map<String, List<Channel>> receivers, PrometheusRegistry registry, Clock clock) {
        return create(vertx, config, router, receivers, registry, clock, new BodyBudget(Long.MAX_VALUE), () -> { });
    }

    /**
     * @param bodies        the HTTP server's budget of request body bytes in flight, which webhook bodies count against
     * @param onBodyRefused told of each webhook answered 503 for want of room in it
     */
    public static AlertsService create(Vertx vertx, OpsGateConfig.Alerts config, AlertRouter router,
                                       Map<String, List<Channel>> receivers, PrometheusRegistry registry, Clock clock,
                                       BodyBudget bodies, Runnable onBodyRefused) {
        AlertStore store = openStore(vertx, config.store());
        AlertMetrics metrics = new AlertMetrics(registry);
        DeliveryPolicy policy = new DeliveryPolicy(new Backoff(config.initialBackoff(), config.maxBackoff()),
                config.maxAge(), config.concurrency());
        AlertGateway gateway = new AlertGateway(vertx, router, receivers, store, policy, metrics, clock,
                new SecureRandom());
        RequestAuth auth = RequestAuth.of(config.auth());
        if (!auth.enabled()) {
            LOG.warn("alerts.auth is not set: {} accepts webhooks, and /api/v1/alerts and /api/v1/notifications "
                    + "answer, without credentials", AlertmanagerWebhook.PATH);
        }
        return new AlertsService(vertx, store, gateway, new AlertmanagerWebhook(gateway, auth, config.maxBodyBytes(), metrics,
                bodies, onBodyRefused),
                new AlertsApi(store, auth));
    }

    private static AlertStore openStore(Vertx vertx, OpsGateConfig.Store config) {
        if (config.type() == OpsGateConfig.StoreType.POSTGRES) {
            throw new IllegalStateException("alert store error (alerts.store.type): postgres is not available in this"
                    + " build yet");
        }
        try {
            return JdbcAlertStore.sqlite(vertx, config.path());
        } catch (SQLException e) {
            // Say which step failed (directory, write, lock, not a database) when the check can tell.
            String reason = StoreCheck.problem(config.path())
                    .orElse("cannot open " + config.path().toAbsolutePath() + ": " + e.getMessage());
            throw new IllegalStateException("alert store error (alerts.store.path): " + reason, e);
        }
    }

    public void mount(Router router) {
        webhook.mount(router);
        api.mount(router);
    }

    /** Starts delivering what a previous run left pending. */
    public Future<Void> start() {
        return gateway.start();
    }

    AlertStore store() {
        return store;
    }

    /** Lets deliveries under way be recorded, then closes the store (off the event loop: it joins the writer). */
    public Future<Void> stop() {
        return gateway.stop().transform(ar -> vertx.executeBlocking(() -> {
            store.close();
            return null;
        }));
    }
}
