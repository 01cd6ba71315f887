package io.opsgate.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A route handler that lets a request on only with credentials {@link RequestAuth} accepts; otherwise 401 with a
 * {@code WWW-Authenticate} challenge per configured scheme and a JSON reason. With no credentials configured it
 * lets everything on.
 */
public final class AuthGate implements Handler<RoutingContext> {
    private final RequestAuth auth;

    public AuthGate(RequestAuth auth) {
        this.auth = auth;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (auth.accepts(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.next();
            return;
        }
        auth.challenges().forEach(c -> ctx.response().headers().add("WWW-Authenticate", c));
        ctx.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", "missing or wrong credentials (Authorization: Bearer or Basic)")
                        .encode());
    }
}
