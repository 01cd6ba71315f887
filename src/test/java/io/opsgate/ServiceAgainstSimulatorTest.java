package io.opsgate;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.sum;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The whole exporter through the real AWS SDK over HTTP against the simulator: no mocks. */
class ServiceAgainstSimulatorTest {
    private static final String CONFIG = """
            collection:
              interval: 1h
              jitter: 0
              # The core collectors, whose exact series and call counts these tests check.
              collectors: [ebs, ec2, ec2_status]
            aws:
              regions: [us-east-1]
              endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", servicequotas: "${SIM}"}
              credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
              retry: {max_attempts: 25, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 20ms}
            accounts:
              - name: a
                role_arn: arn:aws:iam::111111111111:role/opsgate
              - name: b
                role_arn: arn:aws:iam::222222222222:role/opsgate
                regions: [us-east-1, eu-west-1]
            """;
    private static final List<String[]> TARGETS = List.of(
            new String[] {"111111111111", "us-east-1"},
            new String[] {"222222222222", "us-east-1"},
            new String[] {"222222222222", "eu-west-1"});

    private static Set<String> seriesIds(String body, String metric, String idLabel, String account, String region) {
        return samples(body, metric).stream()
                .filter(l -> account.equals(label(l, "account_id")) && region.equals(label(l, "region")))
                .map(l -> label(l, idLabel)).collect(Collectors.toSet());
    }

