package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.routing.LabelMatcher;
import io.opsgate.alerts.routing.MatchType;
import io.opsgate.alerts.routing.RouteCompiler;
import io.opsgate.alerts.routing.RouteNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code route} and {@code receivers} sections. */
class AlertRoutingConfigTest {
    private static OpsGateConfig parse(String yaml) throws ConfigException {
        return io.opsgate.ConfigCheck.check(ConfigLoader.parse(yaml, "cfg.yml", name -> null, null));
    }

    private static String error(String yaml) {
        try {
            OpsGateConfig config = parse(yaml);
            throw new AssertionError("expected a ConfigException, got " + config);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
    }

    @Nested
    class Good {
        @Test
        void withoutTheSectionsEveryAlertIsLogged() throws Exception {
            OpsGateConfig c = parse("server: {}\n");
            assertThat(c.route().receivers()).containsExactly("log");
            assertThat(c.route().routes()).isEmpty();
            assertThat(c.route().groupWait()).isEqualTo(Duration.ofSeconds(5));
            assertThat(c.route().repeatInterval()).isEqualTo(Duration.ofHours(4));
            assertThat(c.receivers()).singleElement().satisfies(r -> {
                assertThat(r.name()).isEqualTo("log");
                assertThat(r.log()).singleElement().satisfies(l -> assertThat(l.delivery().sendResolved()).isTrue());
            });
            assertThat(c).isEqualTo(ConfigLoader.defaults());
        }

        @Test
        void readsEveryKey(@TempDir Path dir) throws Exception {
            Files.writeString(dir.resolve("slack_url"), "https://hooks.slack.com/services/T0/B0/xyz\n");
            Files.writeString(dir.resolve("pd_key"), "R0UT1NGKEY\n");
            OpsGateConfig c = ConfigLoader.parse("""
                    route:
                      receiver: team
                      group_by: ['...']
                      group_wait: 1s
                      group_interval: 1m
                      repeat_interval: 1h
                      routes:
                        - matchers: ['{severity=~"critical|page", team!=db}', 'env="prod"']
                          receivers: [team, pager]
                          continue: true
                          group_by: [alertname]
                    receivers:
                      - name: team
                        slack_configs:
                          - api_url_file: slack_url
                            channel: '#ops'
                            title: '{{ status }}'
                          - api_url: https://hooks.slack.com/services/T0/B1/abc
                            send_resolved: true
                            rate_limit: 0.5
                            timeout: 3s
                        webhook_configs:
                          - url: http://127.0.0.1:9/hook
                            hmac_secret: s3cret
                            text: '{% for a in alerts %}{{ a.fingerprint }}{% endfor %}'
                            max_alerts: 100
                        log_configs:
                          -
                      - name: pager
                        pagerduty_configs:
                          - routing_key_file: pd_key
                            severity: Warning
                      - name: blackhole
                    """, "cfg.yml", name -> null, dir);

            RouteNode root = RouteCompiler.compile(c.route());
            assertThat(root.groupBy()).containsExactly("...");
            assertThat(root.groupInterval()).isEqualTo(Duration.ofMinutes(1));
            RouteNode child = root.routes().get(0);
            assertThat(child.id()).isEqualTo("0.0");
            assertThat(child.matchers()).containsExactly(
                    LabelMatcher.of("severity", MatchType.REGEX, "critical|page"),
                    LabelMatcher.of("team", MatchType.NOT_EQUAL, "db"),
                    LabelMatcher.of("env", MatchType.EQUAL, "prod"));
            assertThat(child.receivers()).containsExactly("team", "pager");
            assertThat(child.continueMatching()).isTrue();
            assertThat(child.groupWait()).isEqualTo(Duration.ofSeconds(1));
            assertThat(child.repeatInterval()).isEqualTo(Duration.ofHours(1));

            OpsGateConfig.Receiver team = c.receivers().get(0);
            assertThat(team.slack()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("at").containsExactly(
                    new OpsGateConfig.SlackConfig("https://hooks.slack.com/services/T0/B0/xyz", "#ops", "{{ status }}",
                            null, new OpsGateConfig.Delivery(false, Optional.of(1.0), Duration.ofSeconds(10))),
                    new OpsGateConfig.SlackConfig("https://hooks.slack.com/services/T0/B1/abc", null, null, null,
                            new OpsGateConfig.Delivery(true, Optional.of(0.5), Duration.ofSeconds(3))));
            assertThat(team.webhooks()).singleElement().satisfies(w -> {
                assertThat(w.url()).isEqualTo("http://127.0.0.1:9/hook");
                assertThat(w.hmacSecret()).isEqualTo("s3cret");
                assertThat(w.maxAlerts()).isEqualTo(100);
                assertThat(w.delivery()).isEqualTo(new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(10)));
                assertThat(w.toString()).doesNotContain("s3cret").doesNotContain("127.0.0.1");
            });
            assertThat(team.log()).hasSize(1);
            OpsGateConfig.PagerDutyConfig pd = c.receivers().get(1).pagerDuty().get(0);
            assertThat(pd).usingRecursiveComparison().ignoringFields("at").isEqualTo(new OpsGateConfig.PagerDutyConfig("R0UT1NGKEY",
                    "https://events.pagerduty.com/v2/enqueue", "warning", null, null,
                    new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(10))));
            assertThat(pd.toString()).doesNotContain("R0UT1NGKEY");
            assertThat(c.receivers().get(2)).isEqualTo(
                    new OpsGateConfig.Receiver("blackhole", List.of(), List.of(), List.of(), List.of()));
        }

        @Test
        void theExampleFileRoutesAndDefinesItsReceivers() throws Exception {
            OpsGateConfig c = ConfigLoader.load(Path.of("opsgate.example.yml"), name -> null);
            assertThat(c.receivers()).extracting(OpsGateConfig.Receiver::name).containsExactly("oncall", "log");
            assertThat(c.route().receivers()).containsExactly("log");
            assertThat(c.route().routes()).extracting(RouteConfig::receivers)
                    .containsExactly(List.of("oncall"), List.of("log"));
            assertThat(c.route().routes().get(0).continueMatching()).isTrue();
            RouteConfig d = Defaults.route();
            assertThat(c.route().groupWait()).isEqualTo(d.groupWait());
            assertThat(c.route().groupInterval()).isEqualTo(d.groupInterval());
            assertThat(c.route().repeatInterval()).isEqualTo(d.repeatInterval());
        }
    }

