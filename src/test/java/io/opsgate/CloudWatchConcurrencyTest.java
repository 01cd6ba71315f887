package io.opsgate;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * GetMetricData batches of one (account, region) run concurrently within {@code collection.cloudwatch.concurrency},
 * and the cycle deadline holds inside the CloudWatch phase: measured at the simulator, through the real SDK.
 */
class CloudWatchConcurrencyTest {
    private static final String ACCOUNT = "111111111111";
    private static final String REGION = "us-east-1";

    private static String config(int cloudWatchConcurrency, String timeout) {
        return """
                collection:
                  interval: 1h
                  timeout: %s
                  jitter: 0
                  collectors: [ebs, ec2, ec2_status]
                  cloudwatch: {concurrency: %d}
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", servicequotas: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 3, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 20ms}
                accounts:
                  - name: a
                    role_arn: arn:aws:iam::111111111111:role/opsgate
                """.formatted(timeout, cloudWatchConcurrency);
    }

    /** GetMetricData calls one cycle of the fleet needs: ⌈queries/500⌉. */
    private static long expectedCalls(SimulatedService env) {
        long bursting = env.simulator().fleet().volumes(ACCOUNT, REGION).stream().filter(SimVolume::reportsBurstBalance).count();
        long crediting = env.simulator().fleet().instances(ACCOUNT, REGION).stream().filter(SimInstance::reportsCreditMetrics).count();
        return (bursting + 4 * crediting + 499) / 500;
    }

    @ParameterizedTest(name = "cloudwatch.concurrency {0}")
    @ValueSource(ints = {1, 3})
    void noMoreCallsInFlightThanTheLimitAndTheLimitIsUsed(int limit) throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(3000, 800),
                config(limit, "1h"))) {
            env.awaitReady(Duration.ofSeconds(60));
            long calls = expectedCalls(env);
            assertThat(calls).as("enough batches to fill the limit").isGreaterThan(limit);
            // Slow calls, so that every call the collector allows is in flight together at the simulator.
            env.simulator().faults().setOperationLatencies(Map.of("GetMetricData", Duration.ofMillis(250)));
            env.simulator().resetCounts();
            env.collectOnce();
            assertThat(env.simulator().requestCount("GetMetricData")).isEqualTo(calls);
            assertThat(env.simulator().maxInFlight("GetMetricData")).isEqualTo(limit);
            assertThat(samples(env.get("/metrics").body(), "opsgate_collector_up"))
                    .allSatisfy(l -> assertThat(value(l)).isEqualTo(1.0));
        }
    }

    @Test
    void pastTheDeadlineNoCallStartsAndThePreviousValuesStayServedAsStale() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(3000, 800),
                config(1, "10s"))) {
            env.awaitReady(Duration.ofSeconds(60));
            long calls = expectedCalls(env);
            String before = env.get("/metrics").body();
            List<String> burstBefore = samples(before, "aws_ebs_burst_balance_ratio");
            assertThat(burstBefore).isNotEmpty();
            Map<String, Double> lastSuccessBefore = lastSuccess(before);

            // One call at a time, 3.5 s each: the calls need far longer than the 10 s timeout.
            Duration latency = Duration.ofMillis(3500);
            long timeoutMs = 10_000;
            assertThat(calls * latency.toMillis()).isGreaterThan(timeoutMs + latency.toMillis());
            env.simulator().faults().setOperationLatencies(Map.of("GetMetricData", latency));
            env.simulator().resetCounts();
            env.collectOnce();

            // Stopped spending: only the calls begun before the deadline, and none after it.
            long spent = env.simulator().requestCount("GetMetricData");
            long startable = (timeoutMs + latency.toMillis() - 1) / latency.toMillis();
            assertThat(spent).isBetween(1L, startable).isLessThan(calls);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> env.simulator().requestCount("GetMetricData") == spent);
            assertThat(env.simulator().maxInFlight("GetMetricData")).isEqualTo(1);

            String after = env.get("/metrics").body();
            // The previous snapshot is kept: the same burst series with the same values, marked stale.
            assertThat(samples(after, "aws_ebs_burst_balance_ratio")).isEqualTo(burstBefore);
            Map<String, Double> up = samples(after, "opsgate_collector_up").stream()
                    .collect(Collectors.toMap(l -> label(l, "collector"), l -> value(l)));
            assertThat(up).containsEntry("ebs", 0.0).containsEntry("ec2", 0.0).containsEntry("ec2_status", 1.0);
            Map<String, Double> lastSuccessAfter = lastSuccess(after);
            assertThat(lastSuccessAfter.get("ebs")).isEqualTo(lastSuccessBefore.get("ebs"));
            assertThat(lastSuccessAfter.get("ec2_status")).isGreaterThan(lastSuccessBefore.get("ec2_status"));
            // The cycle ended at its deadline, not when the last call would have come back.
            assertThat(samples(after, "opsgate_collection_duration_seconds"))
                    .allSatisfy(l -> assertThat(value(l)).isLessThan((timeoutMs + latency.toMillis()) / 1000.0));

            // Once CloudWatch answers in time again, the next cycle succeeds.
            env.simulator().faults().clear();
            env.collectOnce();
            assertThat(samples(env.get("/metrics").body(), "opsgate_collector_up"))
                    .allSatisfy(l -> assertThat(value(l)).isEqualTo(1.0));
        }
    }

    private static Map<String, Double> lastSuccess(String body) {
        return samples(body, "opsgate_collection_last_success_timestamp_seconds").stream()
                .collect(Collectors.toMap(l -> label(l, "collector"), l -> value(l)));
    }
}
