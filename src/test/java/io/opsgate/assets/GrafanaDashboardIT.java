package io.opsgate.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsgate.testing.DemoProcess;
import io.opsgate.testing.PeerGeneration;
import io.opsgate.testing.PerGeneration;
import io.opsgate.testing.PrometheusServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Grafana dashboard and the alert rules against real data: {@code opsgate demo} (the packaged jar)
 * scraped by a real Prometheus that also loads prometheus/rules/*.yml. Every PromQL expression of the
 * dashboard must evaluate (instant and range), the panels must show data for the demo fleet, the rule
 * groups must evaluate without error, and alerts whose conditions the demo fleet meets must be pending
 * with the context labels their joins add (which proves the rules use the label names OpsGate exports).
 *
 * <p>prometheus/prometheus.yml itself names compose hostnames (opsgate:9108, alertmanager:9093), so this
 * test writes its own config: the demo's port, 2s scrapes and evaluations, and the repository's rule files.
 */
class GrafanaDashboardIT {
    private static final Path DASHBOARD = Path.of("grafana", "dashboards", "opsgate-aws.json").toAbsolutePath();
    private static final Path RULES = Path.of("prometheus", "rules").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

    /**
     * Panels that may legitimately be empty for the demo fleet during the test's first minutes; their
     * expressions must still evaluate.
     */
    private static final Set<String> MAY_BE_EMPTY = Set.of(
            "Surplus credits charged",            // only when an unlimited instance overspends for long
            "Surplus credit balance (unlimited)", // depends on where the simulated credit cycles are
            "Predicted time until empty");        // needs a volume whose balance fell during the test

    @TempDir
    static Path work;
    private static DemoProcess demo;
    private static PerGeneration<PrometheusServer> prometheusOf;
    private static JsonNode dashboard;

    @BeforeAll
    static void start() throws Exception {
        dashboard = JSON.readTree(DASHBOARD.toFile());
        demo = DemoProcess.start(work.resolve("demo"), "--interval", "10s");
        prometheusOf = new PerGeneration<>(g -> startPrometheus(g));
    }