    @Nested
    class Errors {
        private static final String RECEIVERS = "receivers:\n  - name: default\n  - name: db\n";

        @Test
        void unknownKeysGetASuggestion() {
            assertThat(error(RECEIVERS + "route:\n  recevier: default\n"))
                    .isEqualTo("cfg.yml:5:3: route.recevier: unknown key \"recevier\"; did you mean \"receiver\"?");
            assertThat(error("receivers:\n  - name: a\n    slack_configs:\n      - api_ulr: https://x.example\n"))
                    .isEqualTo("cfg.yml:4:9: receivers[0].slack_configs[0].api_ulr: unknown key \"api_ulr\";"
                            + " did you mean \"api_url\"?");
            assertThat(error("receivers:\n  - name: a\n    webhook_config:\n      - url: https://x.example\n"))
                    .isEqualTo("cfg.yml:3:5: receivers[0].webhook_config: unknown key \"webhook_config\";"
                            + " did you mean \"webhook_configs\"?");
        }

        @Test
        void unknownReceiverIsAnErrorAtLoad() {
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  routes:\n    - receiver: dbb\n"
                    + "      matchers: [team=db]\n"))
                    .isEqualTo("cfg.yml:7:17: route.routes[0].receiver: unknown receiver \"dbb\"; did you mean \"db\"?");
            assertThat(error(RECEIVERS + "route:\n  receivers: [default, pager]\n"))
                    .isEqualTo("cfg.yml:5:24: route.receivers[1]: unknown receiver \"pager\";"
                            + " expected one of: default, db");
            assertThat(error("receivers:\n  - name: a\n"))
                    .isEqualTo("cfg.yml:1:1: route: missing; without a route every alert goes to the receiver"
                            + " \"log\", which receivers does not define");
        }

        @Test
        void badMatchersNameTheLineAndColumn() {
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  routes:\n    - receiver: db\n"
                    + "      matchers:\n        - team=\"db\"\n        - 'severity=~\"(crit\"'\n"))
                    .isEqualTo("cfg.yml:10:11: route.routes[0].matchers[1]: invalid matcher \"severity=~\\\"(crit\\\"\":"
                            + " column 11: invalid regex \"(crit\": missing closing )");
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  routes:\n    - matchers: ['team db']\n"))
                    .isEqualTo("cfg.yml:7:18: route.routes[0].matchers[0]: invalid matcher \"team db\": column 6:"
                            + " expected an operator such as =, !=, =~ or !~ after \"team\", got \"db\"");
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  routes:\n    - match:\n        team: db\n"))
                    .startsWith("cfg.yml:8:9: route.routes[0].match: match is Alertmanager's deprecated form");
        }

        @Test
        void rootRouteRules() {
            assertThat(error(RECEIVERS + "route:\n  group_by: [a]\n"))
                    .isEqualTo("cfg.yml:5:3: route: the root route needs a receiver (every alert that no child route"
                            + " takes goes there)");
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  matchers: [a=b]\n"))
                    .isEqualTo("cfg.yml:6:13: route.matchers: the root route must not have matchers: it takes every alert");
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  continue: true\n"))
                    .isEqualTo("cfg.yml:6:13: route.continue: the root route cannot have continue: it has no siblings");
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  group_by: ['...', a]\n"))
                    .isEqualTo("cfg.yml:6:13: route.group_by: \"...\" groups by every label, so it must be the only entry");
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  repeat_interval: 0\n"))
                    .isEqualTo("cfg.yml:6:20: route.repeat_interval: must be above 0");
            assertThat(error(RECEIVERS + "route:\n  receiver: default\n  routes:\n    - continue: yes\n"))
                    .isEqualTo("cfg.yml:7:17: route.routes[0].continue: expected true or false, got \"yes\"");
        }

        @Test
        void badTemplatesNameTheKeyAndLine() {
            assertThat(error("receivers:\n  - name: a\n    webhook_configs:\n      - url: https://x.example\n"
                    + "        text: |\n          {% for a in alerts %}\n          {{ a.labels.x }}\n"
                    + "route: {receiver: a}\n"))
                    .startsWith("cfg.yml:5:15: receivers[0].webhook_configs[0].text: invalid template (line 8 of the"
                            + " file): line 3 of the template: ")
                    .contains("endfor");
            assertThat(error("receivers:\n  - name: a\n    slack_configs:\n      - api_url: https://x.example\n"
                    + "        title: |-\n          {{ status }}\n          {{ commonLabels.x | nosuch }}\n"
                    + "          {{ receiver }}\nroute: {receiver: a}\n"))
                    .isEqualTo("cfg.yml:5:16: receivers[0].slack_configs[0].title: invalid template (line 7 of the"
                            + " file): line 2 of the template: Filter [nosuch] does not exist.");
            assertThat(error("receivers:\n  - name: a\n    log_configs:\n      - text: '{{ status | nosuchfilter }}'\n"
                    + "route: {receiver: a}\n"))
                    .startsWith("cfg.yml:4:15: receivers[0].log_configs[0].text: invalid template: line 1 of the"
                            + " template: ")
                    .contains("nosuchfilter");
        }

        @Test
        void destinationsNeedTheirEndpoint() {
            assertThat(error("receivers:\n  - name: a\n    slack_configs:\n      - channel: '#x'\n"))
                    .isEqualTo("cfg.yml:4:9: receivers[0].slack_configs[0]: missing api_url (or api_url_file):"
                            + " the Slack incoming webhook URL (or bot_token_file and channel for a bot that edits"
                            + " one message per alert group)");
            assertThat(error("receivers:\n  - name: a\n    webhook_configs:\n      - url: hooks.example.com/x\n"))
                    .isEqualTo("cfg.yml:4:14: receivers[0].webhook_configs[0].url: expected an absolute http(s) URL"
                            + " such as https://hooks.example.com/path");
            assertThat(error("receivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: k\n"
                    + "        severity: urgent\n"))
                    .isEqualTo("cfg.yml:5:19: receivers[0].pagerduty_configs[0].severity: expected one of critical,"
                            + " error, warning, info, got \"urgent\"");
            assertThat(error("receivers:\n  - name: a\n    webhook_configs:\n      - url: https://x.example\n"
                    + "        url_file: /nope\n"))
                    .isEqualTo("cfg.yml:5:19: receivers[0].webhook_configs[0].url_file: set either url or url_file,"
                            + " not both");
            assertThat(error("receivers:\n  - name: a\n  - name: a\n"))
                    .isEqualTo("cfg.yml:3:11: receivers[1].name: receiver name \"a\" is already used by receivers[0]");
            assertThat(error("receivers:\n  - slack_configs: []\n"))
                    .isEqualTo("cfg.yml:2:5: receivers[0]: every receiver needs a name");
            assertThat(error("receivers:\n  - name: a\n    log_configs:\n      - timeout: 0s\n"))
                    .isEqualTo("cfg.yml:4:18: receivers[0].log_configs[0].timeout: must be above 0 and at most 5m");
        }
    }
}
