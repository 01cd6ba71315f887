package io.opsgate.alerts.api;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.store.AlertKey;
import io.opsgate.alerts.store.AlertRecord;
import io.opsgate.alerts.store.AlertStore;
import io.opsgate.alerts.store.DeliveryState;
import io.opsgate.alerts.store.OutboxRecord;
import io.opsgate.http.AuthGate;
import io.opsgate.http.RequestAuth;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Read-only views of the gateway, behind the webhook's credentials ({@code alerts.auth}): the outbox
 * ({@code /api/v1/notifications}, newest first) and alert state ({@code /api/v1/alerts}, by route and fingerprint).
 * Both are paged: {@code limit} rows (default 100, at most 1,000) and at most about {@link #PAGE_BYTES} of JSON per
 * answer, with {@code next}, an opaque cursor to pass as {@code cursor} for the following page (null on the last).
 * Rows are encoded as the store reads them, so an answer never holds more than its page.
 */
public final class AlertsApi {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** A page stops after the row that takes it past this many bytes; labels and annotations can be large. */
    static final int PAGE_BYTES = 1 << 20;

    private final AlertStore store;
    private final AuthGate auth;

    public AlertsApi(AlertStore store, RequestAuth auth) {
        this.store = store;
        this.auth = new AuthGate(auth);
    }

    public void mount(Router router) {
        router.get("/api/v1/notifications").handler(auth).handler(this::notifications);
        router.get("/api/v1/alerts").handler(auth).handler(this::alerts);
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
        Integer limit = limit(ctx);
        Optional<Long> before;
        try {
            before = cursor(ctx).map(PageCursor::notificationId);
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage(), "cursor");
            return;
        }
        if (limit == null) {
            return;
        }
        Page page = new Page("notifications");
        Future<Optional<Long>> read = store.scanNotifications(state, before, limit, r -> page.add(notification(r)));
        answer(ctx, page, read.map(next -> next.map(PageCursor::of)));
    }

    private void alerts(RoutingContext ctx) {
        Integer limit = limit(ctx);
        Optional<AlertKey> after;
        try {
            after = cursor(ctx).map(PageCursor::alertKey);
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage(), "cursor");
            return;
        }
        if (limit == null) {
            return;
        }
        Page page = new Page("alerts");
        Future<Optional<AlertKey>> read = store.scanAlerts(after, limit, r -> page.add(alert(r)));
        answer(ctx, page, read.map(next -> next.map((Function<AlertKey, String>) PageCursor::of)));
    }

    private static JsonObject notification(OutboxRecord r) {
        return new JsonObject()
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
                .put("finishedAt", text(r.finishedAt()))
                .put("notificationReason", r.notificationReason());
    }

    private static JsonObject alert(AlertRecord r) {
        Alert a = r.alert();
        return new JsonObject()
                .put("route", r.routeId())
                .put("fingerprint", a.fingerprint())
                .put("status", a.status().wire())
                .put("labels", new JsonObject(new TreeMap<String, Object>(a.labels())))
                .put("annotations", new JsonObject(new TreeMap<String, Object>(a.annotations())))
                .put("startsAt", a.startsAt().toString())
                .put("endsAt", text(a.endsAt()))
                .put("group", r.groupId())
                .put("pendingNotification", r.pending())
                .put("receivedAt", r.receivedAt().toString())
                .put("notifiedAt", text(r.notifiedAt()));
    }

    /**
     * The JSON of one page, written as rows arrive: {@code {"<name>":[row,row,...],"next":...}}. Filled on the
     * store's thread, read on the event loop after the store's future completes (which orders the two).
     */
    private static final class Page {
        private final Buffer json = Buffer.buffer(4096);
        private boolean first = true;

        Page(String name) {
            json.appendString("{\"").appendString(name).appendString("\":[");
        }

        /** @return whether the page has room for more */
        boolean add(JsonObject row) {
            if (!first) {
                json.appendByte((byte) ',');
            }
            first = false;
            json.appendBuffer(row.toBuffer());
            return json.length() < PAGE_BYTES;
        }

        Buffer finish(Optional<String> next) {
            json.appendString("],\"next\":");
            json.appendString(next.map(n -> "\"" + n + "\"").orElse("null"));
            return json.appendString("}");
        }
    }

    private static void answer(RoutingContext ctx, Page page, Future<Optional<String>> next) {
        next.onComplete(ar -> {
            if (ar.failed()) {
                unavailable(ctx, ar.cause());
                return;
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(page.finish(ar.result()));
        });
    }

    /** The {@code limit} parameter, or null after answering 400. */
    private static Integer limit(RoutingContext ctx) {
        String limitText = ctx.queryParams().get("limit");
        if (limitText == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            badRequest(ctx, "limit must be a whole number from 1 to " + MAX_LIMIT, "limit");
            return null;
        }
        return limit;
    }

    private static Optional<String> cursor(RoutingContext ctx) {
        String cursor = ctx.queryParams().get("cursor");
        return cursor == null || cursor.isEmpty() ? Optional.empty() : Optional.of(cursor);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void badRequest(RoutingContext ctx, String message, String field) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", message).put("field", field).encode());
    }

    private static void unavailable(RoutingContext ctx, Throwable cause) {
        ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.RETRY_AFTER, "5")
                .end(new JsonObject().put("error", "alert store unavailable: " + cause.getMessage()).encode());
    }
}
