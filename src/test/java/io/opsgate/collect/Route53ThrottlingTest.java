package io.opsgate.collect;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.aws.AwsClientFactory;
import io.opsgate.aws.AwsRequestMetrics;
import io.opsgate.aws.RegionClients;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.sim.SimHealthCheck;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import org.junit.jupiter.api.Test;

/**
 * Route 53's 5 requests per second per account, through the real SDK against the simulator: ListHealthChecks pages
 * with Marker/MaxItems; a client faster than the limit is throttled and, backing off, gets every answer (throttled
 * attempts do not spend the simulator's window); a client paced to 5 per second is never throttled; a listing
 * throttled past the SDK's retries keeps the last data in /metrics, marked stale, and never fails the scrape; an
 * account without us-east-1 reads the metric from us-east-1 in calls of its own.
 */
class Route53ThrottlingTest {
    private static final String ACCOUNT = "123456789012";

    private static OpsGateConfig config(String endpoint, int maxAttempts) throws Exception {
        return ConfigLoader.parse("""
                aws:
                  regions: [us-east-1]
                  endpoints: {route53: "%1$s", cloudwatch: "%1$s", ec2: "%1$s"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: %2$d, base_delay: 5ms, throttling_base_delay: 100ms, max_backoff: 1s}
                accounts:
                  - {name: a, id: "123456789012"}
                """.formatted(endpoint, maxAttempts), "test.yml", k -> null, Path.of("."));
    }

    @Test
    void pagingThrottlingAndPacingThroughTheSdk() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        io.opsgate.sim.AwsSimulator sim = SimulatedService.await(io.opsgate.sim.AwsSimulator.start(vertx,
                SimulatorOptions.defaults().withFleetSize(0, 0)));
        try (AwsClientFactory factory = new AwsClientFactory(config(sim.endpoint(), 12).aws(), 8,
                new AwsRequestMetrics(new PrometheusRegistry()))) {
            OpsGateConfig config = config(sim.endpoint(), 12);
            RegionClients clients = factory.clientsFor(ACCOUNT, "us-east-1", factory.credentialsFor(config.accounts().get(0)));
            List<SimHealthCheck> fleet = sim.fleet().healthChecks(ACCOUNT);
            sim.resetCounts();

            // Paged 5 at a time: 12 checks in 3 ListHealthChecks calls, in order, none twice.
            List<HealthCheck> listed = new Route53Reader(clients.route53(), RequestPacer.realTime(5), 5).healthChecks();
            assertThat(listed.stream().map(HealthCheck::id).toList())
                    .containsExactlyElementsOf(fleet.stream().map(SimHealthCheck::id).toList());
            assertThat(sim.requestCount("ListHealthChecks")).isEqualTo(3);

            // Paced to the limit: never throttled (each request is one attempt), even after the paging calls.
            Route53Reader paced = new Route53Reader(clients.route53(), RequestPacer.realTime(5), 100);
            for (int i = 0; i < 8; i++) {
                paced.observations(fleet.get(i).id());
            }
            assertThat(sim.requestCount("GetHealthCheckStatus")).isEqualTo(8);
            sim.resetCounts();
            // Unpaced (1000/s): Route 53 throttles, the SDK backs off, every call gets its answer.
            Route53Reader eager = new Route53Reader(clients.route53(), RequestPacer.realTime(1000), 100);
            List<Integer> observations = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                observations.add(eager.observations(fleet.get(i % fleet.size()).id()).size());
            }
            assertThat(observations).allSatisfy(n -> assertThat(n).isEqualTo(SimHealthCheck.CHECKER_REGIONS.size()));
            long attempts = sim.requestCount("GetHealthCheckStatus");
            assertThat(attempts).as("some attempts were throttled and retried").isGreaterThan(12);
        } finally {
            SimulatedService.await(sim.stop());
            SimulatedService.await(vertx.close());
        }
    }

    @Test
    void aThrottledListingKeepsTheDataMarkedStaleAndAnAccountWithoutUsEast1ReadsItsMetricThere() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults(), """
                collection: {interval: 1h, jitter: 0, collectors: [route53]}
                aws:
                  regions: [eu-west-1, ap-southeast-2]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", route53: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 3, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 10ms}
                accounts: [{name: a, id: "123456789012"}]
                """)) {
            env.awaitReady(Duration.ofSeconds(60));
            String before = env.get("/metrics").body();
            int checks = env.simulator().fleet().healthChecks(ACCOUNT).size();
            Map<String, Double> healthy = HealthCollectorsAgainstSimulatorTest.byLabel(before,
                    "aws_route53_health_check_healthy", "health_check_id");
            assertThat(healthy).hasSize(checks);
            assertThat(up(before)).as("collected by the first region's target").isEqualTo(Map.of("eu-west-1", 1.0));
            assertThat(samples(before, "opsgate_cloudwatch_metrics_requested_total").stream()
                    .filter(l -> label(l, "region").equals("us-east-1")).mapToDouble(l -> value(l)).sum())
                    .as("HealthCheckStatus is read from us-east-1, one metric per check").isEqualTo(checks);

            env.simulator().faults().setThrottledOperations(Set.of("ListHealthChecks"));
            long listings = env.simulator().requestCount("ListHealthChecks");
            env.collectOnce();
            HttpResponse<String> throttled = env.get("/metrics");
            assertThat(throttled.statusCode()).isEqualTo(200);
            assertThat(env.simulator().requestCount("ListHealthChecks") - listings).as("the SDK's 3 attempts").isEqualTo(3);
            assertThat(up(throttled.body())).isEqualTo(Map.of("eu-west-1", 0.0));
            assertThat(HealthCollectorsAgainstSimulatorTest.byLabel(throttled.body(), "aws_route53_health_check_healthy",
                    "health_check_id")).as("the last good data is kept").isEqualTo(healthy);

            env.simulator().faults().setThrottledOperations(Set.of());
            env.collectOnce();
            assertThat(up(env.get("/metrics").body())).isEqualTo(Map.of("eu-west-1", 1.0));
        }
    }

    private static Map<String, Double> up(String body) {
        Map<String, Double> out = new java.util.HashMap<>();
        samples(body, "opsgate_collector_up").stream().filter(l -> label(l, "collector").equals("route53"))
                .forEach(l -> out.put(label(l, "region"), value(l)));
        return out;
    }
}
