package io.opsgate.alerts.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.Amtools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Alertmanager's routing semantics on one tree, checked against expectations written from its documentation and,
 * where amtool is installed, against Alertmanager's own implementation ({@code amtool config routes test}) reading
 * the very same YAML.
 */
class RoutingTreeTest {
    /** Valid both as an OpsGate and as an Alertmanager configuration. */
    static final String TREE = """
            route:
              receiver: default
              group_by: [alertname]
              group_wait: 10s
              repeat_interval: 2h
              routes:
                - receiver: audit
                  matchers: ['audit="true"']
                  continue: true
                - receiver: pager
                  matchers: ['severity=~"critical|page"', 'team!="db"']
                  group_wait: 0s
                - receiver: db
                  matchers: ['team="db"']
                  group_by: [alertname, instance]
                  routes:
                    - receiver: db-critical
                      matchers: ['severity="critical"']
                      repeat_interval: 30m
                    - matchers: ['env="staging"']
                      group_wait: 1m
                - receiver: frontend
                  matchers: ['service=~"front.*"', 'env!~"dev|test"']
                - receiver: escaped
                  matchers: ['msg="say \\\\ \\"hi\\""']
                - receiver: unlabelled
                  matchers: ['tier=""', 'kind="orphan"']
                - receiver: late
                  matchers: ['kind="orphan"']
            receivers:
              - name: default
              - name: audit
              - name: pager
              - name: db
              - name: db-critical
              - name: frontend
              - name: escaped
              - name: unlabelled
              - name: late
            """;

    /** Label set → the receivers of the routes that take it, in order. */
    static final List<Case> CASES = List.of(
            new Case(Map.of("alertname", "Disk"), "default"),
            new Case(Map.of("severity", "critical"), "pager"),                        // != on a missing label
            new Case(Map.of("severity", "page", "team", "web"), "pager"),            // alternation
            new Case(Map.of("severity", "pager"), "default"),                         // anchored at the end
            new Case(Map.of("severity", "xcritical"), "default"),                     // anchored at the start
            new Case(Map.of("severity", "critical", "team", "db"), "db-critical"),   // depth-first
            new Case(Map.of("severity", "warning", "team", "db"), "db"),             // parent handles it
            new Case(Map.of("team", "db", "env", "staging"), "db"),                  // child inherits receiver
            new Case(Map.of("audit", "true", "severity", "critical"), "audit,pager"),  // continue
            new Case(Map.of("audit", "true"), "audit"),                               // root is not added
            new Case(Map.of("audit", "false"), "default"),
            new Case(Map.of("service", "frontend"), "frontend"),
            new Case(Map.of("service", "frontend", "env", "dev"), "default"),
            new Case(Map.of("service", "my-frontend"), "default"),
            new Case(Map.of("msg", "say \\ \"hi\""), "escaped"),                      // escapes in quoted values
            new Case(Map.of("msg", "say \\\\ \"hi\""), "default"),
            new Case(Map.of("kind", "orphan"), "unlabelled"),                         // = "" on a missing label
            new Case(Map.of("kind", "orphan", "tier", "web"), "late"),
            new Case(Map.of("team", "db", "severity", "critical", "audit", "true"), "audit,db-critical"));

    record Case(Map<String, String> labels, String receivers) {
    }

    /** Regex-heavy routes, for the randomized comparison with amtool. */
    static final String REGEX_TREE = """
            route:
              receiver: default
              routes:
                - receiver: digits
                  matchers: ['host=~"[[:alpha:]]+-[[:digit:]]{2,}"']
                - receiver: ci
                  matchers: ['name=~"(?i)disk.*"']
                - receiver: notprod
                  matchers: ['env!~"prod|production"', 'host=~".+"']
                  continue: true
                - receiver: dotted
                  matchers: ['ip=~"10\\\\.0\\\\.[0-9]+\\\\.[0-9]+"']
                - receiver: anyenv
                  matchers: ['env=~".*"', 'name!=""']
                  routes:
                    - receiver: short
                      matchers: ['name=~"^.{1,3}$"']
            receivers:
              - name: default
              - name: digits
              - name: ci
              - name: notprod
              - name: dotted
              - name: anyenv
              - name: short
            """;

