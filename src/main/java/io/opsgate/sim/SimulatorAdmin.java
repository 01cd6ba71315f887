package io.opsgate.sim;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The simulator's admin API, served on its own port so that nothing in it can be mistaken for AWS:
 * <ul>
 *   <li>{@code GET /requests}: requests by service and operation (count, in flight now, most in flight at once);
 *       {@code DELETE /requests} zeroes the counts and restarts the maxima;</li>
 *   <li>{@code GET /faults}, {@code PUT /faults}: latency (common and per operation), throttle rate and
 *       server-error rate (keys left out of a PUT keep their value);</li>
 *   <li>{@code GET /volumes/{id}}, {@code POST /volumes/{id}/drain} (BurstBalance 0 from now on; with a body
 *       {@code {"from": 100, "percentPerSecond": "max"}} it falls from {@code from} at that rate instead, "max" being
 *       the fastest its type and size allow, and a faster rate is refused),
 *       {@code POST /volumes/{id}/refill} (100 from now on), {@code DELETE /volumes/{id}/override} (back to the
 *       natural cycle); the next GetMetricData already shows the change.</li>
 *   <li>{@code GET /sns/messages}: what SNS {@code Publish} accepted, oldest first (topic, subject, message,
 *       attributes, FIFO ids, account).</li>
 * </ul>
 * Answers are JSON; bad input gets a 4xx with {@code {"error": reason}}.
 */
final class SimulatorAdmin {

    static final double DRAINED = 0.0;
    static final double FULL = 100.0;
    private static final long MAX_BODY_BYTES = 16 * 1024;
    private static final Duration MAX_LATENCY = Duration.ofMinutes(10);
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern VOLUME_ID = Pattern.compile("vol-[0-9a-f]{1,32}");
    private static final String LATENCY = "latencyMs";
    private static final String OPERATION_LATENCY = "operationLatencyMs";
    private static final Pattern OPERATION = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");
    private static final String THROTTLE = "throttleRate";
    private static final String SERVER_ERRORS = "serverErrorRate";
    private static final List<String> FAULT_KEYS = List.of(LATENCY, OPERATION_LATENCY, THROTTLE, SERVER_ERRORS);

    private final Faults faults;
    private final RequestCounter counter;
    private final FleetModel fleets;
    private final BurstOverrides overrides;
    private final Clock clock;
    private final SnsQueryApi sns;

