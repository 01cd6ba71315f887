package io.opsgate.collect;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.sim.SimLoadBalancer;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * DescribeTargetHealth through the real SDK against the simulator: the calls of one cycle overlap, up to
 * {@code collection.elbv2_targets.concurrency} at once (the simulator's own count of requests in flight); throttled
 * past the SDK's retries, the cycle stops asking, keeps every group's last targets marked stale and does not mark the
 * collector down; the next unthrottled cycle reads them all again.
 */
class Elbv2TargetHealthAgainstSimulatorTest {
    private static final String ACCOUNT = "123456789012";
    private static final int CONCURRENCY = 4;
    private static final int MAX_ATTEMPTS = 3;

    private static String config() {
        return """
                collection:
                  interval: 1h
                  jitter: 0
                  collectors: [elbv2_targets]
                  elbv2_targets: {concurrency: %d, requests_per_second: 1000}
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", elasticloadbalancing: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: %d, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 10ms}
                accounts:
                  - name: a
                    id: "123456789012"
                """.formatted(CONCURRENCY, MAX_ATTEMPTS);
    }

    @Test
    void callsOverlapUpToTheConcurrencyAndThrottlingKeepsTheLastTargetsMarkedStale() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(10, 600),
                config())) {
            env.awaitReady(Duration.ofSeconds(60));
            int groups = env.simulator().fleet().loadBalancers(ACCOUNT, "us-east-1").stream()
                    .mapToInt(lb -> lb.targetGroups().size()).sum();
            assertThat(groups).as("enough groups to overlap").isGreaterThan(2 * CONCURRENCY);

            // Slow answers make the overlap certain: each call is in flight for 200 ms.
            env.simulator().faults().setOperationLatencies(Map.of("DescribeTargetHealth", Duration.ofMillis(200)));
            env.simulator().resetCounts();
            env.collectOnce();
            assertThat(env.simulator().requestCount("DescribeTargetHealth")).isEqualTo(groups);
            assertThat(env.simulator().maxInFlight("DescribeTargetHealth"))
                    .as("DescribeTargetHealth calls in flight at once").isGreaterThan(1).isLessThanOrEqualTo(CONCURRENCY);
            String fresh = env.get("/metrics").body();
            Map<String, Double> targets = health(fresh);
            assertThat(targets).isEqualTo(expected(env));
            assertThat(stale(fresh)).hasSize(groups).allSatisfy((group, v) -> assertThat(v).isZero());
            assertThat(up(fresh)).isEqualTo(1.0);

            env.simulator().faults().setOperationLatencies(Map.of());
            env.simulator().faults().setThrottledOperations(Set.of("DescribeTargetHealth"));
            env.simulator().resetCounts();
            env.collectOnce();
            String throttled = env.get("/metrics").body();
            // Each worker's call backs off through the SDK's attempts; after that no new call starts.
            assertThat(env.simulator().requestCount("DescribeTargetHealth"))
                    .isBetween((long) MAX_ATTEMPTS, (long) CONCURRENCY * MAX_ATTEMPTS)
                    .isLessThan(groups);
            assertThat(up(throttled)).as("throttling does not mark the collector down").isEqualTo(1.0);
            assertThat(health(throttled)).as("the last targets are kept").isEqualTo(targets);
            assertThat(stale(throttled)).hasSize(groups).allSatisfy((group, v) -> assertThat(v).isEqualTo(1.0));

            env.simulator().faults().setThrottledOperations(Set.of());
            env.simulator().resetCounts();
            env.collectOnce();
            String again = env.get("/metrics").body();
            assertThat(env.simulator().requestCount("DescribeTargetHealth")).isEqualTo(groups);
            assertThat(stale(again)).hasSize(groups).allSatisfy((group, v) -> assertThat(v).isZero());
            assertThat(health(again)).isEqualTo(targets);
        }
    }

    /** target group/target:port → state, for targets whose series is 1. */
    private static Map<String, Double> health(String body) {
        Map<String, Double> out = new HashMap<>();
        for (String l : samples(body, "aws_elbv2_target_health")) {
            out.put(label(l, "target_group") + "/" + label(l, "target_id") + ":" + label(l, "port"),
                    (double) Elbv2TargetFamilies.STATES.indexOf(label(l, "state")));
        }
        return out;
    }

    private static Map<String, Double> expected(SimulatedService env) {
        Map<String, Double> out = new HashMap<>();
        List<SimLoadBalancer> lbs = env.simulator().fleet().loadBalancers(ACCOUNT, "us-east-1");
        for (SimLoadBalancer lb : lbs) {
            for (SimLoadBalancer.TargetGroup tg : lb.targetGroups()) {
                String group = tg.arn().substring(tg.arn().indexOf(":targetgroup/") + 1);
                for (SimLoadBalancer.Target t : tg.targets()) {
                    out.put(group + "/" + t.id() + ":" + t.port(), (double) Elbv2TargetFamilies.STATES.indexOf(t.state()));
                }
            }
        }
        return out;
    }

    private static Map<String, Double> stale(String body) {
        Map<String, Double> out = new HashMap<>();
        samples(body, "opsgate_elbv2_target_health_stale").forEach(l -> out.put(label(l, "target_group"), value(l)));
        return out;
    }

    private static double up(String body) {
        return samples(body, "opsgate_collector_up").stream().filter(l -> label(l, "collector").equals("elbv2_targets"))
                .mapToDouble(l -> value(l)).findFirst().orElseThrow();
    }
}
