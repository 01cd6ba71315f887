package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.testing.AlertmanagerServer;
import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.opsgate.testing.PeerGeneration;
import io.opsgate.testing.SlackApiStandIn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Slack bot mode in the packaged service ({@code opsgate run}) behind a real Alertmanager of each generation, with
 * the Web API stand-in as Slack: one message per group that is edited as it fires more and resolves, and the
 * webhook's {@code notification_reason} in the template (0.33 sends it, 0.25 does not).
 */
class SlackBotIT {
    private static final String TOKEN = "xoxb-it-0000-slackbotit";
    private static final Map<PeerGeneration, String> CHANNELS = Map.of(PeerGeneration.STABLE, "C0STABLE",
            PeerGeneration.CURRENT, "C0CURRENT");
    private static Path work;
    private static SlackApiStandIn slack;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("slackbot-it");
        slack = SlackApiStandIn.start(TOKEN, Map.of("stable", CHANNELS.get(PeerGeneration.STABLE),
                "current", CHANNELS.get(PeerGeneration.CURRENT)));
        Files.writeString(work.resolve("slack_token"), TOKEN + "\n");
        Path config = work.resolve("opsgate.yml");
        Files.writeString(config, GatewayConfigs.deadAws() + GatewayConfigs.alerts("alerts.db") + """
                route:
                  receiver: current
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 1s
                  routes:
                    - matchers: ['generation="STABLE"']
                      receiver: stable
                receivers:
                  - name: current
                    slack_configs:
                      - {bot_token_file: slack_token, channel: %s, web_api_url: "%s", rate_limit: 0,
                         title: '[{{ status | upper }}:{{ firing | length }}] {{ commonLabels.alertname }} ({{ notificationReason }})'}
                  - name: stable
                    slack_configs:
                      - {bot_token_file: slack_token, channel: %s, web_api_url: "%s", rate_limit: 0,
                         title: '[{{ status | upper }}:{{ firing | length }}] {{ commonLabels.alertname }} ({{ notificationReason }})'}
                """.formatted(CHANNELS.get(PeerGeneration.CURRENT), slack.url(), CHANNELS.get(PeerGeneration.STABLE),
                slack.url()));
        gateway = GatewayProcess.run(config, FreePort.pick(), work.resolve("gateway.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (slack != null) {
            slack.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void oneMessageFollowsTheGroupAndTheReasonReachesTheTemplate(PeerGeneration generation) throws Exception {
        generation.alertmanager(); // skips (or fails under CI) before anything is started
        String channel = CHANNELS.get(generation);
        String amConfig = GatewayConfigs.alertmanagerToGateway(
                gateway.uri("/hooks/alertmanager").toString(), "[alertname]", "1s", "1s");
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant open = startsAt.plus(Duration.ofHours(1));
        try (AlertmanagerServer am = AlertmanagerServer.start(generation, amConfig,
                work.resolve("am-" + generation.name().toLowerCase()))) {
            am.pushAlerts(postable(generation, List.of("i-1"), startsAt, open));
            await().atMost(Duration.ofSeconds(30)).until(() -> slack.messages(channel).size() == 1);
            am.pushAlerts(postable(generation, List.of("i-1", "i-2"), startsAt, open));
            await().atMost(Duration.ofSeconds(30)).until(() -> text(channel).startsWith("[FIRING:2]"));
            am.pushAlerts(postable(generation, List.of("i-1", "i-2"), startsAt, Instant.now().minusSeconds(1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> text(channel).startsWith("[RESOLVED:0]"));
        }
        List<SlackApiStandIn.Message> messages = slack.messages(channel);
        assertThat(messages).as("one message for the group").hasSize(1);
        List<String> lines = messages.get(0).replies().stream().map(r -> r.getString("text")).toList();
        if (generation == PeerGeneration.CURRENT) {
            assertThat(slack.calls("chat.postMessage").stream()
                    .filter(c -> c.args().getString("channel").equals(channel) && !c.threadReply())
                    .map(c -> c.args().getString("text")))
                    .containsExactly("[FIRING:1] ItSlack (first notification)");
            assertThat(lines).contains(":fire: [FIRING:2] ItSlack (new alerts added)")
                    .last().isEqualTo(":white_check_mark: [RESOLVED:0] ItSlack (all alerts resolved)");
        } else {
            assertThat(text(channel)).isEqualTo("[RESOLVED:0] ItSlack ()");
            assertThat(lines).last().isEqualTo(":white_check_mark: [RESOLVED:0] ItSlack ()");
        }
        assertThat(slack.calls()).allSatisfy(c -> assertThat(c.answer()).isNotNull());
        assertThat(Files.readString(work.resolve("gateway.log"))).doesNotContain(TOKEN);
    }

    private static String text(String channel) {
        List<SlackApiStandIn.Message> messages = slack.messages(channel);
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).content().getString("text");
    }

    private static String postable(PeerGeneration generation, List<String> instances, Instant startsAt,
                                   Instant endsAt) {
        JsonArray alerts = new JsonArray();
        for (String instance : instances) {
            alerts.add(new JsonObject()
                    .put("labels", new JsonObject().put("alertname", "ItSlack").put("instance", instance)
                            .put("generation", generation.name()))
                    .put("annotations", new JsonObject().put("summary", "disk of " + instance + " is full"))
                    .put("startsAt", startsAt.toString())
                    .put("endsAt", endsAt.toString()));
        }
        return alerts.encode();
    }
}
