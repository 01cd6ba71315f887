package io.opsgate.collect;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A collector that runs beside the cycle (elbv2_targets here, whose calls AWS paces) does not hold the cycle's
 * result: through the real SDK against the simulator, with DescribeTargetHealth held unanswered by the simulator until
 * the test lets it go, the EBS and EC2 families are published at once while the ELBv2 ones stay as they were; the next
 * cycle does not start the still-running read again and counts a skip; when the read ends its families reach the
 * snapshot, /metrics and discovery as a result of their own, and the per-collector gauges show when it last succeeded
 * and how long it took.
 */
class BesideCollectorsAgainstSimulatorTest {
    private static final String HELD = "DescribeTargetHealth";

    private static String config() {
        return """
                collection:
                  interval: 1h
                  jitter: 0
                  collectors: [ebs, ec2, elbv2_targets]
                  elbv2_targets: {concurrency: 2, requests_per_second: 1000}
                discovery: {kinds: [elbv2-targets]}
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", elasticloadbalancing: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 2, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 10ms}
                accounts:
                  - name: a
                    id: "123456789012"
                """;
    }

    @Test
    void aSlowTargetHealthReadDoesNotHoldTheEbsAndEc2FamiliesWhichArriveFirstAndItsOwnLater() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(20, 100),
                config())) {
            env.awaitReady(Duration.ofSeconds(60));
            // A throttled read keeps every group's targets marked stale: the families a later read visibly replaces.
            env.simulator().faults().setThrottledOperations(Set.of(HELD));
            env.collectOnce();
            String before = env.get("/metrics").body();
            Map<String, Double> staleBefore = stale(before);
            assertThat(staleBefore).isNotEmpty().allSatisfy((group, v) -> assertThat(v).isEqualTo(1.0));
            env.simulator().faults().setThrottledOperations(Set.of());

            env.simulator().faults().hold(HELD);
            env.simulator().resetCounts();
            SimulatedService.await(env.service().collection().runAllOnce());
            long sequenceDone = System.nanoTime();
            Awaitility.await("the target health read waiting on the simulator").atMost(Duration.ofSeconds(20))
                    .until(() -> env.simulator().requestCount(HELD) > 0);
            env.awaitRendered();
            String published = env.get("/metrics").body();
            assertThat(lastSuccess(published, "ebs")).as("EBS published while ELBv2 is still reading")
                    .isGreaterThan(lastSuccess(before, "ebs"));
            assertThat(lastSuccess(published, "ec2")).isGreaterThan(lastSuccess(before, "ec2"));
            assertThat(samples(published, "aws_ebs_volume_info")).isNotEmpty();
            assertThat(lastSuccess(published, "elbv2_targets")).as("neither succeeded nor failed yet")
                    .isEqualTo(lastSuccess(before, "elbv2_targets"));
            assertThat(gauge(published, "opsgate_collector_up", "elbv2_targets")).isEqualTo(1.0);
            assertThat(took(published, "elbv2_targets")).isEqualTo(took(before, "elbv2_targets"));
            assertThat(stale(published)).as("its previous families stay").isEqualTo(staleBefore);
            assertThat(discoverySuccess(published)).as("discovery waits for the collector's own result")
                    .isEqualTo(discoverySuccess(before));

            // The interval comes round while the read still goes: not started again, a skip counted.
            SimulatedService.await(env.service().collection().runAllOnce());
            env.awaitRendered();
            String skippedCycle = env.get("/metrics").body();
            assertThat(env.simulator().requestCount("DescribeTargetGroups")).as("one run only").isEqualTo(1);
            assertThat(gauge(skippedCycle, "opsgate_collector_skipped_total", "elbv2_targets")).isEqualTo(1.0);
            assertThat(lastSuccess(skippedCycle, "ebs")).isGreaterThan(lastSuccess(published, "ebs"));
            assertThat(lastSuccess(skippedCycle, "elbv2_targets")).isEqualTo(lastSuccess(before, "elbv2_targets"));

            long released = System.nanoTime();
            env.simulator().faults().release(HELD);
            SimulatedService.await(env.service().collection().besideRecorded());
            env.awaitRendered();
            String late = env.get("/metrics").body();
            assertThat(stale(late)).as("the groups read by the late result").hasSameSizeAs(staleBefore)
                    .allSatisfy((group, v) -> assertThat(v).isZero());
            assertThat(lastSuccess(late, "elbv2_targets")).isGreaterThan(lastSuccess(skippedCycle, "ebs"));
            assertThat(gauge(late, "opsgate_collector_up", "elbv2_targets")).isEqualTo(1.0);
            // From the start of its cycle (before the first runAllOnce returned) until its families were built (after
            // the release): at least the time between those two, and longer than that cycle's EBS took.
            assertThat(took(late, "elbv2_targets")).isGreaterThanOrEqualTo((released - sequenceDone) / 1e9)
                    .isGreaterThan(took(published, "ebs"));
            assertThat(took(late, "ebs")).isEqualTo(took(skippedCycle, "ebs"));
            assertThat(env.simulator().requestCount(HELD)).as("discovery reused the collector's read")
                    .isEqualTo((long) staleBefore.size());
            assertThat(discoverySuccess(late)).isGreaterThan(discoverySuccess(before));
            assertThat(samples(late, "opsgate_discovery_up").stream().filter(l -> label(l, "kind").equals("elbv2-targets")))
                    .singleElement().satisfies(l -> assertThat(value(l)).isEqualTo(1.0));
            assertThat(env.get("/sd/elbv2-targets").body()).contains("__meta_elbv2_target_health");
        }
    }

    private static Map<String, Double> stale(String body) {
        Map<String, Double> out = new TreeMap<>();
        samples(body, "opsgate_elbv2_target_health_stale").forEach(l -> out.put(label(l, "target_group"), value(l)));
        return out;
    }

    private static double gauge(String body, String name, String collector) {
        return samples(body, name).stream().filter(l -> collector.equals(label(l, "collector")))
                .mapToDouble(l -> value(l)).findFirst().orElseThrow(() -> new AssertionError(name + " " + collector));
    }

    private static double lastSuccess(String body, String collector) {
        return gauge(body, "opsgate_collection_last_success_timestamp_seconds", collector);
    }

    private static double took(String body, String collector) {
        return gauge(body, "opsgate_collector_duration_seconds", collector);
    }

    private static double discoverySuccess(String body) {
        return samples(body, "opsgate_discovery_last_success_timestamp_seconds").stream()
                .filter(l -> label(l, "kind").equals("elbv2-targets")).mapToDouble(l -> value(l)).findFirst()
                .orElseThrow();
    }
}
