package io.opsgate.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.Map;

/**
 * An embedded AWS endpoint speaking the wire protocols of the AWS SDK for Java 2.57 and of older clients:
 * EC2 (ec2-query), STS, RDS and ELBv2 (awsQuery), and CloudWatch in both Smithy RPC v2 CBOR (SDK 2.40.6 and later)
 * and awsQuery (older SDKs, cloudwatch_exporter), chosen per request as AWS does. Unmodified clients work against it
 * through {@code endpointOverride(endpoint())} or {@code AWS_ENDPOINT_URL}.
 */
public final class AwsSimulator {

    private final HttpServer server;
    private final HttpServer admin;
    private final SimulatorOptions options;
    private final Faults faults;
    private final RequestCounter counter;
    private final RequestCounter byProtocol;
    private final FleetModel fleet;
    private final StsQueryApi sts;
    private final SnsQueryApi sns;
    private final MetricDynamics dynamics;

    private AwsSimulator(HttpServer server, HttpServer admin, SimulatorOptions options, Faults faults,
            RequestCounter counter, RequestCounter byProtocol, FleetModel fleet, StsQueryApi sts, SnsQueryApi sns,
            MetricDynamics dynamics) {
        this.sns = sns;
        this.dynamics = dynamics;
        this.server = server;
        this.admin = admin;
        this.options = options;
        this.faults = faults;
        this.counter = counter;
        this.byProtocol = byProtocol;
        this.fleet = fleet;
        this.sts = sts;
    }

    public static Future<AwsSimulator> start(Vertx vertx, SimulatorOptions options) {
        Faults faults = new Faults(options.seed(), options.latency(), options.throttleRate(),
                options.serverErrorRate());
        RequestCounter counter = new RequestCounter();
        RequestCounter byProtocol = new RequestCounter();
        FleetModel fleet = new FleetModel(options.seed(), options.volumesPerRegion(), options.instancesPerRegion(),
                options.clock(), options.quotasPerRegion(), options.healthChecksPerAccount(),
                options.targetsPerGroup());
        AccessKeys keys = new AccessKeys(options.seed(), options.defaultAccountId());
        StsQueryApi sts = new StsQueryApi(keys, Clock.systemUTC());
        SnsQueryApi sns = new SnsQueryApi(Clock.systemUTC());
        BurstOverrides overrides = new BurstOverrides();
        Map<AwsProtocol, QueryApi> apis = Map.of(
                AwsProtocol.EC2, new Ec2QueryApi(fleet),
                AwsProtocol.STS, sts,
                AwsProtocol.RDS, new RdsQueryApi(fleet),
                AwsProtocol.ELBV2, new Elbv2QueryApi(fleet),
                AwsProtocol.SNS, sns);
        MetricDynamics dynamics = new MetricDynamics(options.seed(), overrides);
        CloudWatchApi cloudWatch = new CloudWatchApi(fleet, dynamics, options.clock());
        RequestDispatcher dispatcher = new RequestDispatcher(vertx, faults, counter, byProtocol, keys, apis, cloudWatch,
                new ServiceQuotasApi(fleet), new Route53RestApi(fleet, options.clock()));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setCompressionSupported(true).setHandle100ContinueAutomatically(true))
                .requestHandler(dispatcher);
        Future<HttpServer> adminServer = options.adminPort() == SimulatorOptions.ADMIN_OFF
                ? Future.succeededFuture()
                : vertx.createHttpServer()
                        .requestHandler(new SimulatorAdmin(faults, counter, fleet, overrides, options.clock(), sns).router(vertx))
                        .listen(options.adminPort(), options.adminHost());
        return adminServer.compose(a -> server.listen(options.port(), options.host())
                .map(s -> new AwsSimulator(s, a, options, faults, counter, byProtocol, fleet, sts, sns, dynamics))
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

    /** Every message SNS {@code Publish} accepted (a FIFO duplicate within 5 minutes only once), oldest first. */
    public java.util.List<SnsMessage> snsMessages() {
        return sns.published();
    }

    /** Forgets the published SNS messages and FIFO deduplication ids. */
    public void clearSnsMessages() {
        sns.clear();
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

    /**
     * Requests by wire protocol and operation: {@code rpcv2Cbor:GetMetricData} (Smithy RPC v2 CBOR, what SDK
     * 2.40.6+ sends to CloudWatch) or {@code query:GetMetricData} (awsQuery / ec2-query form posts).
     */
    public Map<String, Long> requestCountsByProtocol() {
        Map<String, Long> out = new java.util.TreeMap<>();
        byProtocol.byService().forEach((protocol, ops) -> ops.forEach((op, stats) -> {
            if (stats.count() > 0) {
                out.put(protocol + ":" + op, stats.count());
            }
        }));
        return Map.copyOf(out);
    }

    public void resetCounts() {
        counter.reset();
        byProtocol.reset();
    }

    public FleetModel fleet() {
        return fleet;
    }

    /**
     * Switches the metric dynamics to the physical profile ({@link MetricDynamics}): {@code share} of the volumes and
     * instances full and idle, the others draining and refilling within physics. NaN goes back to the natural cycles.
     */
    public void setIdleShare(double share) {
        dynamics.setIdleShare(share);
    }

    /** In the physical profile, whether this volume or instance is one of the full, idle ones. */
    public boolean idle(String resourceId) {
        return dynamics.idle(resourceId);
    }

    /**
     * Makes AssumeRole into any role of {@code accountId} answer AccessDenied unless the request carries this
     * ExternalId, as a role trust policy with an {@code sts:ExternalId} condition does. Null removes the rule.
     */
    public void requireExternalId(String accountId, String externalId) {
        sts.requireExternalId(accountId, externalId);
    }
}
