package io.opsgate.collect;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.sim.SimDatabase;
import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimLoadBalancer;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@code tags} collector through the real SDK against the simulator: every volume, instance, RDS DB instance and
 * load balancer the Describe APIs list is checked, untagged ones included, and exactly the missing tags are exported.
 * The expectation is computed from the simulator's fleet model, not from what the service read.
 */
class RequiredTagsAgainstSimulatorTest {
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";

    private static String config(String collection, String discovery) {
        return """
                collection:
                  interval: 1h
                  jitter: 0
                %s
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", rds: "${SIM}", elasticloadbalancing: "${SIM}", servicequotas: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                accounts:
                  - name: a
                    id: "123456789012"
                %s
                """.formatted(collection.indent(2).stripTrailing(), discovery);
    }

    /** "type/id/tag" for every required tag the fleet's resources lack, by the documented rule. */
    private static Set<String> expectedMissing(SimulatedService env, List<String> required) {
        Set<String> out = new HashSet<>();
        var fleet = env.simulator().fleet();
        for (SimVolume v : fleet.volumes(ACCOUNT, REGION)) {
            add(out, "ebs_volume", v.id(), v.tags(), required);
        }
        for (SimInstance i : fleet.instances(ACCOUNT, REGION)) {
            add(out, "ec2_instance", i.id(), i.tags(), required);
        }
        for (SimDatabase d : fleet.databases(ACCOUNT, REGION)) {
            add(out, "rds_db_instance", d.identifier(), d.tags(), required);
        }
        for (SimLoadBalancer lb : fleet.loadBalancers(ACCOUNT, REGION)) {
            add(out, "elbv2_load_balancer", lb.arn().substring(lb.arn().indexOf(":loadbalancer/") + 14), lb.tags(), required);
        }
        return out;
    }

    private static void add(Set<String> out, String type, String id, Map<String, String> tags, List<String> required) {
        for (String key : required) {
            String value = tags.get(key);
            if (value == null || value.isBlank()) {
                out.add(type + "/" + id + "/" + key);
            }
        }
    }

    private static Set<String> exported(String body) {
        return samples(body, "aws_resource_missing_tag").stream()
                .peek(l -> assertThat(value(l)).isEqualTo(1.0))
                .peek(l -> assertThat(label(l, "account_id")).isEqualTo(ACCOUNT))
                .map(l -> label(l, "resource_type") + "/" + label(l, "resource_id") + "/" + label(l, "tag"))
                .collect(Collectors.toSet());
    }

    private static Map<String, Double> byType(String body, String metric) {
        Map<String, Double> out = new HashMap<>();
        samples(body, metric).forEach(l -> out.put(label(l, "resource_type"), value(l)));
        return out;
    }

