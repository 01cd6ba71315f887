package io.opsgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.alerts.notify.AlertDestinations;
import io.opsgate.alerts.routing.RouteMatch;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.SlackApiStandIn;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack bot mode wired as the service wires it (configuration, {@link AlertDestinations}, the gateway with its SQLite
 * store and dispatcher) against the Web API stand-in: a group's lifecycle is one {@code chat.postMessage} and then
 * only {@code chat.update} calls and thread lines, across a restart of the gateway between its changes.
 */
class SlackBotGatewayTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final String TOKEN = "xoxb-42-42-gatewaytesttoken";
    private static final String CHANNEL = "C0ONCALL";
    @TempDir
    Path dir;

    private static JsonObject alert(String fp, String status) {
        return Webhooks.alert(fp, status, Map.of("alertname", "Disk", "instance", fp), START);
    }

    /** One run of the gateway on the store file, with its own destinations built from the configuration. */
    private final class Run implements AutoCloseable {
        final Vertx vertx = Vertx.vertx();
        final AlertDestinations destinations;
        final GatewayHarness gateway;

        Run(SlackApiStandIn slack) throws Exception {
            Files.writeString(dir.resolve("token"), TOKEN + "\n");
            OpsGateConfig config = ConfigLoader.parse("""
                    route: {receiver: team}
                    receivers:
                      - name: team
                        slack_configs:
                          - bot_token_file: token
                            channel: %s
                            web_api_url: %s
                            rate_limit: 0
                    """.formatted(CHANNEL, slack.url()), "cfg.yml", name -> null, dir);
            destinations = AlertDestinations.create(vertx, config, Clock.systemUTC());
            FixedRouter router = new FixedRouter(List.of(new RouteMatch("0", List.of("team"), List.of("alertname"),
                    Duration.ZERO, Duration.ofHours(4))));
            gateway = new GatewayHarness(GatewayHarness.config(dir.resolve("alerts.db"), "token"), router,
                    destinations.channelsByReceiver());
        }

        @Override
        public void close() throws Exception {
            gateway.close();
            destinations.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGroupKeepsOneMessageThroughItsLifecycleAndARestart() throws Exception {
        try (SlackApiStandIn slack = SlackApiStandIn.start(TOKEN, Map.of("oncall", CHANNEL))) {
            try (Run run = new Run(slack)) {
                assertThat(run.gateway.post(Webhooks.message("firing", alert("d1", "firing"))).statusCode())
                        .isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> slack.messages(CHANNEL).size() == 1);
                assertThat(run.gateway.post(Webhooks.message("firing", alert("d2", "firing"))).statusCode())
                        .isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> slack.calls("chat.update").size() == 1
                        && threadLines(slack) == 1);
            }
            try (Run restarted = new Run(slack)) {
                assertThat(restarted.gateway.post(Webhooks.message("resolved", alert("d1", "resolved"),
                        alert("d2", "resolved"))).statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> threadLines(slack) == 2);
            }
            List<SlackApiStandIn.Message> messages = slack.messages(CHANNEL);
            assertThat(messages).as("one top-level message for the group").hasSize(1);
            String ts = messages.get(0).ts();
            assertThat(slack.calls("chat.update")).hasSize(2)
                    .allSatisfy(c -> assertThat(c.args().getString("ts")).isEqualTo(ts));
            assertThat(slack.calls("chat.postMessage").stream().filter(c -> !c.threadReply())).hasSize(1);
            assertThat(messages.get(0).content().getString("text")).isEqualTo("[RESOLVED] Disk");
            assertThat(messages.get(0).replies()).extracting(r -> r.getString("text"))
                    .containsExactly(":fire: [FIRING:2] Disk", ":white_check_mark: [RESOLVED] Disk");
        }
    }

    @Test
    void aPermanentSlackErrorIsSurfacedInLastErrorWithoutTheToken() throws Exception {
        try (SlackApiStandIn slack = SlackApiStandIn.start(TOKEN, Map.of("oncall", CHANNEL));
             Run run = new Run(slack)) {
            slack.failNext("chat.postMessage", "not_in_channel");
            run.gateway.post(Webhooks.message("firing", alert("e1", "firing")));
            await().atMost(Duration.ofSeconds(20)).until(() -> run.gateway.get("/api/v1/notifications?status=failed")
                    .getJsonArray("notifications").size() == 1);
            JsonObject failed = run.gateway.get("/api/v1/notifications?status=failed").getJsonArray("notifications")
                    .getJsonObject(0);
            assertThat(failed.getString("lastError")).isEqualTo("slack chat.postMessage: not_in_channel");
            assertThat(failed.getInteger("attempts")).isEqualTo(1);
            assertThat(run.gateway.get("/api/v1/notifications").encode()).doesNotContain(TOKEN);
        }
    }

    private static long threadLines(SlackApiStandIn slack) {
        return slack.calls("chat.postMessage").stream().filter(SlackApiStandIn.Call::threadReply)
                .filter(c -> c.answer() != null && c.answer().getBoolean("ok", false)).count();
    }
}
