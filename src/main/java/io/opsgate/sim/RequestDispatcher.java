package io.opsgate.sim;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of every HTTP request. The wire protocol is chosen per request, as AWS does: a path under
 * {@code /service/} is Smithy RPC v2 CBOR (CloudWatch from SDK 2.40.6 on), anything else the query protocols
 * (a form with {@code Action} and {@code Version}). Then it counts the request, applies the configured latency
 * (with a timer, never by blocking the event loop), authenticates like AWS (SigV4 header present, account from
 * the access key, region from the credential scope), injects faults, and runs the operation on a worker so a
 * large unpaged reply cannot stall the event loop. Errors are answered in the request's own protocol.
 */
final class RequestDispatcher implements Handler<HttpServerRequest> {

    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class.getName());
    /** Protocol names in the by-protocol counts. */
    static final String RPC_V2_CBOR = "rpcv2Cbor";
    static final String QUERY = "query";
    static final String AWS_JSON = "awsJson1_1";
    static final String REST_XML = "restXml";

    private final Vertx vertx;
    private final Faults faults;
    private final RequestCounter counter;
    private final RequestCounter byProtocol;
    private final AccessKeys keys;
    private final Map<AwsProtocol, QueryApi> apis;
    private final CloudWatchApi cloudWatch;
    private final ServiceQuotasApi serviceQuotas;
    private final Route53RestApi route53;

    RequestDispatcher(Vertx vertx, Faults faults, RequestCounter counter, RequestCounter byProtocol, AccessKeys keys,
            Map<AwsProtocol, QueryApi> apis, CloudWatchApi cloudWatch, ServiceQuotasApi serviceQuotas,
            Route53RestApi route53) {
        this.route53 = route53;
        this.serviceQuotas = serviceQuotas;
        this.vertx = vertx;
        this.faults = faults;
        this.counter = counter;
        this.byProtocol = byProtocol;
        this.keys = keys;
        this.apis = new EnumMap<>(apis);
        this.cloudWatch = cloudWatch;
    }

    /** How a reply of one request is encoded: awsQuery/ec2 XML or RPC v2 CBOR. */
    private interface Wire {
        /** This protocol's answer to an unexpected failure. */
        AwsError internalError();

        void error(HttpServerResponse response, AwsError error, String requestId);
    }

    @Override
    public void handle(HttpServerRequest req) {
        req.body()
                .onSuccess(body -> accept(req, body))
                .onFailure(e -> req.response().setStatusCode(400).end());
    }

    private void accept(HttpServerRequest req, Buffer body) {
        String restOperation = Route53RestApi.operation(req.method().name(), req.path());
        if (restOperation != null) {
            // restXml, routed by method and path.
            counter.track(req, "route53", restOperation);
            byProtocol.countOnly(REST_XML, restOperation);
            long restDelayMs = faults.latencyFor(restOperation).toMillis();
            if (restDelayMs > 0) {
                vertx.setTimer(restDelayMs, id -> processRest(req, body, restOperation));
            } else {
                processRest(req, body, restOperation);
            }
            return;
        }
        String jsonOperation = ServiceQuotasApi.operation(req);
        if (jsonOperation != null) {
            // awsJson1_1, routed by its X-Amz-Target header.
            counter.track(req, "servicequotas", jsonOperation);
            byProtocol.countOnly(AWS_JSON, jsonOperation);
            long jsonDelayMs = faults.latencyFor(jsonOperation).toMillis();
            if (jsonDelayMs > 0) {
                vertx.setTimer(jsonDelayMs, id -> processJson(req, body, jsonOperation));
            } else {
                processJson(req, body, jsonOperation);
            }
            return;
        }
        RpcV2Cbor.Target rpc = RpcV2Cbor.target(req);
        String action;
        Runnable next;
        if (rpc != null) {
            // Routed by its path: CloudWatch's operation, whatever the credential scope says.
            counter.track(req, "cloudwatch", rpc.operation());
            byProtocol.countOnly(RPC_V2_CBOR, rpc.operation());
            action = rpc.operation();
            next = () -> processRpcV2(req, body, rpc);
        } else {
            String form = req.method() == HttpMethod.GET ? req.query() : body.toString(StandardCharsets.UTF_8);
            QueryParams params = QueryParams.parse(form);
            String queryAction = params.get("Action");
            counter.track(req, params, queryAction);
            byProtocol.countOnly(QUERY, queryAction);
            action = queryAction;
            next = () -> processQuery(req, params, queryAction);
        }
        long delayMs = faults.latencyFor(action).toMillis();
        java.util.concurrent.CompletableFuture<Void> gate = faults.gate(action);
        if (gate != null) {
            io.vertx.core.Context context = vertx.getOrCreateContext();
            gate.thenRun(() -> context.runOnContext(v -> answerAfter(delayMs, next)));
        } else {
            answerAfter(delayMs, next);
        }
    }

    private void answerAfter(long delayMs, Runnable next) {
        if (delayMs > 0) {
            vertx.setTimer(delayMs, id -> next.run());
        } else {
            next.run();
        }
    }

    private void processQuery(HttpServerRequest req, QueryParams params, String action) {
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
            checkCall(protocol, scope);
            if (action == null) {
                throw new AwsError(400, "MissingAction", "The request must contain the parameter Action.");
            }
            if (faults.throttles(action)) {
                throw protocol.throttlingError();
            }
            injectFaults(protocol);
            ApiRequest request = new ApiRequest(protocol, action, params, keys.accountOf(scope.accessKeyId()),
                    scope.region(), scope.accessKeyId(), requestId);
            Wire wire = xml(protocol);
            if (protocol == AwsProtocol.CLOUDWATCH) {
                run(req, wire, requestId, "text/xml;charset=UTF-8", () -> {
                    XmlOutput out = new XmlOutput(action, AwsProtocol.CLOUDWATCH.namespace(), 4096);
                    cloudWatch.handle(action, new QueryInput(params), out, request.accountId(), request.region());
                    return out.finish(requestId);
                });
            } else {
                QueryApi api = apis.get(protocol);
                run(req, wire, requestId, "text/xml;charset=UTF-8",
                        () -> api.handle(request).getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            fail(req, xml(protocol == null ? AwsProtocol.EC2 : protocol), e, requestId);
        }
    }

    private void processRpcV2(HttpServerRequest req, Buffer body, RpcV2Cbor.Target target) {
        String requestId = UUID.randomUUID().toString();
        Wire wire = CBOR;
        try {
            RpcV2Cbor.validate(req, target);
            CredentialScope scope = CredentialScope.parse(req.getHeader("Authorization"));
            if (scope != null && AwsProtocol.resolve(scope.service(), null) != AwsProtocol.CLOUDWATCH) {
                throw new AwsError(403, "SignatureDoesNotMatch",
                        "Credential should be scoped to correct service: 'monitoring'.");
            }
            checkCall(AwsProtocol.CLOUDWATCH, scope);
            if (!CloudWatchApi.supports(target.operation())) {
                throw QueryApi.invalidAction(target.operation());
            }
            OperationInput input = RpcV2Cbor.input(body);
            injectFaults(AwsProtocol.CLOUDWATCH);
            String account = keys.accountOf(scope.accessKeyId());
            run(req, wire, requestId, RpcV2Cbor.CONTENT_TYPE, () -> {
                CborOutput out = new CborOutput(4096);
                cloudWatch.handle(target.operation(), input, out, account, scope.region());
                return out.finish(requestId);
            });
        } catch (RuntimeException e) {
            fail(req, wire, e, requestId);
        }
    }

    private void processJson(HttpServerRequest req, Buffer body, String operation) {
        String requestId = UUID.randomUUID().toString();
        try {
            CredentialScope scope = CredentialScope.parse(req.getHeader("Authorization"));
            if (scope == null) {
                throw new AwsError(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
            }
            if (!"servicequotas".equals(scope.service())) {
                throw new AwsError(400, "InvalidSignatureException",
                        "Credential should be scoped to correct service: 'servicequotas'.");
            }
            if (!Regions.valid(scope.region())) {
                throw new AwsError(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
            }
            if (faults.throttles(operation)) {
                throw ServiceQuotasApi.throttled();
            }
            switch (faults.next()) {
                case THROTTLE -> throw ServiceQuotasApi.throttled();
                case SERVER_ERROR -> throw ServiceQuotasApi.internalError();
                default -> { }
            }
            String account = keys.accountOf(scope.accessKeyId());
            byte[] input = body.getBytes();
            run(req, JSON, requestId, ServiceQuotasApi.CONTENT_TYPE,
                    () -> serviceQuotas.handle(operation, input, account, scope.region()));
        } catch (RuntimeException e) {
            fail(req, JSON, e, requestId);
        }
    }

    private void processRest(HttpServerRequest req, Buffer body, String operation) {
        String requestId = UUID.randomUUID().toString();
        try {
            CredentialScope scope = CredentialScope.parse(req.getHeader("Authorization"));
            if (scope == null) {
                throw new AwsError(403, "MissingAuthenticationToken", "Missing Authentication Token");
            }
            if (!"route53".equals(scope.service())) {
                throw new AwsError(403, "SignatureDoesNotMatch",
                        "Credential should be scoped to correct service: 'route53'.");
            }
            if (!"us-east-1".equals(scope.region())) {
                throw new AwsError(403, "SignatureDoesNotMatch",
                        "Credential should be scoped to a valid region, not '" + scope.region() + "'.");
            }
            if (faults.throttles(operation)) {
                throw Route53RestApi.throttled();
            }
            switch (faults.next()) {
                case THROTTLE -> throw Route53RestApi.throttled();
                case SERVER_ERROR -> throw Route53RestApi.internalError();
                default -> { }
            }
            String account = keys.accountOf(scope.accessKeyId());
            route53.admit(account);
            QueryParams query = QueryParams.parse(req.query() == null ? "" : req.query());
            String path = req.path();
            String text = body.toString(StandardCharsets.UTF_8);
            run(req, REST, requestId, "text/xml", () -> route53.handle(operation, path, query, text, account));
        } catch (RuntimeException e) {
            fail(req, REST, e, requestId);
        }
    }

    /** Authentication and region, checked the same way on every protocol. */
    private static void checkCall(AwsProtocol protocol, CredentialScope scope) {
        if (scope == null) {
            throw protocol.missingAuthentication();
        }
        if (!Regions.valid(scope.region())) {
            throw new AwsError(400, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
    }

    private void injectFaults(AwsProtocol protocol) {
        switch (faults.next()) {
            case THROTTLE -> throw protocol.throttlingError();
            case SERVER_ERROR -> throw protocol.internalError();
            default -> { }
        }
    }

    private void run(HttpServerRequest req, Wire wire, String requestId, String contentType, Callable<byte[]> op) {
        vertx.executeBlocking(op, false).onComplete(ar -> {
            if (ar.succeeded()) {
                HttpServerResponse response = req.response().setStatusCode(200);
                if (RpcV2Cbor.CONTENT_TYPE.equals(contentType)) {
                    response.putHeader(RpcV2Cbor.PROTOCOL_HEADER, RpcV2Cbor.PROTOCOL);
                }
                response.putHeader("Content-Type", contentType)
                        .putHeader("x-amzn-RequestId", requestId)
                        .end(Buffer.buffer(ar.result()));
            } else {
                fail(req, wire, ar.cause(), requestId);
            }
        });
    }

    private void fail(HttpServerRequest req, Wire wire, Throwable cause, String requestId) {
        AwsError error;
        if (cause instanceof AwsError aws) {
            error = aws;
        } else {
            LOG.log(Level.WARNING, "simulator failure", cause);
            error = wire.internalError();
        }
        wire.error(req.response(), error, requestId);
    }

    private static Wire xml(AwsProtocol protocol) {
        return new Wire() {
            @Override
            public AwsError internalError() {
                return protocol.internalError();
            }

            @Override
            public void error(HttpServerResponse response, AwsError error, String requestId) {
                response.setStatusCode(error.status())
                        .putHeader("Content-Type", "text/xml;charset=UTF-8")
                        .putHeader("x-amzn-RequestId", requestId)
                        .end(protocol.renderError(error, requestId));
            }
        };
    }

    private static final Wire JSON = new Wire() {
        @Override
        public AwsError internalError() {
            return ServiceQuotasApi.internalError();
        }

        @Override
        public void error(HttpServerResponse response, AwsError error, String requestId) {
            response.setStatusCode(error.status())
                    .putHeader("Content-Type", ServiceQuotasApi.CONTENT_TYPE)
                    .putHeader("x-amzn-ErrorType", error.code())
                    .putHeader("x-amzn-RequestId", requestId)
                    .end(ServiceQuotasApi.errorBody(error));
        }
    };

    private static final Wire REST = new Wire() {
        @Override
        public AwsError internalError() {
            return Route53RestApi.internalError();
        }

        @Override
        public void error(HttpServerResponse response, AwsError error, String requestId) {
            response.setStatusCode(error.status())
                    .putHeader("Content-Type", "text/xml")
                    .putHeader("x-amzn-RequestId", requestId)
                    .end(Route53RestApi.errorBody(error, requestId));
        }
    };

    private static final Wire CBOR = new Wire() {
        @Override
        public AwsError internalError() {
            return AwsProtocol.CLOUDWATCH.internalError();
        }

        @Override
        public void error(HttpServerResponse response, AwsError error, String requestId) {
            response.setStatusCode(error.status())
                    .putHeader(RpcV2Cbor.PROTOCOL_HEADER, RpcV2Cbor.PROTOCOL)
                    .putHeader("Content-Type", RpcV2Cbor.CONTENT_TYPE)
                    .putHeader(RpcV2Cbor.QUERY_ERROR_HEADER, RpcV2Cbor.queryErrorHeader(error))
                    .putHeader("x-amzn-RequestId", requestId)
                    .end(Buffer.buffer(RpcV2Cbor.errorBody(error)));
        }
    };
}