    /** Label name → candidate values; "" leaves the label out. */
    static final Map<String, List<String>> VOCABULARY = Map.of(
            "host", List.of("web-01", "web-1", "db-123", "WEB-22", "web-01x", "", ""),
            "name", List.of("Disk", "DISKFULL", "diskio", "cpu", "io", "", ""),
            "env", List.of("prod", "production", "staging", "prod2", "", ""),
            "ip", List.of("10.0.1.2", "10.0.1", "10x0.1.2", "", ""),
            "severity", List.of("critical", "page", "pager", "warning", ""),
            "team", List.of("db", "web", ""),
            "audit", List.of("true", "false", ""),
            "service", List.of("frontend", "my-frontend", "front", ""));

    static RoutingTree tree() throws Exception {
        OpsGateConfig config = ConfigLoader.parse(TREE, "tree.yml", name -> null, null);
        return RoutingTree.compile(config.route());
    }

    @Test
    void routesLikeAlertmanagersDocumentationSays() throws Exception {
        RoutingTree tree = tree();
        for (Case c : CASES) {
            assertThat(receivers(tree.route(c.labels()))).as(c.labels().toString()).isEqualTo(c.receivers());
        }
    }

    @Test
    void childrenInheritTheirParentsSettings() throws Exception {
        RoutingTree tree = tree();
        RouteMatch dbCritical = tree.route(Map.of("team", "db", "severity", "critical")).get(0);
        assertThat(dbCritical).usingRecursiveComparison().ignoringFields("groupInterval").isEqualTo(new RouteMatch("0.2.0", List.of("db-critical"), List.of("alertname", "instance"),
                Duration.ofSeconds(10), Duration.ofMinutes(30)));
        RouteMatch staging = tree.route(Map.of("team", "db", "env", "staging")).get(0);
        assertThat(staging).usingRecursiveComparison().ignoringFields("groupInterval").isEqualTo(new RouteMatch("0.2.1", List.of("db"), List.of("alertname", "instance"),
                Duration.ofMinutes(1), Duration.ofHours(2)));
        RouteMatch pager = tree.route(Map.of("severity", "page")).get(0);
        assertThat(pager).usingRecursiveComparison().ignoringFields("groupInterval").isEqualTo(new RouteMatch("0.1", List.of("pager"), List.of("alertname"), Duration.ZERO,
                Duration.ofHours(2)));
        RouteMatch root = tree.route(Map.of()).get(0);
        assertThat(root.routeId()).isEqualTo("0");
        assertThat(root.receivers()).containsExactly("default");
    }

    @Test
    void aRouteMayNameSeveralReceivers() throws Exception {
        OpsGateConfig config = ConfigLoader.parse("""
                route:
                  receiver: a
                  routes:
                    - receivers: [b, c]
                      matchers: ['{x="1", y=~"2|3"}']
                receivers: [{name: a}, {name: b}, {name: c}]
                """, "cfg.yml", name -> null, null);
        RoutingTree tree = RoutingTree.compile(config.route());
        assertThat(tree.route(Map.of("x", "1", "y", "3")).get(0).receivers()).containsExactly("b", "c");
        assertThat(tree.route(Map.of("x", "1", "y", "4")).get(0).receivers()).containsExactly("a");
    }

