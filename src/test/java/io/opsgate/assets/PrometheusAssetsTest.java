package io.opsgate.assets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsgate.testing.ExternalBinary;
import io.opsgate.testing.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files in prometheus/ as the real tools judge them: promtool checks the scrape config and the
 * rules and runs the rule unit tests, amtool checks the Alertmanager config. Plus a coverage rule:
 * every alert has a unit test where it fires and one where it must not.
 */
class PrometheusAssetsTest {
    static final Path PROMETHEUS_DIR = Path.of("prometheus").toAbsolutePath();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static Path promtool() {
        return ExternalBinary.require("promtool", "prometheus");
    }

    @Test
    void scrapeConfigIsValid() throws Exception {
        ToolRun check = ToolRun.run(PROMETHEUS_DIR, promtool(), "check", "config", "prometheus.yml");
        assertThat(check.exitCode()).as(check.describe()).isZero();
        // check config also loads the rule_files glob: it must have found ours.
        assertThat(check.output()).as(check.describe()).contains("rules/opsgate.yml");
    }

    @Test
    void ruleFilesAreValid() throws Exception {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        List<Path> rules = yamlFiles(PROMETHEUS_DIR.resolve("rules"));
        assertThat(rules).isNotEmpty();
        rules.forEach(f -> args.add(PROMETHEUS_DIR.relativize(f).toString()));
        ToolRun check = ToolRun.run(PROMETHEUS_DIR, promtool(), args.toArray(String[]::new));
        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.output()).as(check.describe()).doesNotContain("WARNING");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        List<Path> tests = yamlFiles(PROMETHEUS_DIR.resolve("tests"));
        assertThat(tests).isNotEmpty();
        tests.forEach(f -> args.add(PROMETHEUS_DIR.relativize(f).toString()));
        ToolRun run = ToolRun.run(PROMETHEUS_DIR, promtool(), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.output()).as(run.describe()).doesNotContain("FAILED");
    }

    @Test
    void alertmanagerConfigIsValid() throws Exception {
        Path amtool = ExternalBinary.require("amtool", "prometheus-alertmanager");
        ToolRun check = ToolRun.run(PROMETHEUS_DIR, amtool, "check-config", "alertmanager.yml");
        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.output()).as(check.describe()).contains("SUCCESS").contains("1 receivers");
    }

    /** Pure file reading, no tool: keeps the promtool tests honest as rules are added. */
    @Test
    void everyAlertHasAFiringAndANonFiringUnitTest() throws Exception {
        Set<String> alerts = new TreeSet<>();
        for (Path file : yamlFiles(PROMETHEUS_DIR.resolve("rules"))) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        alerts.add(rule.get("alert").asText());
                        assertThat(rule.path("for").asText()).as("`for:` of " + rule.get("alert")).isNotBlank();
                        assertThat(rule.path("labels").path("severity").asText()).as("severity of " + rule.get("alert"))
                                .isIn("warning", "critical");
                        assertThat(rule.path("annotations").path("summary").asText()).contains("$labels");
                        assertThat(rule.path("annotations").path("description").asText()).contains("$labels");
                    }
                }
            }
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);

        Map<String, Set<String>> casesByAlert = new TreeMap<>();
        for (Path file : yamlFiles(PROMETHEUS_DIR.resolve("tests"))) {
            for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode alertTest : test.path("alert_rule_test")) {
                    String kind = alertTest.path("exp_alerts").isEmpty() ? "silent" : "firing";
                    casesByAlert.computeIfAbsent(alertTest.path("alertname").asText(), a -> new TreeSet<>()).add(kind);
                }
            }
        }
        for (String alert : alerts) {
            assertThat(casesByAlert.get(alert)).as("unit test cases of " + alert).containsExactlyInAnyOrder("firing", "silent");
        }
        assertThat(alerts).as("tests of alerts that no rule file defines").containsAll(casesByAlert.keySet());
    }
}
