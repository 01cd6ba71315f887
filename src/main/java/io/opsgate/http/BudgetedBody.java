package io.opsgate.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body into memory within a per-request limit (413 beyond it) and the server's {@link BodyBudget}
 * (503 with {@code Retry-After} when the budget has no room, or when a smaller body takes this one's room). What
 * Vert.x Web's BodyHandler does, plus the budget: a body declared with Content-Length reserves its whole length
 * before a byte is read, a chunked one reserves as it arrives. The body is available from {@link #body} to the
 * handlers after this one; its bytes count against the budget until the response ends.
 */
public final class BudgetedBody implements Handler<RoutingContext> {
    private static final String KEY = BudgetedBody.class.getName();
    private static final String RETRY_AFTER_SECONDS = "5";

    private final BodyBudget budget;
    private final long maxBodyBytes;
    private final Runnable onShedOrRefused;

    /**
     * @param onShedOrRefused told of every 503 for want of room (a metric)
     */
    public BudgetedBody(BodyBudget budget, long maxBodyBytes, Runnable onShedOrRefused) {
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
        this.onShedOrRefused = onShedOrRefused;
    }

    /** The body read by this handler, or an empty buffer. */
    public static Buffer body(RoutingContext ctx) {
        Buffer b = ctx.get(KEY);
        return b == null ? Buffer.buffer() : b;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long declared = contentLength(request);
        if (declared > maxBodyBytes) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ctx.fail(413);
            return;
        }
        Receiving body = new Receiving(ctx, Vertx.currentContext(), declared);
        ctx.addEndHandler(v -> budget.release(body));
        request.exceptionHandler(e -> budget.release(body));
        if (declared > 0 && !budget.reserve(body, declared)) {
            body.refuse();
            return;
        }
        if (request.isEnded()) {
            body.finish();
            return;
        }
        request.handler(body::chunk);
        request.endHandler(v -> body.finish());
        request.resume();
    }

    private static long contentLength(HttpServerRequest request) {
        String text = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x's codec has already refused a malformed Content-Length
        }
    }

    private final class Receiving implements BodyBudget.Holder {
        private final RoutingContext ctx;
        private final Context context;
        private final long declaredLength;
        private final boolean declared;
        private Buffer buffer;
        private volatile boolean stopped;

        Receiving(RoutingContext ctx, Context context, long declaredLength) {
            this.ctx = ctx;
            this.context = context;
            this.declaredLength = declaredLength;
            this.declared = declaredLength >= 0;
        }

        /** Allocated only once the budget has room: a refused body must not cost its size. */
        private Buffer buffer() {
            if (buffer == null) {
                buffer = Buffer.buffer((int) Math.max(0, Math.min(declaredLength, maxBodyBytes)));
            }
            return buffer;
        }

        void chunk(Buffer chunk) {
            if (stopped) {
                return;
            }
            if (buffer().length() + (long) chunk.length() > maxBodyBytes) {
                stopped = true;
                budget.release(this);
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                ctx.fail(413);
                return;
            }
            if (!declared && !budget.reserve(this, chunk.length())) {
                refuse();
                return;
            }
            buffer().appendBuffer(chunk);
        }

        void finish() {
            if (stopped) {
                return;
            }
            budget.complete(this);
            ctx.put(KEY, buffer());
            ctx.next();
        }

        /** No room in the budget: 503 now, without reading the body. */
        void refuse() {
            stopped = true;
            buffer = null;
            budget.release(this);
            unavailable("the server is holding its limit of request bodies in flight (server.max_inflight_body_bytes: "
                    + budget.max() + " bytes); retry");
        }

        @Override
        public void shed() {
            stopped = true;
            context.runOnContext(v -> {
                buffer = null; // what it held is back in the budget, so it must be garbage too
                unavailable("a smaller request body needed the room this one was taking"
                    + " (server.max_inflight_body_bytes); retry");
            });
        }

        private void unavailable(String reason) {
            onShedOrRefused.run();
            HttpServerResponse response = ctx.response();
            if (response.ended() || response.closed()) {
                return;
            }
            if (response.headWritten()) {
                ctx.request().connection().close();
                return;
            }
            response.setStatusCode(503)
                    .putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("error", reason).encode())
                    // The rest of the body is not wanted: closing stops the client sending it.
                    .onComplete(ar -> ctx.request().connection().close());
        }
    }
}