    SimulatorAdmin(Faults faults, RequestCounter counter, FleetModel fleets, BurstOverrides overrides, Clock clock,
                   SnsQueryApi sns) {
        this.sns = sns;
        this.faults = faults;
        this.counter = counter;
        this.fleets = fleets;
        this.overrides = overrides;
        this.clock = clock;
    }

    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        route(router, "/requests", Map.of(HttpMethod.GET, this::requests, HttpMethod.DELETE, this::resetRequests));
        route(router, "/faults", Map.of(HttpMethod.GET, this::getFaults, HttpMethod.PUT, this::putFaults));
        route(router, "/volumes/:id", Map.of(HttpMethod.GET, this::volume));
        route(router, "/volumes/:id/drain", Map.of(HttpMethod.POST, this::drain));
        route(router, "/volumes/:id/refill", Map.of(HttpMethod.POST, ctx -> force(ctx, FULL)));
        route(router, "/volumes/:id/override", Map.of(HttpMethod.DELETE, this::release));
        route(router, "/sns/messages", Map.of(HttpMethod.GET, this::snsMessages));
        router.route().last().handler(ctx -> error(ctx, 404, "no such admin resource: " + ctx.request().path()
                + " (try GET /requests, GET or PUT /faults, POST /volumes/{id}/drain or /refill, GET /sns/messages)"));
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (status == 413) {
                error(ctx, 413, "request body larger than " + MAX_BODY_BYTES + " bytes");
            } else if (status >= 400 && status < 500) {
                error(ctx, status, "bad request");
            } else {
                error(ctx, 500, "admin request failed: " + (ctx.failure() == null ? "unknown" : ctx.failure()));
            }
        });
        return router;
    }

    /** One path with its methods; any other method gets 405 with {@code Allow}. */
    private static void route(Router router, String path, Map<HttpMethod, io.vertx.core.Handler<RoutingContext>> methods) {
        methods.forEach((method, handler) -> router.route(method, path).handler(handler));
        String allow = String.join(", ", methods.keySet().stream().map(HttpMethod::name).sorted().toList());
        router.route(path).handler(ctx -> {
            ctx.response().putHeader("Allow", allow);
            error(ctx, 405, ctx.request().method().name() + " is not allowed on " + ctx.request().path()
                    + "; allowed: " + allow);
        });
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    private void requests(RoutingContext ctx) {
        JsonObject services = new JsonObject();
        long total = 0;
        for (Map.Entry<String, Map<String, RequestCounter.Stats>> s : counter.byService().entrySet()) {
            JsonObject operations = new JsonObject();
            for (Map.Entry<String, RequestCounter.Stats> op : s.getValue().entrySet()) {
                RequestCounter.Stats st = op.getValue();
                total += st.count();
                operations.put(op.getKey(), new JsonObject().put("count", st.count()).put("inFlight", st.inFlight())
                        .put("maxInFlight", st.maxInFlight()));
            }
            services.put(s.getKey(), operations);
        }
        json(ctx, 200, new JsonObject().put("total", total).put("services", services));
    }

    private void resetRequests(RoutingContext ctx) {
        counter.reset();
        requests(ctx);
    }

    // ---- SNS ----------------------------------------------------------------------------------------------------

    private void snsMessages(RoutingContext ctx) {
        io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray();
        for (SnsMessage m : sns.published()) {
            messages.add(new JsonObject().put("topicArn", m.topicArn()).put("messageId", m.messageId())
                    .put("subject", m.subject()).put("message", m.message())
                    .put("attributes", new JsonObject(new java.util.TreeMap<>(m.attributes())))
                    .put("groupId", m.groupId()).put("deduplicationId", m.deduplicationId())
                    .put("accountId", m.accountId()));
        }
        json(ctx, 200, new JsonObject().put("messages", messages));
    }

    // ---- faults -----------------------------------------------------------------------------------------------

    private void getFaults(RoutingContext ctx) {
        json(ctx, 200, faultsJson());
    }

    private JsonObject faultsJson() {
        JsonObject perOperation = new JsonObject();
        new java.util.TreeMap<>(faults.getOperationLatencies()).forEach((op, d) -> perOperation.put(op, d.toMillis()));
        return new JsonObject().put(LATENCY, faults.getLatency().toMillis()).put(OPERATION_LATENCY, perOperation)
                .put(THROTTLE, faults.getThrottleRate()).put(SERVER_ERRORS, faults.getServerErrorRate());
    }

    private void putFaults(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        if (body == null) {
            return;
        }
        for (String key : body.fieldNames()) {
            if (!FAULT_KEYS.contains(key)) {
                error(ctx, 400, "unknown key \"" + key + "\"; expected " + String.join(", ", FAULT_KEYS));
                return;
            }
        }
        // Check everything before changing anything: a rejected PUT leaves the faults as they were.
        Duration latency = faults.getLatency();
        double throttle = faults.getThrottleRate();
        double serverErrors = faults.getServerErrorRate();
        Map<String, Duration> perOperation = faults.getOperationLatencies();
        try {
            if (body.containsKey(LATENCY)) {
                latency = latency(LATENCY, body.getValue(LATENCY));
            }
            if (body.containsKey(OPERATION_LATENCY)) {
                if (!(body.getValue(OPERATION_LATENCY) instanceof JsonObject ops)) {
                    throw new IllegalArgumentException(OPERATION_LATENCY + " must be an object of operation name to"
                            + " milliseconds, e.g. {\"GetMetricData\": 1500}, got " + render(body.getValue(OPERATION_LATENCY)));
                }
                Map<String, Duration> next = new java.util.TreeMap<>();
                for (String op : ops.fieldNames()) {
                    if (!OPERATION.matcher(op).matches()) {
                        throw new IllegalArgumentException(OPERATION_LATENCY + ": not an operation name: " + render(op));
                    }
                    next.put(op, latency(OPERATION_LATENCY + "." + op, ops.getValue(op)));
                }
                perOperation = next;
            }
            throttle = body.containsKey(THROTTLE) ? rate(body, THROTTLE) : throttle;
            serverErrors = body.containsKey(SERVER_ERRORS) ? rate(body, SERVER_ERRORS) : serverErrors;
            if (throttle + serverErrors > 1.0) {
                throw new IllegalArgumentException(THROTTLE + " + " + SERVER_ERRORS + " must not exceed 1, got "
                        + throttle + " + " + serverErrors);
            }
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        faults.setLatency(latency);
        faults.setOperationLatencies(perOperation);
        faults.setThrottleRate(throttle);
        faults.setServerErrorRate(serverErrors);
        json(ctx, 200, faultsJson());
    }

    private static Duration latency(String key, Object v) {
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0
                || ((Number) v).longValue() > MAX_LATENCY.toMillis()) {
            throw new IllegalArgumentException(key + " must be a whole number of milliseconds from 0 to "
                    + MAX_LATENCY.toMillis() + ", got " + render(v));
        }
        return Duration.ofMillis(((Number) v).longValue());
    }

    private static double rate(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (!(v instanceof Number n) || !(n.doubleValue() >= 0.0 && n.doubleValue() <= 1.0)) {
            throw new IllegalArgumentException(key + " must be a number from 0 to 1, got " + render(v));
        }
        return n.doubleValue();
    }

    private static String render(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    // ---- volumes ----------------------------------------------------------------------------------------------

    private void volume(RoutingContext ctx) {
        Located located = locate(ctx);
        if (located != null) {
            json(ctx, 200, describe(located));
        }
    }

    private void force(RoutingContext ctx, double value) {
        Located located = locate(ctx);
        if (located == null) {
            return;
        }
        SimVolume v = located.volume();
        if (!v.reportsBurstBalance()) {
            error(ctx, 409, "volume " + v.id() + " is " + v.volumeType() + " and " + v.state()
                    + ": only attached (in-use) gp2, st1 and sc1 volumes report BurstBalance");
            return;
        }
        overrides.set(v.id(), clock.instant(), value);
        json(ctx, 200, describe(located));
    }

    private void drain(RoutingContext ctx) {
        String text = ctx.body().asString("UTF-8");
        if (text == null || text.isBlank()) {
            force(ctx, DRAINED);
            return;
        }
        JsonObject body = jsonBody(ctx);
        Located located = body == null ? null : locate(ctx);
        if (located == null) {
            return;
        }
        SimVolume v = located.volume();
        for (String key : body.fieldNames()) {
            if (!key.equals("from") && !key.equals("percentPerSecond")) {
                error(ctx, 400, "unknown key \"" + key + "\"; expected from and percentPerSecond");
                return;
            }
        }
        Object from = body.getValue("from", FULL);
        if (!(from instanceof Number f) || !(f.doubleValue() >= 0 && f.doubleValue() <= FULL)) {
            error(ctx, 400, "from must be a percentage from 0 to 100, got " + render(from));
            return;
        }
        double max = SimPhysics.maxDrainPercentPerSecond(v);
        Object rate = body.getValue("percentPerSecond", "max");
        double perSecond;
        if ("max".equals(rate)) {
            perSecond = max;
        } else if (rate instanceof Number n && n.doubleValue() >= 0) {
            perSecond = n.doubleValue();
        } else {
            error(ctx, 400, "percentPerSecond must be \"max\" or a number of at least 0, got " + render(rate));
            return;
        }
        if (perSecond > max) {
            error(ctx, 409, "volume " + v.id() + " (" + v.volumeType() + ", " + v.sizeGiB() + " GiB) drains at most "
                    + max + " % per second, got " + perSecond);
            return;
        }
        if (!v.reportsBurstBalance()) {
            error(ctx, 409, "volume " + v.id() + " is " + v.volumeType() + " and " + v.state()
                    + ": only attached (in-use) gp2, st1 and sc1 volumes report BurstBalance");
            return;
        }
        overrides.drain(v.id(), clock.instant(), f.doubleValue(), perSecond);
        json(ctx, 200, describe(located));
    }

    private void release(RoutingContext ctx) {
        Located located = locate(ctx);
        if (located != null) {
            overrides.release(located.volume().id(), clock.instant());
            json(ctx, 200, describe(located));
        }
    }

    private record Located(Fleet fleet, SimVolume volume) {
    }

    /**
     * The volume named in the path, in the fleet given by {@code account_id} and {@code region} when the query names
     * them, else in any fleet generated so far; null once an error has been answered.
     */
    private Located locate(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (id == null || !VOLUME_ID.matcher(id).matches()) {
            error(ctx, 400, "not a volume id: " + render(id) + " (expected vol- and hex digits)");
            return null;
        }
        Set<String> params = ctx.queryParams().names();
        for (String name : params) {
            if (!name.equals("account_id") && !name.equals("region")) {
                error(ctx, 400, "unknown query parameter \"" + name + "\"; expected account_id and region");
                return null;
            }
        }
        String account = ctx.queryParams().get("account_id");
        String region = ctx.queryParams().get("region");
        Fleet fleet;
        if (account != null || region != null) {
            if (account == null || region == null) {
                error(ctx, 400, "give both account_id and region, or neither");
                return null;
            }
            if (!ACCOUNT_ID.matcher(account).matches()) {
                error(ctx, 400, "account_id must be 12 digits, got " + render(account));
                return null;
            }
            if (!Regions.valid(region)) {
                error(ctx, 400, "not a region: " + render(region));
                return null;
            }
            fleet = fleets.fleet(account, region);
            if (fleet.volume(id) == null) {
                error(ctx, 404, "no volume " + id + " in account " + account + " region " + region);
                return null;
            }
        } else {
            fleet = fleets.fleetOfVolume(id);
            if (fleet == null) {
                error(ctx, 404, "no volume " + id + " in the fleets generated so far; pass account_id and region"
                        + " to name its fleet");
                return null;
            }
        }
        return new Located(fleet, fleet.volume(id));
    }

    private JsonObject describe(Located located) {
        SimVolume v = located.volume();
        BurstOverrides.Override o = overrides.current(v.id());
        return new JsonObject()
                .put("volumeId", v.id())
                .put("accountId", located.fleet().accountId())
                .put("region", located.fleet().region())
                .put("volumeType", v.volumeType())
                .put("state", v.state())
                .put("reportsBurstBalance", v.reportsBurstBalance())
                .put("burstBalanceOverride", o == null ? null
                        : new JsonObject().put("value", o.value()).put("since", o.since().toString())
                                .put("percentPerSecond", o.percentPerSecond()));
    }

    // ---- JSON helpers -----------------------------------------------------------------------------------------

    /** The body as a JSON object, or null once a 400 has been answered. */
    private static JsonObject jsonBody(RoutingContext ctx) {
        String text = ctx.body().asString("UTF-8");
        if (text == null || text.isBlank()) {
            error(ctx, 400, "expected a JSON object in the request body");
            return null;
        }
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(text);
            if (parsed instanceof JsonObject object) {
                return object;
            }
            error(ctx, 400, "expected a JSON object, got " + (parsed == null ? "null" : "a JSON "
                    + parsed.getClass().getSimpleName().replace("Json", "").toLowerCase(java.util.Locale.ROOT)));
        } catch (DecodeException e) {
            error(ctx, 400, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return null;
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static void error(RoutingContext ctx, int status, String reason) {
        json(ctx, status, new JsonObject().put("error", reason));
    }
}
