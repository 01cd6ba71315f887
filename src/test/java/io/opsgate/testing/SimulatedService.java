package io.opsgate.testing;

import io.opsgate.OpsGateService;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The service and the AWS simulator in one Vert.x, wired by endpoint override, for tests that drive a
 * real SDK over real HTTP. The config is YAML with {@code ${SIM}} standing for the simulator's endpoint.
 */
public final class SimulatedService implements AutoCloseable {
    private final Vertx vertx;
    private final AwsSimulator simulator;
    private final OpsGateService service;
    // HTTP/1.1 as Prometheus speaks it; the JDK client's h2c upgrade intermittently garbles large replies from Vert.x.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SimulatedService(Vertx vertx, AwsSimulator simulator, OpsGateService service) {
        this.vertx = vertx;
        this.simulator = simulator;
        this.service = service;
    }

    public static SimulatedService start(SimulatorOptions options, String configYaml) throws Exception {
        return start(options, configYaml, Clock.systemUTC());
    }

    /**
     * @param clock the service's clock; give the simulator the same one ({@link SimulatorOptions#withClock}) to
     *              fast-forward both, with cycles run by {@link #collectOnce()}
     */
    public static SimulatedService start(SimulatorOptions options, String configYaml, Clock clock) throws Exception {
        return start(options, configYaml, clock, simulator -> { });
    }

    /** @param prepare runs on the simulator before the service starts (and so before its first cycle) */
    public static SimulatedService start(SimulatorOptions options, String configYaml, Clock clock,
                                         java.util.function.Consumer<AwsSimulator> prepare) throws Exception {
        Vertx vertx = Vertx.vertx();
        AwsSimulator simulator = await(AwsSimulator.start(vertx, options));
        prepare.accept(simulator);
        // Any free loopback port: tests run beside each other and beside a real OpsGate on 9108.
        OpsGateConfig config = ConfigLoader.parse(configYaml, "test.yml", Map.of("SIM", simulator.endpoint())::get, Path.of("."));
        config = config.withServer(config.server().withAddressOf(new OpsGateConfig.Server("127.0.0.1", 0)));
        OpsGateService service = await(OpsGateService.start(vertx, config, clock));
        return new SimulatedService(vertx, simulator, service);
    }

    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    public AwsSimulator simulator() {
        return simulator;
    }

    public OpsGateService service() {
        return service;
    }

    /** Waits until every target has finished its first cycle and the resulting snapshot is rendered. */
    public void awaitReady(Duration timeout) throws Exception {
        Awaitility.await("every target collected once and its snapshot rendered").atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> service.collection().ready()
                        && service.metricsEndpoint().renderedVersion() >= service.snapshots().current().version());
    }

    /**
     * Runs one more cycle of every target, waits for the results of the collectors that run beside it (route53,
     * elbv2_targets: recorded after the cycle's own), and until that snapshot is what /metrics serves.
     */
    public void collectOnce() throws Exception {
        await(service.collection().runAllOnce());
        await(service.collection().besideRecorded());
        awaitRendered();
    }

    /** Waits until the snapshot recorded by now is what /metrics serves. */
    public void awaitRendered() {
        long version = service.snapshots().current().version();
        Awaitility.await("snapshot " + version + " rendered").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> service.metricsEndpoint().renderedVersion() >= version);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        await(service.stop());
        await(vertx.close());
    }
}
