package io.opsgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.routing.RouteMatch;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.alerts.webhook.WebhookMessage;
import io.opsgate.alerts.webhook.WebhookParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alertmanager 0.32+'s {@code notification_reason}: read when present (any value, known or not), "" when absent (0.25
 * and older) or not a string, carried through the store to the notification, its template data and
 * {@code /api/v1/notifications}.
 */
class NotificationReasonTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private final WebhookParser parser = new WebhookParser();
    @TempDir
    Path dir;

    private static JsonObject message(Object reason) {
        JsonObject body = Webhooks.message("firing",
                Webhooks.alert("r1", "firing", Map.of("alertname", "Disk", "instance", "x"), START));
        if (reason != null) {
            body.put("notification_reason", reason);
        }
        return body;
    }

    private WebhookMessage parse(JsonObject body) throws Exception {
        return parser.parse(body.encode().getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"first notification", "new alerts added", "some alerts resolved", "all alerts resolved",
            "repeat interval elapsed", "a reason of a later version"})
    void anyReasonIsKeptAsSent(String reason) throws Exception {
        assertThat(parse(message(reason)).notificationReason()).isEqualTo(reason);
    }

    @Test
    void anAbsentReasonAsFromAlertmanager025IsEmpty() throws Exception {
        assertThat(parse(message(null)).notificationReason()).isEmpty();
        assertThat(parse(message(null).putNull("notification_reason")).notificationReason()).isEmpty();
    }

    @Test
    void aReasonOfAnotherTypeIsIgnoredAndALongOneCutRatherThanLosingTheAlerts() throws Exception {
        assertThat(parse(message(42)).notificationReason()).isEmpty();
        assertThat(parse(message(new JsonObject().put("x", 1))).notificationReason()).isEmpty();
        assertThat(parse(message(new JsonArray().add("first notification"))).notificationReason()).isEmpty();
        WebhookMessage longOne = parse(message("x".repeat(10_000)));
        assertThat(longOne.notificationReason()).hasSize(100);
        assertThat(longOne.alerts()).hasSize(1);
    }

    @Test
    void templatesSeeTheReason() {
        Notification n = new Notification(1, "0", "team", "team/test[0]", "{}", io.opsgate.alerts.model.AlertStatus.FIRING,
                List.of(), Map.of(), Map.of(), Map.of(), "", START, 0, "k", "new alerts added");
        assertThat(TemplateData.of(n)).containsEntry("notificationReason", "new alerts added");
        assertThat(TemplateEngine.plain().compile("{{ status }} ({{ notificationReason }})")
                .render(TemplateData.of(n), 100).text()).isEqualTo("firing (new alerts added)");
    }

    @Test
    void theNewestReasonOfTheGroupReachesTheNotificationAndTheApiAndRemindersSayRepeat() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty());
        FixedRouter router = new FixedRouter(List.of(new RouteMatch("0", List.of("team"), List.of("alertname"),
                Duration.ZERO, Duration.ofMillis(1500))));
        try (GatewayHarness gw = new GatewayHarness(GatewayHarness.config(dir.resolve("alerts.db"), "token"), router,
                Map.of("team", List.of(channel)))) {
            assertThat(gw.post(message("first notification")).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> channel.delivered().size() >= 2);
            List<Notification> delivered = channel.delivered();
            assertThat(delivered.get(0).notificationReason()).isEqualTo("first notification");
            assertThat(delivered.get(1).notificationReason()).as("OpsGate's own reminder")
                    .isEqualTo("repeat interval elapsed");

            JsonArray rows = gw.get("/api/v1/notifications?limit=1000").getJsonArray("notifications");
            long firstId = delivered.get(0).id();
            assertThat(rows.stream().map(JsonObject.class::cast).filter(r -> r.getLong("id") == firstId)
                    .map(r -> r.getString("notificationReason"))).containsExactly("first notification");

            JsonObject old = Webhooks.message("firing",
                    Webhooks.alert("r2", "firing", Map.of("alertname", "Disk", "instance", "y"), START));
            assertThat(gw.post(old).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> channel.delivered().stream().anyMatch(NotificationReasonTest::r2Change));
            assertThat(channel.delivered().stream().filter(NotificationReasonTest::r2Change).findFirst().orElseThrow()
                    .notificationReason()).as("the newest webhook, from a peer without the field (0.25)").isEmpty();
        }
    }

    /** The notification of r2's arrival (not a reminder, which repeats every firing alert). */
    private static boolean r2Change(Notification n) {
        return n.alerts().stream().anyMatch(a -> a.fingerprint().equals("r2"))
                && !n.notificationReason().equals("repeat interval elapsed");
    }
}
