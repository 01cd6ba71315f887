package io.opsgate.alerts.webhook;

import io.opsgate.alerts.metrics.AlertMetrics;
import io.opsgate.alerts.store.StoreUnavailableException;
import io.opsgate.http.BodyBudget;
import io.opsgate.http.BudgetedBody;
import io.opsgate.http.RequestAuth;
import io.opsgate.logging.LogText;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/alertmanager}. Alertmanager retries on 5xx and transport errors and never on 4xx, so: 200 only
 * after the commit, 503 when the store cannot take the alerts, 4xx (with a JSON reason) only for requests that can
 * never succeed.
 */
public final class AlertmanagerWebhook {
    public static final String PATH = "/hooks/alertmanager";
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerWebhook.class);

    private final WebhookIngest gateway;
    private final RequestAuth auth;
    private final long maxBodyBytes;
    private final AlertMetrics metrics;
    private final WebhookParser parser = new WebhookParser();
    private final BudgetedBody body;

    /** A webhook whose bodies count against no budget but their own limit (tests of the endpoint alone). */
    public AlertmanagerWebhook(WebhookIngest gateway, RequestAuth auth, long maxBodyBytes, AlertMetrics metrics) {
        this(gateway, auth, maxBodyBytes, metrics, new BodyBudget(Long.MAX_VALUE), () -> { });
    }

    /**
     * @param budget    the server's budget of request body bytes in flight
     * @param onRefused told of each 503 for want of room in it
     */
    public AlertmanagerWebhook(WebhookIngest gateway, RequestAuth auth, long maxBodyBytes, AlertMetrics metrics,
                               BodyBudget budget, Runnable onRefused) {
        this.gateway = gateway;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
        this.body = new BudgetedBody(budget, maxBodyBytes, onRefused);
    }

    public void mount(Router router) {
        // Separate routes: Vert.x Web wants a route's body handler before its other handlers, but credentials are
        // checked before the body is read, and every answer (413 from the body handler too) is counted.
        router.route(PATH).handler(this::count).failureHandler(this::failure);
        router.post(PATH).handler(this::authenticate);
        router.post(PATH).handler(this::requireJson);
        router.post(PATH).handler(body).handler(this::receive);
        router.route(PATH).handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
            error(ctx, 405, "use POST with an Alertmanager webhook body", null);
        });
    }

    private void count(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> metrics.webhookAnswered(ctx.response().getStatusCode()));
        ctx.next();
    }

    private void authenticate(RoutingContext ctx) {
        if (auth.accepts(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.next();
            return;
        }
        auth.challenges().forEach(c -> ctx.response().headers().add("WWW-Authenticate", c));
        // The body is not read: closing after the answer stops a client that keeps sending.
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        error(ctx, 401, "missing or wrong credentials (Authorization: Bearer or Basic)", null);
    }

    /**
     * Alertmanager sends {@code Content-Type: application/json}; anything else (a form post, text/plain, none) is
     * not a webhook and is refused before its body is read.
     */
    private void requireJson(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (isJson(type)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.response().putHeader(HttpHeaders.ACCEPT, "application/json");
        error(ctx, 415, type == null ? "missing Content-Type; expected application/json"
                : "Content-Type must be application/json", null);
    }

    /** {@code application/json}, in any case, with parameters such as {@code charset=utf-8}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return mediaType.equalsIgnoreCase("application/json");
    }

    private void receive(RoutingContext ctx) {
        WebhookMessage message;
        try {
            message = parser.parse(BudgetedBody.body(ctx).getBytes());
        } catch (PayloadException e) {
            error(ctx, 400, e.getMessage(), e.field());
            return;
        }
        gateway.accept(message).onComplete(ar -> {
            if (ar.succeeded()) {
                JsonObject ok = new JsonObject().put("status", "accepted")
                        .put("alerts", message.alerts().size())
                        .put("deduplicated", ar.result().deduplicated());
                ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(ok.encode());
            } else if (ar.cause() instanceof StoreUnavailableException e) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
                error(ctx, 503, e.getMessage() + "; nothing was stored, Alertmanager will retry", null);
            } else {
                LOG.error("accepting an Alertmanager webhook failed: {}", LogText.escape(ar.cause()));
                error(ctx, 500, "internal error: " + ar.cause(), null);
            }
        });
    }

    private void failure(RoutingContext ctx) {
        int code = ctx.statusCode();
        if (code == 413) {
            error(ctx, 413, "body larger than alerts.max_body_size (" + maxBodyBytes + " bytes)", null);
        } else if (code == 400) {
            error(ctx, 400, "malformed request" + (ctx.failure() == null ? "" : ": " + ctx.failure().getMessage()), null);
        } else {
            LOG.error("webhook request failed: {}", LogText.escape(ctx.failure()));
            error(ctx, code > 0 ? code : 500, "internal error", null);
        }
    }

    private static void error(RoutingContext ctx, int code, String message, String field) {
        if (ctx.response().ended()) {
            return;
        }
        JsonObject body = new JsonObject().put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        ctx.response().setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
}
