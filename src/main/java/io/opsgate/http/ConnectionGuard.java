package io.opsgate.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connection-level limits Vert.x has no option for, installed on the server's connection handler and as the
 * router's first route:
 * <ul>
 * <li>the request head (line and headers) must arrive within {@code headerTimeout} of the connection opening: a
 * client sending nothing, or a byte a second, is closed then (Vert.x's idle timeout alone never fires for the
 * second);</li>
 * <li>a body must arrive within {@code bodyTimeout} of its head (408, then closed);</li>
 * <li>a keep-alive connection with no request under way is closed after {@code idleTimeout};</li>
 * <li>at most {@code maxConnections} are open: a new one beyond it closes the oldest connection that has no request
 * under way (a socket that never sent a complete head is the usual one), or, when every connection is busy, is
 * closed itself. So a flood of idle sockets cannot keep {@code /-/healthy}, {@code /metrics} or the webhook from
 * being answered, and never runs the process out of file descriptors.</li>
 * </ul>
 * All state is confined to the server's event loop (one HttpServer instance, one context).
 */
public final class ConnectionGuard {
    private final Vertx vertx;
    private final long headerTimeoutMs;
    private final long bodyTimeoutMs;
    private final long idleTimeoutMs;
    private final int maxConnections;
    private final HttpServerMetrics metrics;
    /** Open connections, oldest first. */
    private final Map<HttpConnection, Tracked> open = new LinkedHashMap<>();

    private static final class Tracked {
        final HttpConnection connection;
        int inFlight;
        long timer = -1;
        boolean closing;

        Tracked(HttpConnection connection) {
            this.connection = connection;
        }
    }

    public ConnectionGuard(Vertx vertx, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout,
                           int maxConnections, HttpServerMetrics metrics) {
        this.vertx = vertx;
        this.headerTimeoutMs = headerTimeout.toMillis();
        this.bodyTimeoutMs = bodyTimeout.toMillis();
        this.idleTimeoutMs = idleTimeout.toMillis();
        this.maxConnections = maxConnections;
        this.metrics = metrics;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** For {@code HttpServer.connectionHandler}. */
    public void opened(HttpConnection connection) {
        if (open.size() >= maxConnections && !evictOldestIdle()) {
            metrics.closed("over_limit");
            connection.close();
            return;
        }
        Tracked t = new Tracked(connection);
        open.put(connection, t);
        metrics.connections(open.size());
        connection.closeHandler(v -> {
            Tracked gone = open.remove(connection);
            if (gone != null) {
                cancel(gone);
            }
            metrics.connections(open.size());
        });
        arm(t, headerTimeoutMs, "header_timeout");
    }

    /** Mounts the per-request part as the router's first route. */
    public void mount(Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::request);
    }

    private void request(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Tracked t = open.get(request.connection());
        if (t != null) {
            t.inFlight++;
            cancel(t);
            ctx.addEndHandler(v -> {
                t.inFlight--;
                if (t.inFlight == 0 && !t.closing) {
                    arm(t, idleTimeoutMs, "idle_timeout");
                }
            });
        }
        if (!request.isEnded()) {
            long bodyTimer = vertx.setTimer(bodyTimeoutMs, id -> {
                if (!request.isEnded() && !ctx.response().ended() && !ctx.response().closed()) {
                    metrics.closed("body_timeout");
                    if (!ctx.response().headWritten()) {
                        ctx.response().setStatusCode(408).putHeader(HttpHeaders.CONNECTION, "close")
                                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                .end(new JsonObject().put("error", "request body not received within "
                                        + "server.request_body_timeout (" + bodyTimeoutMs + " ms)").encode())
                                .onComplete(ar -> request.connection().close());
                    } else {
                        request.connection().close();
                    }
                }
            });
            ctx.addEndHandler(v -> vertx.cancelTimer(bodyTimer));
        }
        ctx.next();
    }

    /** Closes the oldest connection without a request under way; false when every one is busy. */
    private boolean evictOldestIdle() {
        Iterator<Tracked> it = open.values().iterator();
        while (it.hasNext()) {
            Tracked t = it.next();
            if (t.inFlight == 0 && !t.closing) {
                it.remove();
                close(t, "evicted");
                return true;
            }
        }
        return false;
    }

    private void arm(Tracked t, long delayMs, String reason) {
        cancel(t);
        t.timer = vertx.setTimer(delayMs, id -> {
            t.timer = -1;
            if (t.inFlight == 0 && !t.closing) {
                close(t, reason);
            }
        });
    }

    private void close(Tracked t, String reason) {
        t.closing = true;
        cancel(t);
        metrics.closed(reason);
        t.connection.close();
    }

    private void cancel(Tracked t) {
        if (t.timer >= 0) {
            vertx.cancelTimer(t.timer);
            t.timer = -1;
        }
    }

    /** Open connections now (tests, metrics). */
    public int openConnections() {
        return open.size();
    }
}
