package io.opsgate.collect;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.sim.SimHealthCheck;
import io.opsgate.sim.SimLoadBalancer;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.ManualClock;
import io.opsgate.testing.PeerGeneration;
import io.opsgate.testing.SimulatedService;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The route53 and elbv2_targets collectors through the real SDK against the simulator, wired into the running
 * service: Route 53 collected once per account per cycle whatever the number of regions, healthy from the
 * AWS/Route53 HealthCheckStatus metric, per-region observations only for failing checks; target states and counts
 * against the simulator's fleet; the ELBv2 reads shared with discovery. Expectations come from the fleet model.
 */
class HealthCollectorsAgainstSimulatorTest {
    private static final String ACCOUNT = "123456789012";
    /** A fixed moment inside a flapping check's healthy half (epoch minute multiple of 10). */
    private static final Instant START = Instant.parse("2026-03-02T10:02:30Z");

    static String config(String regions, String extra) {
        return """
                collection:
                  interval: 1h
                  jitter: 0
                  collectors: [route53, elbv2_targets]
                %s
                aws:
                  regions: %s
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", rds: "${SIM}", elasticloadbalancing: "${SIM}", servicequotas: "${SIM}", route53: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 4, base_delay: 1ms, throttling_base_delay: 5ms, max_backoff: 50ms}
                accounts:
                  - name: a
                    id: "123456789012"
                discovery: {kinds: [elbv2-targets]}
                """.formatted(extra.indent(2).stripTrailing(), regions);
    }