    private static PrometheusServer startPrometheus(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = PrometheusServer.start(generation, """
                global:
                  scrape_interval: 2s
                  scrape_timeout: 2s
                  evaluation_interval: 2s
                rule_files:
                  - '%s/*.yml'
                scrape_configs:
                  - job_name: opsgate
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(RULES, demo.port()), work.resolve("prometheus-" + generation.name().toLowerCase()), RULES);
        prometheus.awaitQuery("up{job=\"opsgate\"} == 1", r -> r.size() == 1, Duration.ofSeconds(30));
        return prometheus;
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheusOf != null) {
            prometheusOf.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    /** Grafana's variables as a user with "All" selected would send them: the all-value is .* here. */
    static String substituteVariables(String expr) {
        return expr.replace("$__rate_interval", "30s")
                .replace("$__interval", "10s")
                .replace("$__range", "5m")
                .replace("$account_id", ".*")
                .replace("$region", ".*");
    }

    /** Title to expression, for every query target of every panel (rows may nest panels). */
    static Map<String, String> panelExpressions(JsonNode dashboard) {
        Map<String, String> byTitle = new LinkedHashMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        for (int i = 0; i < panels.size(); i++) {
            JsonNode panel = panels.get(i);
            panel.path("panels").forEach(panels::add);
            for (JsonNode target : panel.path("targets")) {
                String title = panel.path("title").asText() + (panel.path("targets").size() > 1 ? " / " + target.path("refId").asText() : "");
                assertThat(byTitle.containsKey(title)).as("two panels titled " + title).isFalse();
                byTitle.put(title, target.path("expr").asText());
            }
        }
        return byTitle;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void everyDashboardExpressionEvaluatesAsInstantAndRangeQuery(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = prometheusOf.get(generation);
        Map<String, String> expressions = panelExpressions(dashboard);
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(20);
        List<String> errors = new ArrayList<>();
        Instant end = Instant.now();
        for (Map.Entry<String, String> e : expressions.entrySet()) {
            String promql = substituteVariables(e.getValue());
            assertThat(promql).as(e.getKey()).isNotBlank().doesNotContain("$");
            try {
                prometheus.query(promql);
                prometheus.api("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                        + "&start=" + end.minusSeconds(300).getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=10");
            } catch (IllegalStateException failed) {
                errors.add(e.getKey() + ": " + promql + "\n  -> " + failed.getMessage());
            }
        }
        assertThat(errors).as("panels whose PromQL Prometheus rejects").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void panelsShowTheDemoFleet(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = prometheusOf.get(generation);
        Map<String, String> expressions = panelExpressions(dashboard);
        assertThat(expressions.keySet()).containsAll(MAY_BE_EMPTY).contains(
                "Lowest burst balance", "Lowest CPU credit balance", "Failing status checks", "Scheduled events",
                "Collector up", "AWS API requests by outcome", "CloudWatch metrics requested", "AWS throttled share (15m)");
        for (Map.Entry<String, String> e : expressions.entrySet()) {
            if (MAY_BE_EMPTY.contains(e.getKey())) {
                continue;
            }
            // rate() needs two scrapes and the recording rules one evaluation after that: poll.
            JsonNode result = prometheus.awaitQuery(substituteVariables(e.getValue()), r -> !r.isEmpty(), Duration.ofSeconds(45));
            assertThat(result).as(e.getKey()).isNotEmpty();
        }
        JsonNode lowest = prometheus.query(substituteVariables(expressions.get("Lowest burst balance")));
        assertThat(lowest).hasSize(15);
        Map<String, String> volumeNames = nameTags(prometheus, "aws_ebs_volume_info", "volume_id");
        for (JsonNode sample : lowest) {
            JsonNode labels = sample.get("metric");
            assertThat(labels.path("volume_type").asText()).as("join with aws_ebs_volume_info").isIn("gp2", "st1", "sc1");
            assertThat(labels.path("tag_Name").asText()).as("Name tag copied from the info metric")
                    .isEqualTo(volumeNames.get(resourceKey(labels, "volume_id")));
        }
        JsonNode credits = prometheus.query(substituteVariables(expressions.get("Lowest CPU credit balance")));
        for (JsonNode sample : credits) {
            assertThat(sample.get("metric").path("cpu_credits").asText()).isIn("standard", "unlimited");
            assertThat(sample.get("metric").path("instance_type").asText()).matches("t(2|3|3a|4g)\\..+");
        }
    }

    private static String resourceKey(JsonNode labels, String idLabel) {
        return labels.path("account_id").asText() + "/" + labels.path("region").asText() + "/" + labels.path(idLabel).asText();
    }

    /** The Name tag ("" when untagged) of every resource of an info metric, as Prometheus has it. */
    private static Map<String, String> nameTags(PrometheusServer prometheus, String infoMetric, String idLabel) throws Exception {
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode info : prometheus.query(infoMetric)) {
            names.put(resourceKey(info.get("metric"), idLabel), info.get("metric").path("tag_Name").asText());
        }
        assertThat(names.values()).as(infoMetric + " carries Name tags").anySatisfy(n -> assertThat(n).isNotBlank());
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void templateVariablesListTheDemoAccountsAndRegions(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = prometheusOf.get(generation);
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            Matcher m = LABEL_VALUES.matcher(variable.path("query").asText());
            assertThat(m.matches()).as(variable.path("name") + " uses label_values(selector, label)").isTrue();
            JsonNode series = prometheus.query(substituteVariables(m.group(1)));
            Set<String> found = new TreeSet<>();
            series.forEach(s -> found.add(s.get("metric").path(m.group(2)).asText()));
            values.put(variable.path("name").asText(), found);
        }
        assertThat(values).containsEntry("account_id", Set.of("111111111111", "222222222222"))
                .containsEntry("region", Set.of("eu-west-1", "us-east-1"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void ruleGroupsLoadAndEvaluateWithoutError(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = prometheusOf.get(generation);
        Set<String> expectedGroups = new TreeSet<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (Path file : PrometheusAssetsTest.yamlFiles(RULES)) {
            yaml.readTree(file.toFile()).path("groups").forEach(g -> expectedGroups.add(g.path("name").asText()));
        }
        await("every rule group loaded and evaluated ok").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    List<String> notOk = new ArrayList<>();
                    Set<String> loaded = new TreeSet<>();
                    for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
                        loaded.add(group.path("name").asText());
                        for (JsonNode rule : group.path("rules")) {
                            if (!"ok".equals(rule.path("health").asText())) {
                                notOk.add(group.path("name").asText() + "/" + rule.path("name").asText() + ": "
                                        + rule.path("health").asText() + " " + rule.path("lastError").asText());
                            }
                        }
                    }
                    assertThat(loaded).isEqualTo(expectedGroups);
                    assertThat(notOk).as("rules not evaluated ok").isEmpty();
                });
    }

    /**
     * The demo fleet has draining volumes, impaired instances and scheduled events; with `for:` durations
     * of minutes those alerts are pending within seconds. Each alert must cover exactly the series that
     * meet its condition (the joins lost none), and carry the context labels the joins add.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void alertsForTheDemoFleetArePendingWithTheirContext(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = prometheusOf.get(generation);
        // Balances move every collection (10s here): compare the two sets until they agree.
        Set<String> low = awaitSameResources(prometheus, "ALERTS{alertname=\"EBSBurstBalanceLow\"}", "aws_ebs_burst_balance_ratio < 0.20", "volume_id");
        assertThat(low).as("simulated volumes drain below 20% in their cycles; ~50 of them are never all above").isNotEmpty();
        awaitSameResources(prometheus, "ALERTS{alertname=\"EBSBurstBalanceExhausted\"}", "aws_ebs_burst_balance_ratio < 0.01", "volume_id");
        Map<String, String> volumeNames = nameTags(prometheus, "aws_ebs_volume_info", "volume_id");
        for (JsonNode alert : prometheus.query("ALERTS{alertname=~\"EBSBurstBalanceLow|EBSBurstBalanceExhausted\"}")) {
            JsonNode labels = alert.get("metric");
            assertThat(labels.path("alertstate").asText()).isEqualTo("pending");
            assertThat(labels.path("severity").asText()).isIn("warning", "critical");
            assertThat(labels.path("volume_type").asText()).isIn("gp2", "st1", "sc1");
            assertThat(labels.path("instance_id").asText()).as("attached volumes only").startsWith("i-");
            assertThat(labels.path("tag_Name").asText()).isEqualTo(volumeNames.get(resourceKey(labels, "volume_id")));
        }

        Set<String> failing = awaitSameResources(prometheus, "ALERTS{alertname=\"EC2StatusCheckFailed\"}", "aws_ec2_status_check_ok == 0", "check");
        assertThat(failing).as("the demo fleet has impaired instances").isNotEmpty();
        Map<String, String> instanceNames = nameTags(prometheus, "aws_ec2_instance_info", "instance_id");
        for (JsonNode alert : prometheus.query("ALERTS{alertname=\"EC2StatusCheckFailed\"}")) {
            JsonNode labels = alert.get("metric");
            assertThat(labels.path("check").asText()).isIn("system", "instance", "attached_ebs");
            assertThat(labels.path("instance_type").asText()).as("joined with aws_ec2_instance_info").isNotBlank();
            assertThat(labels.path("tag_Name").asText()).isEqualTo(instanceNames.get(resourceKey(labels, "instance_id")));
        }

        Set<String> events = awaitSameResources(prometheus, "ALERTS{alertname=\"EC2ScheduledEventSoon\"}",
                "aws_ec2_scheduled_event_timestamp_seconds < time() + 7 * 86400", "event_id");
        assertThat(events).as("the demo fleet schedules events 1-15 days ahead").isNotEmpty();
        assertThat(prometheus.query("ALERTS{alertname=~\"OpsGate.*\"}")).as("the demo's collectors are healthy").isEmpty();
    }

    /**
     * Polls until the condition's metric has been scraped and the alert and the condition cover the same (account,
     * region, resource, detail) keys.
     */
    private static Set<String> awaitSameResources(PrometheusServer prometheus, String alerts, String condition, String detailLabel) throws Exception {
        AtomicReference<Set<String>> agreed = new AtomicReference<>();
        await(alerts + " vs " + condition).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    // Before the first scrape both sides are empty and "agree": wait for the series themselves.
                    String metric = condition.substring(0, condition.indexOf(' '));
                    assertThat(prometheus.query(metric)).as(metric + " scraped").isNotEmpty();
                    Set<String> alerting = alertKeys(prometheus.query(alerts), detailLabel);
                    Set<String> meeting = alertKeys(prometheus.query(condition), detailLabel);
                    assertThat(alerting).as(alerts + " vs " + condition).isEqualTo(meeting);
                    agreed.set(meeting);
                });
        return agreed.get();
    }

    private static Set<String> alertKeys(JsonNode vector, String detailLabel) {
        Set<String> keys = new TreeSet<>();
        for (JsonNode sample : vector) {
            JsonNode labels = sample.get("metric");
            String resource = labels.has("volume_id") ? labels.path("volume_id").asText() : labels.path("instance_id").asText();
            keys.add(labels.path("account_id").asText() + "/" + labels.path("region").asText() + "/" + resource
                    + "/" + labels.path(detailLabel).asText());
        }
        return keys;
    }
}