    @Test
    void largeResponsesReachClientsThatOfferAnH2cUpgrade() throws Exception {
        // The JDK HttpClient offers "Upgrade: h2c" on every fresh connection; with the upgrade enabled, Vert.x
        // answered some of them with HTTP/1.1 bytes read as HTTP/2 frames (seen 9 failures in 60 before the fix).
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(2000, 500), CONFIG)) {
            env.awaitReady(Duration.ofSeconds(60));
            int failures = 0;
            for (int i = 0; i < 40; i++) {
                HttpClient fresh = HttpClient.newHttpClient();
                try {
                    HttpResponse<String> r = fresh.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + env.service().port() + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
                    assertThat(r.body()).contains("aws_ebs_burst_balance_ratio{");
                } catch (IOException e) {
                    failures++;
                }
            }
            assertThat(failures).isZero();
        }
    }

    @Test
    void exportsExactlyTheFleetsBurstAndCreditSeriesWithMinimalGetMetricDataCalls() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(1200, 300), CONFIG)) {
            env.awaitReady(Duration.ofSeconds(60));
            env.simulator().resetCounts();
            env.collectOnce();
            String body = env.get("/metrics").body();

            long expectedCalls = 0;
            long expectedQueries = 0;
            for (String[] t : TARGETS) {
                List<SimVolume> volumes = env.simulator().fleet().volumes(t[0], t[1]);
                List<SimInstance> instances = env.simulator().fleet().instances(t[0], t[1]);
                Set<String> bursting = volumes.stream().filter(SimVolume::reportsBurstBalance).map(SimVolume::id).collect(Collectors.toSet());
                Set<String> crediting = instances.stream().filter(SimInstance::reportsCreditMetrics).map(SimInstance::id).collect(Collectors.toSet());

                assertThat(seriesIds(body, "aws_ebs_burst_balance_ratio", "volume_id", t[0], t[1]))
                        .as("burst series of %s/%s", t[0], t[1]).isEqualTo(bursting);
                assertThat(volumes.stream().filter(v -> !Set.of("gp2", "st1", "sc1").contains(v.volumeType())).map(SimVolume::id))
                        .as("gp3/io1/io2/standard volumes exist but have no burst series")
                        .isNotEmpty().doesNotContainAnyElementsOf(bursting);
                assertThat(seriesIds(body, "aws_ebs_volume_info", "volume_id", t[0], t[1])).hasSize(volumes.size());
                for (String metric : List.of("aws_ec2_cpu_credit_balance", "aws_ec2_cpu_credit_usage",
                        "aws_ec2_cpu_surplus_credit_balance", "aws_ec2_cpu_surplus_credits_charged")) {
                    assertThat(seriesIds(body, metric, "instance_id", t[0], t[1])).as(metric).isEqualTo(crediting);
                }
                assertThat(instances.stream().filter(i -> !i.burstable()).map(SimInstance::id)).isNotEmpty()
                        .doesNotContainAnyElementsOf(crediting);
                assertThat(seriesIds(body, "aws_ec2_instance_info", "instance_id", t[0], t[1])).hasSize(instances.size());

                long queries = bursting.size() + 4L * crediting.size();
                expectedQueries += queries;
                expectedCalls += (queries + 499) / 500;
            }
            assertThat(expectedCalls).as("the fleet must need several calls to test batching").isGreaterThan(TARGETS.size());
            assertThat(env.simulator().requestCount("GetMetricData")).isEqualTo(expectedCalls);
            assertThat(sum(body, "opsgate_cloudwatch_metrics_requested_total")).isEqualTo(2.0 * expectedQueries);
            assertThat(samples(body, "opsgate_collector_up")).hasSize(9).allSatisfy(l -> assertThat(value(l)).isEqualTo(1.0));
        }
    }

    @Test
    void statusChecksMirrorTheFleet() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults(), CONFIG)) {
            env.awaitReady(Duration.ofSeconds(60));
            String body = env.get("/metrics").body();
            Set<String> impairedInFleet = new HashSet<>();
            for (String[] t : TARGETS) {
                // Stopped instances report "not-applicable" on the wire, whatever their model says.
                for (SimInstance i : env.simulator().fleet().instances(t[0], t[1]).stream().filter(SimInstance::running).toList()) {
                    if ("impaired".equals(i.systemStatus())) {
                        impairedInFleet.add(i.id() + "/system");
                    }
                    if ("impaired".equals(i.instanceStatus())) {
                        impairedInFleet.add(i.id() + "/instance");
                    }
                    if ("impaired".equals(i.attachedEbsStatus())) {
                        impairedInFleet.add(i.id() + "/attached_ebs");
                    }
                }
            }
            Set<String> failing = samples(body, "aws_ec2_status_check_ok").stream()
                    .filter(l -> value(l) == 0.0)
                    .map(l -> label(l, "instance_id") + "/" + label(l, "check")).collect(Collectors.toSet());
            assertThat(impairedInFleet).isNotEmpty();
            assertThat(failing).containsAll(impairedInFleet);
            assertThat(samples(body, "aws_ec2_scheduled_event_timestamp_seconds")).isNotEmpty();
        }
    }

    @Test
    void halfOfAllCallsThrottledStillCompletesAndCountsThrottles() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults(), CONFIG)) {
            env.awaitReady(Duration.ofSeconds(60));
            env.simulator().faults().setThrottleRate(0.5);
            env.collectOnce();
            String body = env.get("/metrics").body();

            assertThat(samples(body, "opsgate_collector_up")).hasSize(9).allSatisfy(l -> assertThat(value(l)).isEqualTo(1.0));
            assertThat(sum(body, "opsgate_aws_requests_total", "outcome=\"throttled\"")).isGreaterThan(0);
            assertThat(sum(body, "opsgate_collection_cycles_total", "outcome=\"success\"")).isEqualTo(6.0);
        }
    }

    @Test
    void awsOutageServesLastGoodDataMarkedDown() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults(), CONFIG)) {
            env.awaitReady(Duration.ofSeconds(60));
            String before = env.get("/metrics").body();
            SimulatedService.await(env.simulator().stop());

            env.collectOnce();
            var response = env.get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            String after = response.body();
            assertThat(samples(after, "opsgate_collector_up")).hasSize(9).allSatisfy(l -> assertThat(value(l)).isEqualTo(0.0));
            assertThat(samples(after, "aws_ebs_burst_balance_ratio")).isNotEmpty()
                    .containsExactlyInAnyOrderElementsOf(samples(before, "aws_ebs_burst_balance_ratio"));
            assertThat(samples(after, "aws_ec2_cpu_credit_balance")).containsExactlyInAnyOrderElementsOf(samples(before, "aws_ec2_cpu_credit_balance"));
            assertThat(sum(after, "opsgate_aws_requests_total", "outcome=\"io_error\"")).isGreaterThan(0);
            assertThat(env.get("/-/healthy").statusCode()).isEqualTo(200);
            assertThat(env.get("/-/ready").statusCode()).isEqualTo(200);
        }
    }
}
