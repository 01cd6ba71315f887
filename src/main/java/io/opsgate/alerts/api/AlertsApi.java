package io.opsgate.alerts.api;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.store.AlertRecord;
import io.opsgate.alerts.store.AlertStore;
import io.opsgate.alerts.store.DeliveryState;
import io.opsgate.alerts.store.OutboxRecord;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Read-only views of the gateway: the outbox ({@code /api/v1/notifications}) and alert state ({@code /api/v1/alerts}). */
public final class AlertsApi {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AlertStore store;

    public AlertsApi(AlertStore store) {
        this.store = store;
    }

    public void mount(Router router) {
        router.get("/api/v1/notifications").handler(this::notifications);
        router.get("/api/v1/alerts").handler(this::alerts);
    }

    private void notifications(RoutingContext ctx) {
        Optional<DeliveryState> state = Optional.empty();
        String status = ctx.queryParams().get("status");
        if (status != null) {
            try {
                state = Optional.of(DeliveryState.fromWire(status));
            } catch (IllegalArgumentException e) {
                badRequest(ctx, e.getMessage(), "status");
                return;
            }
        }
        int limit = DEFAULT_LIMIT;
        String limitText = ctx.queryParams().get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                badRequest(ctx, "limit must be a whole number from 1 to " + MAX_LIMIT, "limit");
                return;
            }
        }
        store.notifications(state, limit).onComplete(ar -> {
            if (ar.failed()) {
                unavailable(ctx, ar.cause());
                return;
            }
            JsonArray items = new JsonArray();
            for (OutboxRecord r : ar.result()) {
                items.add(new JsonObject()
                        .put("id", r.id())
                        .put("status", r.state().wire())
                        .put("route", r.route())
                        .put("receiver", r.receiver())
                        .put("destination", r.destination())
                        .put("channel", r.channelType())
                        .put("alertStatus", r.alertStatus().wire())
                        .put("fingerprints", new JsonArray(r.fingerprints()))
                        .put("attempts", r.attempts())
                        .put("lastError", r.lastError())
                        .put("createdAt", r.createdAt().toString())
                        .put("nextAttemptAt", r.state() == DeliveryState.PENDING ? r.nextAttemptAt().toString() : null)
                        .put("finishedAt", text(r.finishedAt())));
            }
            json(ctx, new JsonObject().put("notifications", items));
        });
    }

    private void alerts(RoutingContext ctx) {
        store.alerts().onComplete(ar -> {
            if (ar.failed()) {
                unavailable(ctx, ar.cause());
                return;
            }
            Map<String, JsonArray> byRoute = new LinkedHashMap<>();
            for (AlertRecord r : ar.result()) {
                Alert a = r.alert();
                byRoute.computeIfAbsent(r.routeId(), k -> new JsonArray()).add(new JsonObject()
                        .put("fingerprint", a.fingerprint())
                        .put("status", a.status().wire())
                        .put("labels", new JsonObject(new TreeMap<String, Object>(a.labels())))
                        .put("annotations", new JsonObject(new TreeMap<String, Object>(a.annotations())))
                        .put("startsAt", a.startsAt().toString())
                        .put("endsAt", text(a.endsAt()))
                        .put("group", r.groupId())
                        .put("pendingNotification", r.pending())
                        .put("receivedAt", r.receivedAt().toString())
                        .put("notifiedAt", text(r.notifiedAt())));
            }
            JsonArray routes = new JsonArray();
            byRoute.forEach((route, alerts) -> routes.add(new JsonObject().put("route", route).put("alerts", alerts)));
            json(ctx, new JsonObject().put("routes", routes));
        });
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encodePrettily());
    }

    private static void badRequest(RoutingContext ctx, String message, String field) {
        ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", message).put("field", field).encode());
    }

    private static void unavailable(RoutingContext ctx, Throwable cause) {
        ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", "alert store unavailable: " + cause.getMessage()).encode());
    }

}
