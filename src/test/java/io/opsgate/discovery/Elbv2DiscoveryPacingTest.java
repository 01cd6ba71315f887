package io.opsgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Discovery's elbv2-targets kind with the elbv2_targets collector off reads the load balancers, target groups and
 * target health itself: through the real SDK against the simulator, those calls keep to
 * {@code collection.elbv2_targets.requests_per_second} like the collectors' (AWS throttles every ELBv2 Describe* call
 * of an account and Region from one bucket), so a refresh of N calls lasts at least (N − burst) / rate.
 */
class Elbv2DiscoveryPacingTest {
    private static final double RATE = 2;
    /** Four seconds' worth, as AWS's bucket of 40 at 10 a second. */
    private static final int BURST = 8;
    private static final List<String> ELBV2 = List.of("DescribeLoadBalancers", "DescribeTargetGroups",
            "DescribeTargetHealth");

    @Test
    void discoverysOwnTargetHealthReadsArePacedWithTheCollectors() throws Exception {
        String config = """
                collection:
                  interval: 1h
                  jitter: 0
                  collectors: [ebs]
                  elbv2_targets: {requests_per_second: %s}
                discovery: {kinds: [elbv2-targets]}
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", elasticloadbalancing: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                accounts:
                  - name: a
                    id: "123456789012"
                """.formatted(RATE);
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(10, 600), config)) {
            env.awaitReady(Duration.ofSeconds(60));
            env.simulator().resetCounts();
            long started = System.nanoTime();
            env.collectOnce();
            double seconds = (System.nanoTime() - started) / 1e9;
            long calls = ELBV2.stream().mapToLong(op -> env.simulator().requestCount(op)).sum();
            assertThat(calls).as("enough ELBv2 calls to spend the burst").isGreaterThanOrEqualTo(BURST + 6);
            assertThat(seconds).as("%d ELBv2 calls at %s a second after a burst of %d", calls, RATE, BURST)
                    .isGreaterThanOrEqualTo((calls - BURST) / RATE - 0.05);
            assertThat(env.get("/sd/elbv2-targets").body()).contains("__meta_elbv2_target_health");
        }
    }
}