    @Test
    void defaultPolicyFindsUntaggedAndPartlyTaggedResourcesOfEveryType() throws Exception {
        // 525 instances give 21 load balancers: two DescribeTags calls of at most 20 ARNs.
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(60, 525),
                config("", "discovery: {kinds: [rds, elbv2-targets]}"))) {
            env.awaitReady(Duration.ofSeconds(60));
            env.simulator().resetCounts();
            env.collectOnce();
            String body = env.get("/metrics").body();
            List<String> required = List.of("Name", "Environment", "Project", "Service");
            Set<String> expected = expectedMissing(env, required);
            Set<String> exported = exported(body);
            assertThat(exported).isEqualTo(expected);

            var fleet = env.simulator().fleet();
            SimVolume untaggedVolume = fleet.volumes(ACCOUNT, REGION).stream().filter(v -> v.tags().isEmpty()).findFirst().orElseThrow();
            assertThat(exported).as("a volume with no tag at all").contains(
                    "ebs_volume/" + untaggedVolume.id() + "/Name", "ebs_volume/" + untaggedVolume.id() + "/Service");
            assertThat(fleet.volumes(ACCOUNT, REGION)).as("an empty Service value counts as missing")
                    .anySatisfy(v -> {
                        assertThat(v.tags()).containsEntry("Service", "");
                        assertThat(exported).contains("ebs_volume/" + v.id() + "/Service");
                    });
            SimInstance partly = fleet.instances(ACCOUNT, REGION).get(1);
            assertThat(exported).contains("ec2_instance/" + partly.id() + "/Project", "ec2_instance/" + partly.id() + "/Service")
                    .doesNotContain("ec2_instance/" + partly.id() + "/Name");
            assertThat(exported).doesNotContain("ec2_instance/" + fleet.instances(ACCOUNT, REGION).get(0).id() + "/Name",
                    "ec2_instance/" + fleet.instances(ACCOUNT, REGION).get(0).id() + "/Service");
            SimDatabase db = fleet.databases(ACCOUNT, REGION).get(1);
            assertThat(exported).contains("rds_db_instance/" + db.identifier() + "/Name");
            SimLoadBalancer bare = fleet.loadBalancers(ACCOUNT, REGION).get(1);
            assertThat(bare.tags()).isEmpty();
            String lbId = bare.arn().substring(bare.arn().indexOf(":loadbalancer/") + 14);
            assertThat(lbId).startsWith("net/");
            assertThat(exported).as("a load balancer without tags (DescribeTags lists none)")
                    .contains("elbv2_load_balancer/" + lbId + "/Name", "elbv2_load_balancer/" + lbId + "/Project");

            int volumes = fleet.volumes(ACCOUNT, REGION).size();
            int lbs = fleet.loadBalancers(ACCOUNT, REGION).size();
            assertThat(byType(body, "aws_tag_policy_resources")).isEqualTo(Map.of("ebs_volume", (double) volumes,
                    "ec2_instance", 525.0, "rds_db_instance", (double) fleet.databases(ACCOUNT, REGION).size(),
                    "elbv2_load_balancer", (double) lbs));
            Map<String, Double> untagged = byType(body, "aws_tag_policy_untagged_resources");
            assertThat(untagged.get("ebs_volume")).isEqualTo(fleet.volumes(ACCOUNT, REGION).stream().filter(v -> v.tags().isEmpty()).count());
            assertThat(untagged.get("elbv2_load_balancer")).isGreaterThanOrEqualTo(1.0);
            assertThat(untagged.get("ec2_instance")).isZero();
            Map<String, Double> noncompliant = byType(body, "aws_tag_policy_noncompliant_resources");
            assertThat(noncompliant.get("ec2_instance")).isEqualTo(expected.stream().filter(s -> s.startsWith("ec2_instance/"))
                    .map(s -> s.substring(0, s.lastIndexOf('/'))).distinct().count());

            // One read of each kind per cycle, shared by the collectors and by discovery; DescribeTags 20 ARNs a call.
            assertThat(lbs).isGreaterThan(20);
            assertThat(env.simulator().requestCount("DescribeTags")).isEqualTo((lbs + 19) / 20);
            assertThat(env.simulator().requestCount("DescribeLoadBalancers")).isEqualTo(1);
            assertThat(env.simulator().requestCount("DescribeDBInstances")).isEqualTo(1);
            assertThat(env.simulator().requestCount("DescribeVolumes")).isEqualTo(1);
            assertThat(env.simulator().requestCount("DescribeInstances")).isEqualTo(1);
            assertThat(samples(body, "opsgate_collector_up")).allSatisfy(l -> assertThat(value(l)).isEqualTo(1.0));
        }
    }

    @Test
    void theRequiredTagsAreConfigurableAndTheCollectorRunsAlone() throws Exception {
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults(),
                config("collectors: [tags]\nrequired_tags: [Team, aws:cloudformation:stack-name]", ""))) {
            env.awaitReady(Duration.ofSeconds(60));
            String body = env.get("/metrics").body();
            List<String> required = List.of("Team", "aws:cloudformation:stack-name");
            Set<String> exported = exported(body);
            assertThat(exported).isEqualTo(expectedMissing(env, required));
            assertThat(exported).anyMatch(s -> s.endsWith("/aws:cloudformation:stack-name"))
                    .noneMatch(s -> s.endsWith("/Name") || s.endsWith("/Project"));
            assertThat(samples(body, "aws_ebs_volume_info")).as("the ebs collector is off").isEmpty();
            assertThat(samples(body, "opsgate_collector_up")).singleElement()
                    .satisfies(l -> assertThat(label(l, "collector")).isEqualTo("tags"))
                    .satisfies(l -> assertThat(value(l)).isEqualTo(1.0));
        }
    }
}
