package io.opsgate.sim;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of every HTTP request: decodes the query-protocol form, counts it, applies the configured latency
 * (with a timer, never by blocking the event loop), authenticates like AWS (SigV4 header present, account from
 * the access key, region from the credential scope), injects faults, then runs the operation on a worker so a
 * large unpaged reply cannot stall the event loop.
 */
final class RequestDispatcher implements Handler<HttpServerRequest> {

    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class.getName());

    private final Vertx vertx;
    private final Faults faults;
    private final RequestCounter counter;
    private final AccessKeys keys;
    private final Map<AwsProtocol, QueryApi> apis;

    RequestDispatcher(Vertx vertx, Faults faults, RequestCounter counter, AccessKeys keys,
            Map<AwsProtocol, QueryApi> apis) {
        this.vertx = vertx;
        this.faults = faults;
        this.counter = counter;
        this.keys = keys;
        this.apis = new EnumMap<>(apis);
    }

    @Override
    public void handle(HttpServerRequest req) {
        req.body()
                .onSuccess(body -> accept(req, body))
                .onFailure(e -> req.response().setStatusCode(400).end());
    }

    private void accept(HttpServerRequest req, Buffer body) {
        String form = req.method() == HttpMethod.GET ? req.query() : body.toString(StandardCharsets.UTF_8);
        QueryParams params = QueryParams.parse(form);
        String action = params.get("Action");
        counter.track(req, params, action);
        long delayMs = faults.latencyFor(action).toMillis();
        if (delayMs > 0) {
            vertx.setTimer(delayMs, id -> process(req, params, action));
        } else {
            process(req, params, action);
        }
    }

    private void process(HttpServerRequest req, QueryParams params, String action) {
        String requestId = UUID.randomUUID().toString();
        AwsProtocol protocol = AwsProtocol.resolve(null, params.get("Version"));
        try {
            CredentialScope scope = CredentialScope.parse(req.getHeader("Authorization"));
            if (scope != null) {
                protocol = AwsProtocol.resolve(scope.service(), params.get("Version"));
            }
            if (protocol == null) {
                protocol = AwsProtocol.EC2;
                throw new AwsError(400, "InvalidAction", "Could not determine the service from the request.");
            }
            if (scope == null) {
                throw protocol.missingAuthentication();
            }
            if (action == null) {
                throw new AwsError(400, "MissingAction", "The request must contain the parameter Action.");
            }
            switch (faults.next()) {
                case THROTTLE -> throw protocol.throttlingError();
                case SERVER_ERROR -> throw protocol.internalError();
                default -> { }
            }
            if (!Regions.valid(scope.region())) {
                throw new AwsError(400, "InvalidClientTokenId", "The security token included in the request is invalid.");
            }
            ApiRequest request = new ApiRequest(protocol, action, params, keys.accountOf(scope.accessKeyId()),
                    scope.region(), scope.accessKeyId(), requestId);
            QueryApi api = apis.get(protocol);
            AwsProtocol p = protocol;
            vertx.executeBlocking(() -> api.handle(request), false).onComplete(ar -> {
                if (ar.succeeded()) {
                    send(req, 200, ar.result(), requestId);
                } else {
                    fail(req, p, ar.cause(), requestId);
                }
            });
        } catch (RuntimeException e) {
            fail(req, protocol == null ? AwsProtocol.EC2 : protocol, e, requestId);
        }
    }

    private void fail(HttpServerRequest req, AwsProtocol protocol, Throwable cause, String requestId) {
        AwsError error;
        if (cause instanceof AwsError aws) {
            error = aws;
        } else {
            LOG.log(Level.WARNING, "simulator failure", cause);
            error = protocol.internalError();
        }
        send(req, error.status(), protocol.renderError(error, requestId), requestId);
    }

    private static void send(HttpServerRequest req, int status, String xml, String requestId) {
        req.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/xml;charset=UTF-8")
                .putHeader("x-amzn-RequestId", requestId)
                .end(xml);
    }
}
