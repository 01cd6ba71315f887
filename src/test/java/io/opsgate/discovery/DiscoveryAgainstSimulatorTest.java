package io.opsgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimDatabase;
import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimLoadBalancer;
import io.opsgate.sim.SimNetwork;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The http_sd endpoints of a running service whose collection loop read a simulated fleet through the real SDK.
 * Every expectation is computed from the simulator's fleet model, never written down by hand.
 */
class DiscoveryAgainstSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "sd-token-1";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("prometheus:s3cret".getBytes(StandardCharsets.UTF_8));
    private static final String CONFIG = """
            server:
              listen: "127.0.0.1:0"
            collection:
              interval: 1h
              jitter: 0
            aws:
              regions: [us-east-1]
              endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", rds: "${SIM}", elasticloadbalancing: "${SIM}", servicequotas: "${SIM}"}
              credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
              retry: {max_attempts: 3, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 20ms}
            accounts:
              - name: a
                role_arn: arn:aws:iam::111111111111:role/opsgate
              - name: b
                role_arn: arn:aws:iam::222222222222:role/opsgate
                regions: [us-east-1, eu-west-1]
            discovery:
              kinds: [ec2, rds, elbv2-targets]
              auth:
                username: prometheus
                password: s3cret
                bearer_token: %s
              jobs:
                - name: node
                  kind: ec2
                  port_tag: prometheus_port
                  tags: {Environment: prod}
                - name: postgres
                  kind: rds
                  engine: [postgres, aurora-postgresql]
                  port: 9187
            """.formatted(TOKEN);
    private static final List<String[]> TARGETS = List.of(
            new String[] {"111111111111", "us-east-1"},
            new String[] {"222222222222", "us-east-1"},
            new String[] {"222222222222", "eu-west-1"});

    private static SimulatedService env;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(20, 120), CONFIG);
        env.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        env.close();
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.service().port() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A 200 JSON array from an authorised request. */
    private static JsonNode groups(String path) throws Exception {
        HttpResponse<String> r = get(path, "Bearer " + TOKEN);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.isArray()).isTrue();
        for (JsonNode group : body) {
            // Prometheus's parser rejects any other key.
            assertThat(iterable(group.fieldNames())).containsExactlyInAnyOrder("targets", "labels");
        }
        return body;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static AwsSimulator sim() {
        return env.simulator();
    }

    private static List<SimInstance> instances(Predicate<SimInstance> which) {
        List<SimInstance> out = new ArrayList<>();
        for (String[] t : TARGETS) {
            sim().fleet().instances(t[0], t[1]).stream().filter(which).forEach(out::add);
        }
        return out;
    }

    private static Map<String, JsonNode> byLabel(JsonNode groups, String label) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode g : groups) {
            assertThat(out.put(g.path("labels").path(label).asText(), g)).as("duplicate " + label).isNull();
        }
        return out;
    }

    @Test
    void ec2ListsEveryRunningInstanceOfEveryAccountAndRegionWithEc2SdLabels() throws Exception {
        Map<String, JsonNode> served = byLabel(groups("/sd/ec2"), "__meta_ec2_instance_id");
        Set<String> running = instances(SimInstance::running).stream().map(SimInstance::id).collect(Collectors.toSet());
        assertThat(served.keySet()).isEqualTo(running);

        for (String[] t : TARGETS) {
            for (SimInstance i : sim().fleet().instances(t[0], t[1])) {
                if (!i.running()) {
                    continue;
                }
                JsonNode g = served.get(i.id());
                JsonNode labels = g.get("labels");
                SimNetwork net = sim().fleet().network(t[0], t[1], i.id());
                assertThat(g.get("targets").get(0).asText()).isEqualTo(i.privateIp() + ":80");
                assertThat(labels.get("__meta_aws_account_id").asText()).isEqualTo(t[0]);
                assertThat(labels.get("__meta_ec2_owner_id").asText()).isEqualTo(t[0]);
                assertThat(labels.get("__meta_ec2_region").asText()).isEqualTo(t[1]);
                assertThat(labels.get("__meta_ec2_availability_zone").asText()).isEqualTo(i.availabilityZone());
                assertThat(labels.get("__meta_ec2_availability_zone_id").asText())
                        .isEqualTo(sim().fleet().zoneId(t[0], i.availabilityZone()));
                assertThat(labels.get("__meta_ec2_instance_type").asText()).isEqualTo(i.instanceType());
                assertThat(labels.get("__meta_ec2_instance_state").asText()).isEqualTo("running");
                assertThat(labels.get("__meta_ec2_private_ip").asText()).isEqualTo(i.privateIp());
                assertThat(labels.get("__meta_ec2_ami").asText()).isEqualTo(i.imageId());
                assertThat(labels.get("__meta_ec2_vpc_id").asText()).isEqualTo(i.vpcId());
                assertThat(labels.get("__meta_ec2_primary_subnet_id").asText()).isEqualTo(i.subnetId());
                String subnets = "," + net.interfaces().stream().map(SimNetwork.Interface::subnetId)
                        .distinct().collect(Collectors.joining(",")) + ",";
                assertThat(labels.get("__meta_ec2_subnet_id").asText()).isEqualTo(subnets);
                List<String> v6 = net.interfaces().stream().flatMap(n -> n.ipv6Addresses().stream()).toList();
                if (v6.isEmpty()) {
                    assertThat(labels.has("__meta_ec2_ipv6_addresses")).isFalse();
                } else {
                    assertThat(labels.get("__meta_ec2_ipv6_addresses").asText()).isEqualTo("," + String.join(",", v6) + ",");
                }
                // Prometheus 2.47+: each interface's primary IPv6 address at its device index, gaps left empty.
                List<String> primaryV6 = new ArrayList<>();
                for (SimNetwork.Interface n : net.interfaces()) {
                    if (n.primaryIpv6() != null) {
                        while (primaryV6.size() <= n.deviceIndex()) {
                            primaryV6.add("");
                        }
                        primaryV6.set(n.deviceIndex(), n.primaryIpv6());
                    }
                }
                if (primaryV6.isEmpty()) {
                    assertThat(labels.has("__meta_ec2_primary_ipv6_addresses")).isFalse();
                } else {
                    assertThat(labels.get("__meta_ec2_primary_ipv6_addresses").asText())
                            .isEqualTo("," + String.join(",", primaryV6) + ",");
                }
                if (net.publicIp() == null) {
                    assertThat(labels.has("__meta_ec2_public_ip")).isFalse();
                    assertThat(labels.has("__meta_ec2_public_dns_name")).isFalse();
                } else {
                    assertThat(labels.get("__meta_ec2_public_ip").asText()).isEqualTo(net.publicIp());
                    assertThat(labels.get("__meta_ec2_public_dns_name").asText()).isEqualTo(net.publicDnsName());
                }
                assertThat(labels.has("__meta_ec2_platform")).isEqualTo(net.platform() != null);
                assertThat(labels.has("__meta_ec2_instance_lifecycle")).isEqualTo(net.lifecycle() != null);
                for (Map.Entry<String, String> tag : i.tags().entrySet()) {
                    String name = "__meta_ec2_tag_" + tag.getKey().replaceAll("[^a-zA-Z0-9_]", "_");
                    assertThat(labels.has(name)).as(name).isTrue();
                }
            }
        }
        // Instance 0 of each fleet carries cost-center and cost.center: as in Prometheus, the later one wins.
        SimInstance first = sim().fleet().instances("111111111111", "us-east-1").get(0);
        assertThat(served.get(first.id()).get("labels").get("__meta_ec2_tag_cost_center").asText()).isEqualTo("cc-2");
        // ... and /metrics labels the same instance's _info series by the same rule, so joins agree.
        String info = env.get("/metrics").body().lines()
                .filter(l -> l.startsWith("aws_ec2_instance_info{") && l.contains("instance_id=\"" + first.id() + "\""))
                .findFirst().orElseThrow();
        assertThat(info).contains("tag_cost_center=\"cc-2\"");
    }

    @Test
    void filtersByTagStateTypeAccountAndRegionAndAddressesTheAskedPorts() throws Exception {
        JsonNode prod = groups("/sd/ec2?port=9100&tag.Environment=prod");
        Set<String> prodIds = instances(i -> i.running() && "prod".equals(i.tags().get("Environment")))
                .stream().map(SimInstance::id).collect(Collectors.toSet());
        assertThat(byLabel(prod, "__meta_ec2_instance_id").keySet()).isEqualTo(prodIds).isNotEmpty();
        for (JsonNode g : prod) {
            assertThat(g.get("targets")).hasSize(1);
            assertThat(g.get("targets").get(0).asText()).endsWith(":9100");
        }

        JsonNode regex = groups("/sd/ec2?tag_regex.Team=pay.*%7Csearch&state=running,stopped");
        Set<String> regexIds = instances(i -> i.tags().get("Team").matches("pay.*|search"))
                .stream().map(SimInstance::id).collect(Collectors.toSet());
        assertThat(byLabel(regex, "__meta_ec2_instance_id").keySet()).isEqualTo(regexIds);

        JsonNode stopped = groups("/sd/ec2?state=stopped&account=222222222222&region=eu-west-1");
        Set<String> stoppedIds = sim().fleet().instances("222222222222", "eu-west-1").stream()
                .filter(i -> !i.running()).map(SimInstance::id).collect(Collectors.toSet());
        assertThat(byLabel(stopped, "__meta_ec2_instance_id").keySet()).isEqualTo(stoppedIds).isNotEmpty();

        JsonNode any = groups("/sd/ec2?state=any&instance_type=t3.micro&instance_type=m5.large");
        Set<String> typed = instances(i -> Set.of("t3.micro", "m5.large").contains(i.instanceType()))
                .stream().map(SimInstance::id).collect(Collectors.toSet());
        assertThat(byLabel(any, "__meta_ec2_instance_id").keySet()).isEqualTo(typed).isNotEmpty();

        JsonNode twoPorts = groups("/sd/ec2?port=9100,9256&account=111111111111");
        for (JsonNode g : twoPorts) {
            String ip = g.get("labels").get("__meta_ec2_private_ip").asText();
            assertThat(g.get("targets")).extracting(JsonNode::asText).containsExactly(ip + ":9100", ip + ":9256");
        }
    }

    @Test
    void portsComeFromATagAndInstancesWithoutItAreLeftOutUnlessAPortIsGiven() throws Exception {
        JsonNode fromTag = groups("/sd/ec2?port_tag=prometheus_port");
        List<SimInstance> tagged = instances(i -> i.running() && i.tags().containsKey("prometheus_port"));
        Map<String, JsonNode> served = byLabel(fromTag, "__meta_ec2_instance_id");
        assertThat(served.keySet()).isEqualTo(tagged.stream().map(SimInstance::id).collect(Collectors.toSet()));
        boolean sawTwo = false;
        for (SimInstance i : tagged) {
            List<String> expected = new ArrayList<>();
            for (String p : i.tags().get("prometheus_port").split(",")) {
                expected.add(i.privateIp() + ":" + p);
            }
            sawTwo |= expected.size() == 2;
            assertThat(served.get(i.id()).get("targets")).extracting(JsonNode::asText).containsExactlyElementsOf(expected);
        }
        assertThat(sawTwo).as("some instance exposes two ports").isTrue();

        JsonNode withFallback = groups("/sd/ec2?port_tag=prometheus_port&port=9999");
        assertThat(withFallback).hasSize(instances(SimInstance::running).size());

        // The configured job: prod only, ports from the tag; URL parameters narrow it further.
        JsonNode job = groups("/sd/jobs/node");
        assertThat(byLabel(job, "__meta_ec2_instance_id").keySet()).isEqualTo(
                tagged.stream().filter(i -> "prod".equals(i.tags().get("Environment"))).map(SimInstance::id)
                        .collect(Collectors.toSet()));
        JsonNode narrowed = groups("/sd/jobs/node?region=eu-west-1");
        for (JsonNode g : narrowed) {
            assertThat(g.get("labels").get("__meta_ec2_region").asText()).isEqualTo("eu-west-1");
        }
        assertThat(narrowed.size()).isLessThan(job.size());
    }

    @Test
    void gzipIsServedWhenAskedAndHoldsTheSameList() throws Exception {
        String path = "http://127.0.0.1:" + env.service().port() + "/sd/ec2?port=9100";
        HttpResponse<byte[]> zipped = HTTP.send(HttpRequest.newBuilder(URI.create(path))
                .header("Authorization", "Bearer " + TOKEN).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(zipped.body()))) {
            String unzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(unzipped).isEqualTo(get("/sd/ec2?port=9100", "Bearer " + TOKEN).body());
        }
    }

    @Test
    void nothingMatchingIsAnEmptyArrayWith200() throws Exception {
        HttpResponse<String> r = get("/sd/ec2?tag.Environment=does-not-exist", "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo("[]");
    }

    @Test
    void malformedQueriesGet400WithAJsonReason() throws Exception {
        Map<String, String> cases = Map.of(
                "/sd/ec2?port=99999", "port must be a port number",
                "/sd/ec2?tags.Environment=prod", "unknown query parameter \\\"tags.Environment\\\"",
                "/sd/ec2?tag_regex.Team=(", "not a valid regular expression",
                "/sd/ec2?state=runing", "did you mean \\\"running\\\"",
                "/sd/ec2?account=42", "12-digit account id",
                "/sd/elbv2-targets?tag.Environment=prod", "unknown query parameter");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = get(c.getKey(), "Bearer " + TOKEN);
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(r.body()).as(c.getKey()).contains(c.getValue());
            assertThat(JSON.readTree(r.body()).get("error").asText()).isNotEmpty();
        }
        assertThat(get("/sd/nodes", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/sd/jobs/nope", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void credentialsAreRequiredAndCheckedForBothSchemes() throws Exception {
        for (String wrong : new String[] {null, "Bearer nope", "Bearer " + TOKEN + "x", "Basic " + Base64.getEncoder()
                .encodeToString("prometheus:wrong".getBytes(StandardCharsets.UTF_8)), "Basic !!!", "Token " + TOKEN}) {
            HttpResponse<String> r = get("/sd/ec2", wrong);
            assertThat(r.statusCode()).as(String.valueOf(wrong)).isEqualTo(401);
            assertThat(r.headers().allValues("WWW-Authenticate"))
                    .anyMatch(v -> v.startsWith("Basic realm=")).anyMatch(v -> v.startsWith("Bearer realm="));
            assertThat(r.body()).doesNotContain("__meta_");
        }
        assertThat(get("/sd/ec2", BASIC).statusCode()).isEqualTo(200);
        assertThat(get("/sd/ec2", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        // What http_sd_config sends for `authorization: {credentials: ...}` without a type (prometheus/docs#2377).
        assertThat(get("/sd/ec2", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).as("metrics stay open").isEqualTo(200);
    }

    @Test
    void rdsAndElbv2TargetsComeFromTheSameInventory() throws Exception {
        Map<String, JsonNode> dbs = byLabel(groups("/sd/rds"), "__meta_rds_arn");
        List<SimDatabase> expected = new ArrayList<>();
        for (String[] t : TARGETS) {
            sim().fleet().databases(t[0], t[1]).stream().filter(d -> !d.status().equals("stopped")).forEach(expected::add);
        }
        assertThat(dbs.keySet()).isEqualTo(expected.stream().map(SimDatabase::arn).collect(Collectors.toSet()));
        for (SimDatabase db : expected) {
            JsonNode g = dbs.get(db.arn());
            assertThat(g.get("targets").get(0).asText()).isEqualTo(db.address() + ":" + db.port());
            assertThat(g.get("labels").get("__meta_rds_engine").asText()).isEqualTo(db.engine());
            assertThat(g.get("labels").get("__meta_rds_instance_class").asText()).isEqualTo(db.instanceClass());
            assertThat(g.get("labels").get("__meta_rds_tag_Team").asText()).isEqualTo(db.tags().get("Team"));
        }
        JsonNode postgres = groups("/sd/jobs/postgres");
        assertThat(postgres).isNotEmpty();
        for (JsonNode g : postgres) {
            assertThat(g.get("labels").get("__meta_rds_engine").asText()).isIn("postgres", "aurora-postgresql");
            assertThat(g.get("targets").get(0).asText()).endsWith(":9187");
        }

        JsonNode targets = groups("/sd/elbv2-targets");
        Set<String> expectedTargets = new HashSet<>();
        Set<String> unhealthy = new HashSet<>();
        for (String[] t : TARGETS) {
            Map<String, String> ips = sim().fleet().instances(t[0], t[1]).stream()
                    .collect(Collectors.toMap(SimInstance::id, SimInstance::privateIp));
            for (SimLoadBalancer lb : sim().fleet().loadBalancers(t[0], t[1])) {
                for (SimLoadBalancer.TargetGroup tg : lb.targetGroups()) {
                    for (SimLoadBalancer.Target target : tg.targets()) {
                        String host = tg.targetType().equals("instance") ? ips.get(target.id()) : target.id();
                        String entry = lb.name() + " " + host + ":" + target.port() + " " + target.state();
                        expectedTargets.add(entry);
                        if (target.state().equals("unhealthy")) {
                            unhealthy.add(entry);
                        }
                    }
                }
            }
        }
        Set<String> servedTargets = new HashSet<>();
        for (JsonNode g : targets) {
            servedTargets.add(g.get("labels").get("__meta_elbv2_load_balancer_name").asText() + " "
                    + g.get("targets").get(0).asText() + " " + g.get("labels").get("__meta_elbv2_target_health").asText());
        }
        assertThat(servedTargets).isEqualTo(expectedTargets);
        JsonNode onlyUnhealthy = groups("/sd/elbv2-targets?state=unhealthy");
        assertThat(onlyUnhealthy).hasSize(unhealthy.size());
    }

    @Test
    void aFailedRefreshKeepsServingThePreviousList() throws Exception {
        String before = get("/sd/ec2", "Bearer " + TOKEN).body();
        String beforeRds = get("/sd/rds", "Bearer " + TOKEN).body();
        sim().faults().setServerErrorRate(1.0);
        try {
            env.collectOnce();
            HttpResponse<String> during = get("/sd/ec2", "Bearer " + TOKEN);
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(during.body()).isEqualTo(before);
            assertThat(get("/sd/rds", "Bearer " + TOKEN).body()).isEqualTo(beforeRds);
            String metrics = get("/metrics", null).body();
            assertThat(metrics).contains("opsgate_discovery_up{account_id=\"111111111111\",kind=\"ec2\",region=\"us-east-1\"} 0.0");
            assertThat(metrics).contains("opsgate_discovery_up{account_id=\"111111111111\",kind=\"rds\",region=\"us-east-1\"} 0.0");
        } finally {
            sim().faults().clear();
        }
        env.collectOnce();
        assertThat(get("/metrics", null).body())
                .contains("opsgate_discovery_up{account_id=\"111111111111\",kind=\"ec2\",region=\"us-east-1\"} 1.0");
    }
}
