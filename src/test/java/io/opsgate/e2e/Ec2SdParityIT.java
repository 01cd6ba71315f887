package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimNetwork;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.opsgate.testing.PeerGeneration;
import io.opsgate.testing.PerGeneration;
import io.opsgate.testing.PrometheusServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parity with Prometheus itself. One simulated fleet (two accounts, three account-regions) is discovered twice by a
 * real {@code prometheus}: by its own {@code ec2_sd_config} pointed at the simulator (one block per account and
 * region, as ec2_sd requires), and by {@code http_sd_config} pointed at {@code opsgate run}'s {@code /sd/ec2}, which
 * read the same fleet through the Java SDK. Through Prometheus's {@code /api/v1/targets}, every {@code __meta_ec2_*}
 * label of every target must be identical, and the same relabel rules must produce the same target labels and drop
 * the same targets. Once with Prometheus 2.42 and once with 3.5 (one of each beside the same OpsGate): OpsGate serves
 * 3.5's label set, so against 2.42 the labels 3.5 added are the only, and expected, difference.
 */
class Ec2SdParityIT {
    private static final String TOKEN = "parity-token";
    /** ec2_sd labels Prometheus added after 2.42 (in 2.47) that OpsGate serves because 3.5 has them. */
    private static final Set<String> LABELS_SINCE_2_47 = Set.of("__meta_ec2_primary_ipv6_addresses");
    private static final List<String[]> TARGETS = List.of(
            new String[] {"111111111111", "us-east-1"},
            new String[] {"222222222222", "us-east-1"},
            new String[] {"222222222222", "eu-west-1"});
    /** Rules written for ec2_sd_config, exercising list labels, optional labels, tags, labelmap, keep and drop. */
    private static final String RELABEL = """
                relabel_configs:
                  - source_labels: [__meta_ec2_tag_Environment]
                    regex: dev
                    action: drop
                  - source_labels: [__meta_ec2_tag_Name]
                    target_label: instance
                  - source_labels: [__meta_ec2_availability_zone_id]
                    target_label: az_id
                  - source_labels: [__meta_ec2_subnet_id]
                    regex: ',([^,]+),.*'
                    target_label: first_subnet
                  - source_labels: [__meta_ec2_ipv6_addresses]
                    regex: ',([^,]+),.*'
                    target_label: ipv6
                  - source_labels: [__meta_ec2_public_ip, __meta_ec2_public_dns_name]
                    regex: '(.+);(.+)'
                    replacement: '$1 $2'
                    target_label: public
                  - source_labels: [__meta_ec2_platform, __meta_ec2_instance_lifecycle, __meta_ec2_architecture]
                    separator: '/'
                    target_label: shape
                  - source_labels: [__meta_ec2_owner_id, __meta_ec2_region, __meta_ec2_availability_zone]
                    separator: '/'
                    target_label: location
                  - source_labels: [__meta_ec2_private_ip, __meta_ec2_private_dns_name, __meta_ec2_instance_type, __meta_ec2_ami, __meta_ec2_vpc_id, __meta_ec2_primary_subnet_id, __meta_ec2_instance_state, __meta_ec2_instance_id]
                    separator: '|'
                    target_label: facts
                  - regex: __meta_ec2_tag_(.+)
                    action: labelmap
                    replacement: tag_$1
            """;

    @TempDir
    static Path work;
    private static Vertx vertx;
    private static AwsSimulator simulator;
    private static GatewayProcess opsgate;
    private static PerGeneration<PrometheusServer> prometheus;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        simulator = AwsSimulator.start(vertx, SimulatorOptions.defaults().withFleetSize(10, 150))
                .toCompletionStage().toCompletableFuture().get();
        String sim = simulator.endpoint();

        int opsgatePort = FreePort.pick();
        Path config = work.resolve("opsgate.yml");
        Files.writeString(config, """
                collection:
                  interval: 1h
                  jitter: 0
                  # What the parity needs (the instances), as before the tags collector: the wait is for its first cycle.
                  collectors: [ebs, ec2, ec2_status]
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "%1$s", cloudwatch: "%1$s", sts: "%1$s", servicequotas: "%1$s"}
                  credentials: {access_key_id: AKIAOPSGATEPARITY000, secret_access_key: not-a-secret}
                accounts:
                  - role_arn: arn:aws:iam::111111111111:role/opsgate
                  - role_arn: arn:aws:iam::222222222222:role/opsgate
                    regions: [us-east-1, eu-west-1]
                discovery:
                  kinds: [ec2]
                  auth: {bearer_token: %2$s}
                """.formatted(sim, TOKEN));
        // Healthy is enough: until its first cycle /sd/ec2 serves [], and Prometheus refreshes every 2s.
        opsgate = GatewayProcess.run(config, opsgatePort, work.resolve("opsgate.log"));