    @ParameterizedTest(name = "amtool {0}")
    @MethodSource("amtoolVersions")
    void agreesWithAmtool(String version, @TempDir Path dir) throws Exception {
        Path amtool = Amtools.require(version);
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, TREE);
        RoutingTree tree = tree();
        for (Case c : CASES) {
            String theirs = amtool(amtool, config, c.labels());
            assertThat(receivers(tree.route(c.labels()))).as("amtool says %s for %s", theirs, c.labels())
                    .isEqualTo(theirs);
        }
    }

    static List<String> amtoolVersions() {
        return Amtools.versions();
    }

    /** Values for {@code routing/unicode-tree.yml}: non-ASCII, case folding, line breaks. */
    static final List<String> UNICODE_VALUES = List.of("é", "É", "αβ", "日本", "日本語", "xx", "x", "db1", "dbé", "k",
            "K", "\u212a", "aé", "a\n", "a", "axx", "bb", "b", "d\nt", "d\rt", "dét", "ÉTÉ", "");
    static final List<String> UNICODE_W = List.of("été brûlant", "ÉTÉ", "été", "", "été  brûlant");

    @ParameterizedTest(name = "amtool {0}")
    @MethodSource("amtoolVersions")
    void agreesWithAmtoolOnRe2AndUnicode(String version, @TempDir Path dir) throws Exception {
        Path amtool = Amtools.require(version);
        String yaml;
        try (var in = RoutingTreeTest.class.getResourceAsStream("/routing/unicode-tree.yml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path config = Files.writeString(dir.resolve("unicode.yml"), yaml);
        RoutingTree tree = RoutingTree.compile(ConfigLoader.parse(yaml, "unicode.yml", name -> null, null).route());
        java.util.Set<String> outcomes = new java.util.HashSet<>();
        for (int i = 0; i < UNICODE_VALUES.size(); i++) {
            Map<String, String> labels = new java.util.TreeMap<>();
            String v = UNICODE_VALUES.get(i).translateEscapes();
            String w = UNICODE_W.get(i % UNICODE_W.size());
            if (!v.isEmpty()) {
                labels.put("v", v);
            }
            if (!w.isEmpty()) {
                labels.put("w", w);
            }
            String theirs = amtool(amtool, config, labels);
            assertThat(receivers(tree.route(labels))).as("amtool %s says %s for %s", version, theirs, labels)
                    .isEqualTo(theirs);
            outcomes.add(theirs);
        }
        assertThat(outcomes).as("the values reach many routes").hasSizeGreaterThanOrEqualTo(12);
    }

    @ParameterizedTest(name = "amtool {0}")
    @MethodSource("amtoolVersions")
    void agreesWithAmtoolOnRandomLabelSets(String version, @TempDir Path dir) throws Exception {
        Path amtool = Amtools.require(version);
        java.util.Random random = new java.util.Random(20260301);
        for (String yaml : List.of(TREE, REGEX_TREE)) {
            Path config = Files.writeString(dir.resolve("am" + yaml.length() + ".yml"), yaml);
            RoutingTree tree = RoutingTree.compile(ConfigLoader.parse(yaml, "tree.yml", name -> null, null).route());
            java.util.Set<String> outcomes = new java.util.HashSet<>();
            for (int i = 0; i < 60; i++) {
                Map<String, String> labels = new java.util.TreeMap<>();
                VOCABULARY.forEach((name, values) -> {
                    String value = values.get(random.nextInt(values.size()));
                    if (!value.isEmpty()) {
                        labels.put(name, value);
                    }
                });
                String theirs = amtool(amtool, config, labels);
                assertThat(receivers(tree.route(labels))).as("amtool says %s for %s", theirs, labels).isEqualTo(theirs);
                outcomes.add(theirs);
            }
            assertThat(outcomes).as("the label sets reach many routes").hasSizeGreaterThanOrEqualTo(5);
        }
    }

    private static String amtool(Path amtool, Path config, Map<String, String> labels)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(amtool.toString(), "config", "routes", "test",
                "--config.file=" + config));
        // amtool reads its label arguments as matchers, so values are quoted and escaped.
        new LinkedHashMap<>(labels).forEach((name, value) -> command.add(name + "=\""
                + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\""));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // amtool 0.33 logs (to stdout) when it falls back to the classic matchers parser; the answer is the rest.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("time=")).collect(Collectors.joining("\n")).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("amtool exit code for %s", labels).isZero();
        return out;
    }

    private static String receivers(List<RouteMatch> matches) {
        return matches.stream().flatMap(m -> m.receivers().stream()).collect(Collectors.joining(","));
    }
}
