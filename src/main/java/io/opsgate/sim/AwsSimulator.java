package io.opsgate.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.Map;

/**
 * An embedded AWS endpoint speaking the EC2 (ec2-query), CloudWatch, STS, RDS and ELBv2 (awsQuery) wire protocols of
 * SDK for Java 2.40.x, so unmodified SDK clients work against it through {@code endpointOverride(endpoint())}.
 */
public final class AwsSimulator {

    private final HttpServer server;
    private final HttpServer admin;
    private final SimulatorOptions options;
    private final Faults faults;
    private final RequestCounter counter;
    private final FleetModel fleet;
    private final StsQueryApi sts;

    private AwsSimulator(HttpServer server, HttpServer admin, SimulatorOptions options, Faults faults,
            RequestCounter counter, FleetModel fleet, StsQueryApi sts) {
        this.server = server;
        this.admin = admin;
        this.options = options;
        this.faults = faults;
        this.counter = counter;
        this.fleet = fleet;
        this.sts = sts;
    }

    public static Future<AwsSimulator> start(Vertx vertx, SimulatorOptions options) {
        Faults faults = new Faults(options.seed(), options.latency(), options.throttleRate(),
                options.serverErrorRate());
        RequestCounter counter = new RequestCounter();
        FleetModel fleet = new FleetModel(options.seed(), options.volumesPerRegion(), options.instancesPerRegion(),
                options.clock());
        AccessKeys keys = new AccessKeys(options.seed(), options.defaultAccountId());
        StsQueryApi sts = new StsQueryApi(keys, Clock.systemUTC());
        BurstOverrides overrides = new BurstOverrides();
        Map<AwsProtocol, QueryApi> apis = Map.of(
                AwsProtocol.EC2, new Ec2QueryApi(fleet),
                AwsProtocol.CLOUDWATCH, new CloudWatchQueryApi(fleet, new MetricDynamics(options.seed(), overrides), options.clock()),
                AwsProtocol.STS, sts,
                AwsProtocol.RDS, new RdsQueryApi(fleet),
                AwsProtocol.ELBV2, new Elbv2QueryApi(fleet));
        RequestDispatcher dispatcher = new RequestDispatcher(vertx, faults, counter, keys, apis);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setCompressionSupported(true).setHandle100ContinueAutomatically(true))
                .requestHandler(dispatcher);
        Future<HttpServer> adminServer = options.adminPort() == SimulatorOptions.ADMIN_OFF
                ? Future.succeededFuture()
                : vertx.createHttpServer()
                        .requestHandler(new SimulatorAdmin(faults, counter, fleet, overrides, options.clock()).router(vertx))
                        .listen(options.adminPort(), options.adminHost());
        return adminServer.compose(a -> server.listen(options.port(), options.host())
                .map(s -> new AwsSimulator(s, a, options, faults, counter, fleet, sts))
                .recover(e -> (a == null ? Future.<Void>succeededFuture() : a.close()).compose(v -> Future.failedFuture(e))));
    }

    public int port() {
        return server.actualPort();
    }

    public String endpoint() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port();
    }

    /** The admin API's base URL ({@link SimulatorAdmin}); throws when it was not turned on. */
    public String adminEndpoint() {
        if (admin == null) {
            throw new IllegalStateException("the simulator's admin API is off (SimulatorOptions.withAdmin)");
        }
        String host = options.adminHost().contains(":") ? "[" + options.adminHost() + "]" : options.adminHost();
        return "http://" + host + ":" + admin.actualPort();
    }

    public Future<Void> stop() {
        return admin == null ? server.close() : Future.all(server.close(), admin.close()).mapEmpty();
    }

    public SimulatorOptions options() {
        return options;
    }

    public Faults faults() {
        return faults;
    }

    public long requestCount(String operation) {
        return counter.count(operation);
    }

    public Map<String, Long> requestCounts() {
        return counter.snapshot();
    }

    /** The most requests of one operation that were in flight at once since the last {@link #resetCounts()}. */
    public long maxInFlight(String operation) {
        return counter.maxInFlight(operation);
    }

    public void resetCounts() {
        counter.reset();
    }

    public FleetModel fleet() {
        return fleet;
    }

    /**
     * Makes AssumeRole into any role of {@code accountId} answer AccessDenied unless the request carries this
     * ExternalId, as a role trust policy with an {@code sts:ExternalId} condition does. Null removes the rule.
     */
    public void requireExternalId(String accountId, String externalId) {
        sts.requireExternalId(accountId, externalId);
    }
}