        StringBuilder yml = new StringBuilder("""
                global:
                  scrape_interval: 1h
                scrape_configs:
                """);
        for (String[] t : TARGETS) {
            // The simulator attributes an ASIA key to the account digits it carries, as it does for AssumeRole keys.
            yml.append("""
                      - job_name: native-%1$s-%2$s
                        ec2_sd_configs:
                          - endpoint: %3$s
                            region: %2$s
                            access_key: ASIA%1$sPROM
                            secret_key: not-a-secret
                            port: 9100
                            refresh_interval: 2s
                            filters:
                              - name: instance-state-name
                                values: [running]
                    """.formatted(t[0], t[1], sim)).append(RELABEL);
        }
        yml.append("""
                  - job_name: opsgate
                    http_sd_configs:
                      - url: http://127.0.0.1:%d/sd/ec2?port=9100
                        refresh_interval: 2s
                        authorization: {credentials: %s}
                """.formatted(opsgatePort, TOKEN)).append(RELABEL);
        String prometheusYml = yml.toString();
        prometheus = new PerGeneration<>(g -> PrometheusServer.start(g, prometheusYml,
                work.resolve("prometheus-" + g.name().toLowerCase())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (opsgate != null) {
            opsgate.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static int runningInstances() {
        int n = 0;
        for (String[] t : TARGETS) {
            n += (int) simulator.fleet().instances(t[0], t[1]).stream().filter(SimInstance::running).count();
        }
        return n;
    }

    /** Active and dropped targets per side, keyed by instance id, once both sides have discovered all of them. */
    private static Map<String, Map<String, JsonNode>> awaitBothSides(PrometheusServer prometheus, int expected) throws Exception {
        AtomicReference<Map<String, Map<String, JsonNode>>> sides = new AtomicReference<>(Map.of());
        try {
            return Awaitility.await("both sides discover " + expected + " targets").atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        sides.set(sides(prometheus));
                        return sides.get();
                    }, s -> s.get("native").size() == expected && s.get("opsgate").size() == expected);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("discovered native=" + sides.get().getOrDefault("native", Map.of()).size() + " opsgate="
                    + sides.get().getOrDefault("opsgate", Map.of()).size() + " of " + expected + " on " + prometheus
                    + "; simulator calls: " + simulator.requestCounts() + "\nprometheus log:\n" + prometheus.log(), e);
        }
    }

    private static Map<String, Map<String, JsonNode>> sides(PrometheusServer prometheus) throws Exception {
        JsonNode data = prometheus.api("/api/v1/targets?state=any");
        Map<String, JsonNode> nativeSide = new HashMap<>();
        Map<String, JsonNode> ours = new HashMap<>();
        for (String list : List.of("activeTargets", "droppedTargets")) {
            for (JsonNode t : data.get(list)) {
                JsonNode discovered = t.get("discoveredLabels");
                // Dropped targets carry no job label in 2.42; only http_sd entries have __meta_aws_account_id.
                boolean fromOpsgate = discovered.has("__meta_aws_account_id");
                String id = discovered.path("__meta_ec2_instance_id").asText();
                (fromOpsgate ? ours : nativeSide).put(id, t);
            }
        }
        return Map.of("native", nativeSide, "opsgate", ours);
    }

    private static Map<String, String> labels(JsonNode node, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void everyEc2MetaLabelOfEveryTargetIsIdentical(PeerGeneration generation) throws Exception {
        int expected = runningInstances();
        Map<String, Map<String, JsonNode>> sides = awaitBothSides(prometheus.get(generation), expected);
        Map<String, JsonNode> nativeSide = sides.get("native");
        Map<String, JsonNode> ours = sides.get("opsgate");
        assertThat(ours.keySet()).isEqualTo(nativeSide.keySet());

        List<String> differences = new ArrayList<>();
        // OpsGate serves 3.5's label set; a release that predates a label cannot emit it (nor relabel on it).
        Set<String> newerThanPeer = generation == PeerGeneration.STABLE ? LABELS_SINCE_2_47 : Set.of();
        int withNewer = 0;
        int withPublicIp = 0;
        int withIpv6 = 0;
        int withPlatform = 0;
        int withLifecycle = 0;
        for (String id : nativeSide.keySet()) {
            JsonNode n = nativeSide.get(id).get("discoveredLabels");
            JsonNode o = ours.get(id).get("discoveredLabels");
            Map<String, String> nativeLabels = labels(n, "__meta_ec2_");
            Map<String, String> ourLabels = labels(o, "__meta_ec2_");
            assertThat(nativeLabels.keySet().stream().filter(newerThanPeer::contains))
                    .as(generation + " emits none of " + newerThanPeer).isEmpty();
            withNewer += ourLabels.keySet().stream().anyMatch(newerThanPeer::contains) ? 1 : 0;
            ourLabels.keySet().removeAll(newerThanPeer);
            if (!nativeLabels.equals(ourLabels)) {
                differences.add(id + ":\n  ec2_sd:  " + nativeLabels + "\n  opsgate: " + ourLabels);
            }
            assertThat(o.get("__address__").asText()).isEqualTo(n.get("__address__").asText());
            assertThat(o.get("__meta_aws_account_id").asText()).isEqualTo(n.get("__meta_ec2_owner_id").asText());
            withPublicIp += nativeLabels.containsKey("__meta_ec2_public_ip") ? 1 : 0;
            withIpv6 += nativeLabels.containsKey("__meta_ec2_ipv6_addresses") ? 1 : 0;
            withPlatform += nativeLabels.containsKey("__meta_ec2_platform") ? 1 : 0;
            withLifecycle += nativeLabels.containsKey("__meta_ec2_instance_lifecycle") ? 1 : 0;
        }
        assertThat(differences).as(String.join("\n", differences)).isEmpty();
        // The comparison covered the optional labels, not only the ones every instance has.
        assertThat(withPublicIp).isPositive();
        assertThat(withIpv6).isPositive();
        assertThat(withPlatform).isPositive();
        assertThat(withLifecycle).isPositive();
        if (!newerThanPeer.isEmpty()) {
            assertThat(withNewer).as("targets where OpsGate has a label " + generation + " predates").isPositive();
        } else {
            int withPrimaryIpv6 = (int) nativeSide.values().stream()
                    .filter(t -> t.get("discoveredLabels").has("__meta_ec2_primary_ipv6_addresses")).count();
            assertThat(withPrimaryIpv6).as("3.5's primary IPv6 label was compared").isPositive();
        }
        SimInstance first = simulator.fleet().instances("111111111111", "us-east-1").get(0);
        SimNetwork net = simulator.fleet().network("111111111111", "us-east-1", first.id());
        assertThat(nativeSide.get(first.id()).get("discoveredLabels").get("__meta_ec2_tag_cost_center").asText())
                .as("tag sanitisation collision resolved the same way").isEqualTo("cc-2");
        assertThat(net.publicIp()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void relabelRulesWrittenForEc2SdGiveTheSameTargetsAndLabels(PeerGeneration generation) throws Exception {
        Map<String, Map<String, JsonNode>> sides = awaitBothSides(prometheus.get(generation), runningInstances());
        Map<String, JsonNode> nativeSide = sides.get("native");
        Map<String, JsonNode> ours = sides.get("opsgate");
        int dropped = 0;
        int kept = 0;
        for (String id : nativeSide.keySet()) {
            JsonNode n = nativeSide.get(id);
            JsonNode o = ours.get(id);
            boolean nativeDropped = !n.has("labels") || n.get("labels").isEmpty();
            boolean ourDropped = !o.has("labels") || o.get("labels").isEmpty();
            assertThat(ourDropped).as(id + " dropped on both sides or neither").isEqualTo(nativeDropped);
            if (nativeDropped) {
                dropped++;
                continue;
            }
            kept++;
            Map<String, String> nativeLabels = labels(n.get("labels"), "");
            Map<String, String> ourLabels = labels(o.get("labels"), "");
            nativeLabels.remove("job");
            ourLabels.remove("job");
            assertThat(ourLabels).as(id).isEqualTo(nativeLabels);
        }
        assertThat(dropped).as("the drop rule matched something").isPositive();
        assertThat(kept).isPositive();
    }
}