    @Test
    void route53IsCollectedOncePerCycleWithThreeRegionsAndTargetHealthMatchesTheFleet() throws Exception {
        ManualClock clock = new ManualClock(START);
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withClock(clock)
                        .withFleetSize(10, 60), config("[eu-west-1, us-east-1, ap-southeast-2]", ""), clock)) {
            env.awaitReady(Duration.ofSeconds(60));
            env.simulator().resetCounts();
            env.collectOnce();
            String body = env.get("/metrics").body();
            List<SimHealthCheck> checks = env.simulator().fleet().healthChecks(ACCOUNT);

            // Once per account per cycle: one ListHealthChecks page, however many regions are configured; the Name
            // tags were read in the first cycle (2 calls of at most 10 checks) and are not read again within the hour.
            assertThat(env.simulator().requestCount("ListHealthChecks")).isEqualTo(1);
            assertThat(env.simulator().requestCount("ListTagsForResources")).isZero();
            List<String> routeUp = samples(body, "opsgate_collector_up").stream()
                    .filter(l -> label(l, "collector").equals("route53")).toList();
            assertThat(routeUp).singleElement().satisfies(l -> {
                assertThat(label(l, "region")).as("collected by the us-east-1 target").isEqualTo("us-east-1");
                assertThat(value(l)).isEqualTo(1.0);
            });

            Map<String, Double> healthy = byLabel(body, "aws_route53_health_check_healthy", "health_check_id");
            long now = clock.instant().getEpochSecond();
            Map<String, Double> expected = new HashMap<>();
            // The newest complete minute is the one the metric read (Minimum over 60 s).
            long minute = now / 60 * 60 - 60;
            checks.forEach(c -> expected.put(c.id(), c.healthyAt(minute) ? 1.0 : 0.0));
            assertThat(healthy).isEqualTo(expected);
            SimHealthCheck failing = checks.get(1);
            assertThat(failing.behaviour()).isEqualTo(SimHealthCheck.Behaviour.FAILING);
            assertThat(healthy.get(failing.id())).isZero();
            SimHealthCheck partial = checks.get(3);
            assertThat(healthy.get(partial.id())).as("two checker regions failing of eight: still healthy").isEqualTo(1.0);

            // Per-region observations only for the failing checks: one GetHealthCheckStatus each.
            Set<String> failingIds = expected.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            assertThat(env.simulator().requestCount("GetHealthCheckStatus")).isEqualTo(failingIds.size());
            List<String> checkers = samples(body, "aws_route53_health_check_checker_healthy");
            assertThat(checkers.stream().map(l -> label(l, "health_check_id")).collect(Collectors.toSet()))
                    .isEqualTo(failingIds);
            assertThat(checkers.stream().filter(l -> label(l, "health_check_id").equals(failing.id()))
                    .map(l -> label(l, "checker_region")).toList())
                    .containsExactlyInAnyOrderElementsOf(SimHealthCheck.CHECKER_REGIONS);
            assertThat(checkers).allSatisfy(l -> assertThat(value(l)).isZero());
            assertThat(samples(body, "aws_route53_health_check_info")).hasSize(checks.size())
                    .anySatisfy(l -> {
                        assertThat(label(l, "health_check_id")).isEqualTo(checks.get(0).id());
                        assertThat(label(l, "type")).isEqualTo("HTTPS");
                        assertThat(label(l, "target")).isEqualTo(checks.get(0).fqdn() + ":443/healthz");
                        assertThat(label(l, "name")).isEqualTo(checks.get(0).tags().get("Name")).isNotBlank();
                    })
                    .anySatisfy(l -> {
                        assertThat(label(l, "health_check_id")).isEqualTo(checks.get(3).id());
                        assertThat(label(l, "name")).as("a check without tags").isEmpty();
                    });
            assertThat(samples(body, "aws_route53_health_check_healthy")).allSatisfy(l -> {
                assertThat(label(l, "account_id")).isEqualTo(ACCOUNT);
                assertThat(body).doesNotContain("aws_route53_health_check_healthy{account_id=\"" + ACCOUNT
                        + "\",region=");
            });

            // The ELBv2 reads once per region and cycle, shared by the collectors and discovery.
            for (String region : List.of("eu-west-1", "us-east-1", "ap-southeast-2")) {
                List<SimLoadBalancer> lbs = env.simulator().fleet().loadBalancers(ACCOUNT, region);
                Map<String, Double> states = new HashMap<>();
                Map<String, Double> counts = new HashMap<>();
                for (String l : samples(body, "aws_elbv2_target_health")) {
                    if (label(l, "region").equals(region) && value(l) == 1.0) {
                        states.put(label(l, "target_group") + "/" + label(l, "target_id") + ":" + label(l, "port"),
                                (double) Elbv2TargetFamilies.STATES.indexOf(label(l, "state")));
                    }
                }
                for (String l : samples(body, "aws_elbv2_target_group_targets")) {
                    if (label(l, "region").equals(region)) {
                        counts.put(label(l, "target_group") + "/" + label(l, "state"), value(l));
                    }
                }
                Map<String, Double> expectedStates = new HashMap<>();
                Map<String, Double> expectedCounts = new HashMap<>();
                for (SimLoadBalancer lb : lbs) {
                    for (SimLoadBalancer.TargetGroup tg : lb.targetGroups()) {
                        String group = tg.arn().substring(tg.arn().indexOf(":targetgroup/") + 1);
                        Elbv2TargetFamilies.STATES.forEach(s -> expectedCounts.put(group + "/" + s, 0.0));
                        for (SimLoadBalancer.Target t : tg.targets()) {
                            expectedStates.put(group + "/" + t.id() + ":" + t.port(),
                                    (double) Elbv2TargetFamilies.STATES.indexOf(t.state()));
                            expectedCounts.merge(group + "/" + t.state(), 1.0, Double::sum);
                        }
                    }
                }
                assertThat(states).as(region).isEqualTo(expectedStates);
                assertThat(counts).as(region).isEqualTo(expectedCounts);
            }
            List<String> fleetStates = List.of("eu-west-1", "us-east-1", "ap-southeast-2").stream()
                    .flatMap(r -> env.simulator().fleet().loadBalancers(ACCOUNT, r).stream())
                    .flatMap(lb -> lb.targetGroups().stream()).flatMap(tg -> tg.targets().stream())
                    .map(SimLoadBalancer.Target::state).distinct().toList();
            assertThat(fleetStates).as("the fleet has unhealthy, draining and unused targets")
                    .contains("healthy", "unhealthy", "draining", "unused");
            assertThat(samples(body, "aws_elbv2_target_health").stream().map(l -> label(l, "state")).distinct())
                    .as("one series per target, in its own state only").containsExactlyInAnyOrderElementsOf(fleetStates);
            assertThat(samples(body, "aws_elbv2_target_health")).as("every sample is a current state").allSatisfy(l ->
                    assertThat(value(l)).isEqualTo(1.0));
            assertThat(samples(body, "aws_elbv2_target_health_reason")).anySatisfy(l ->
                    assertThat(label(l, "reason")).isEqualTo("Target.DeregistrationInProgress"));
            assertThat(env.simulator().requestCount("DescribeTargetGroups")).isEqualTo(3);
            assertThat(env.simulator().requestCount("DescribeLoadBalancers")).isEqualTo(3);
            long groups = List.of("eu-west-1", "us-east-1", "ap-southeast-2").stream()
                    .mapToLong(r -> env.simulator().fleet().loadBalancers(ACCOUNT, r).stream()
                            .mapToLong(lb -> lb.targetGroups().size()).sum()).sum();
            assertThat(env.simulator().requestCount("DescribeTargetHealth")).isEqualTo(groups);
            assertThat(env.get("/sd/elbv2-targets").body()).contains("__meta_elbv2_target_health");

            // The new families pass promtool's exposition lint, in both peer generations.
            java.nio.file.Path scraped = java.nio.file.Files.createTempFile("health-metrics", ".txt");
            try {
                java.nio.file.Files.writeString(scraped, body);
                for (PeerGeneration generation : PeerGeneration.values()) {
                    Process check = new ProcessBuilder(generation.promtool().toString(), "check", "metrics")
                            .redirectInput(scraped.toFile()).redirectErrorStream(true).start();
                    String output = new String(check.getInputStream().readAllBytes());
                    assertThat(check.waitFor()).as(generation + ": " + output).isZero();
                    assertThat(output).as(generation.name()).isBlank();
                }
            } finally {
                java.nio.file.Files.deleteIfExists(scraped);
            }
        }
    }

    static Map<String, Double> byLabel(String body, String metric, String labelName) {
        Map<String, Double> out = new HashMap<>();
        samples(body, metric).forEach(l -> out.put(label(l, labelName), value(l)));
        return out;
    }
}
