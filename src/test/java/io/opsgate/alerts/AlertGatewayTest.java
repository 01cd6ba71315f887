package io.opsgate.alerts;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.alerts.notify.Channel;
import io.opsgate.alerts.notify.DeliveryOutcome;
import io.opsgate.alerts.routing.RouteMatch;
import io.opsgate.testing.ExpositionText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway end to end in-process: HTTP in, SQLite store, dispatcher, a recording channel out. */
class AlertGatewayTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    @TempDir
    Path dir;

    private static FixedRouter route(Duration groupWait, Duration repeat, String... groupBy) {
        return new FixedRouter(List.of(new RouteMatch("0", List.of("team"), List.of(groupBy), groupWait, repeat)));
    }

    private GatewayHarness gateway(FixedRouter router, Channel channel) throws Exception {
        return new GatewayHarness(GatewayHarness.config(dir.resolve("alerts.db"), "token"), router,
                Map.of("team", List.of(channel)));
    }

    private static JsonObject alert(String fp, String status) {
        return Webhooks.alert(fp, status, Map.of("alertname", "Disk", "instance", fp), START);
    }

    @Test
    void copiesFromPeersRetriesAndLaggingPeersCollapseIntoOneNotificationPerStateChange() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty());
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofHours(4), "alertname"), channel)) {
            JsonObject firing = Webhooks.message("firing", alert("f1", "firing"));
            assertThat(gw.post(firing).statusCode()).isEqualTo(200);
            HttpResponse<String> copy = gw.post(firing);
            assertThat(copy.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(copy.body()).getInteger("deduplicated")).isEqualTo(1);
            waitFor(() -> channel.delivered().size() == 1);

            JsonObject resolved = Webhooks.message("resolved", alert("f1", "resolved"));
            gw.post(resolved);
            gw.post(resolved);
            gw.post(firing); // a lagging peer still reports the same occurrence as firing
            nothingMoreThan(() -> channel.delivered().size(), 2);
            assertThat(channel.delivered()).extracting(Notification::status)
                    .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);

            JsonObject refired = Webhooks.message("firing",
                    Webhooks.alert("f1", "firing", Map.of("alertname", "Disk", "instance", "f1"), START.plusSeconds(600)));
            gw.post(refired);
            waitFor(() -> channel.delivered().size() == 3);

            String metrics = scrape(gw);
            assertThat(ExpositionText.sum(metrics, "opsgate_alerts_received_total")).isEqualTo(6.0);
            assertThat(ExpositionText.sum(metrics, "opsgate_alerts_deduplicated_total")).isEqualTo(3.0);
            assertThat(ExpositionText.sum(metrics, "opsgate_webhook_requests_total", "code=\"200\"")).isEqualTo(6.0);
        }
    }

    @Test
    void alertsArrivingWithinGroupWaitAreOneNotification() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty());
        Duration groupWait = Duration.ofSeconds(3);
        try (GatewayHarness gw = gateway(route(groupWait, Duration.ofHours(4), "alertname"), channel)) {
            Instant first = Instant.now();
            gw.post(Webhooks.message("firing", alert("g1", "firing")));
            gw.post(Webhooks.message("firing", alert("g2", "firing"), alert("g3", "firing")));
            assertThat(Duration.between(first, Instant.now())).as("both posts within group_wait").isLessThan(groupWait);
            waitFor(() -> channel.delivered().size() == 1);
            nothingMoreThan(() -> channel.attempts().size(), 1);
            assertThat(channel.attempts().get(0).at()).as("held for group_wait").isAfterOrEqualTo(first.plus(groupWait));
            Notification n = channel.delivered().get(0);
            assertThat(n.alerts()).extracting(Alert::fingerprint).containsExactly("g1", "g2", "g3");
            assertThat(n.groupLabels()).containsExactly(Map.entry("alertname", "Disk"));
            assertThat(n.commonLabels()).containsExactly(Map.entry("alertname", "Disk"));
            assertThat(n.externalUrl()).isEqualTo("http://alertmanager:9093");
        }
    }

    /**
     * The reported P1 defect: FIRING got 429 Retry-After, the alert resolved meanwhile, and the destination got
     * RESOLVED and then the stale FIRING. Now the resolve supersedes the firing, keeps the destination's Retry-After,
     * and is what the destination gets last.
     */
    @Test
    void aRateLimitedFiringThatResolvesMeanwhileEndsOnResolvedAndIsNeverSentStale() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty())
                .then(new DeliveryOutcome.RetryLater("HTTP 429", Optional.of(Duration.ofSeconds(3))));
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofHours(4), "alertname"), channel)) {
            gw.post(Webhooks.message("firing", alert("q1", "firing"), alert("q2", "firing")));
            waitFor(() -> channel.attempts().size() == 1);
            Instant limited = channel.attempts().get(0).at();
            gw.post(Webhooks.message("resolved", alert("q1", "resolved")));
            waitFor(() -> channel.delivered().size() == 1);
            nothingMoreThan(() -> channel.attempts().size(), 2);
            RecordingChannel.Attempt last = channel.attempts().get(1);
            assertThat(Duration.between(limited, last.at())).as("Retry-After held").isGreaterThanOrEqualTo(Duration.ofMillis(2990));
            assertThat(last.notification().alerts()).extracting(Alert::fingerprint, Alert::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("q1", AlertStatus.RESOLVED),
                    org.assertj.core.groups.Tuple.tuple("q2", AlertStatus.FIRING));
            assertThat(last.notification().idempotencyKey()).isNotEqualTo(channel.attempts().get(0).notification().idempotencyKey());
            JsonArray superseded = gw.get("/api/v1/notifications?status=superseded").getJsonArray("notifications");
            assertThat(superseded).hasSize(1);
        }
    }

    /** P1 with the firing request in flight when the resolve comes: its lane waits for the answer, then sends. */
    @Test
    void aResolveWaitsForTheFiringRequestInFlightAndAFailedFiringIsFoldedIntoIt() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty())
                .thenAfter(new DeliveryOutcome.RetryLater("timeout", Optional.empty()), Duration.ofSeconds(2));
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofHours(4), "alertname"), channel)) {
            gw.post(Webhooks.message("firing", alert("w1", "firing")));
            waitFor(() -> channel.attempts().size() == 1);
            gw.post(Webhooks.message("resolved", alert("w1", "resolved")));
            waitFor(() -> channel.delivered().size() == 1);
            nothingMoreThan(() -> channel.attempts().size(), 2);
            List<RecordingChannel.Attempt> attempts = channel.attempts();
            assertThat(attempts.get(1).at()).as("not while the firing was in flight")
                    .isAfterOrEqualTo(attempts.get(0).answeredAt());
            assertThat(attempts.get(1).notification().status()).isEqualTo(AlertStatus.RESOLVED);
        }
    }

    @Test
    void retryAfterIsHonouredAndTheNotificationDeliveredOnce() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty())
                .then(new DeliveryOutcome.RetryLater("HTTP 500", Optional.empty()))
                .then(new DeliveryOutcome.RetryLater("HTTP 429", Optional.of(Duration.ofSeconds(2))));
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofHours(4), "alertname"), channel)) {
            gw.post(Webhooks.message("firing", alert("r1", "firing")));
            waitFor(() -> channel.delivered().size() == 1);
            List<RecordingChannel.Attempt> attempts = channel.attempts();
            assertThat(attempts).hasSize(3);
            assertThat(Duration.between(attempts.get(1).at(), attempts.get(2).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1990));
            waitFor(() -> gw.get("/api/v1/notifications?status=sent").getJsonArray("notifications").size() == 1);
            JsonObject sent = gw.get("/api/v1/notifications?status=sent").getJsonArray("notifications").getJsonObject(0);
            assertThat(sent.getInteger("attempts")).isEqualTo(3);
            assertThat(sent.getString("lastError")).isEqualTo("HTTP 429");
            nothingMoreThan(() -> channel.attempts().size(), 3);
            assertThat(channel.attempts()).extracting(a -> a.notification().attempt()).containsExactly(0, 1, 2);
            assertThat(channel.attempts()).extracting(a -> a.notification().idempotencyKey()).containsOnly(
                    channel.attempts().get(0).notification().idempotencyKey());
        }
    }

    @Test
    void permanentFailureIsSurfacedAndNotRetried() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty())
                .otherwise(n -> new DeliveryOutcome.Failed("HTTP 404: no_service"));
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofHours(4), "alertname"), channel)) {
            gw.post(Webhooks.message("firing", alert("p1", "firing")));
            waitFor(() -> gw.get("/api/v1/notifications?status=failed").getJsonArray("notifications").size() == 1);
            JsonObject failed = gw.get("/api/v1/notifications?status=failed").getJsonArray("notifications").getJsonObject(0);
            assertThat(failed.getString("lastError")).isEqualTo("HTTP 404: no_service");
            assertThat(failed.getJsonArray("fingerprints")).containsExactly("p1");
            nothingMoreThan(() -> channel.attempts().size(), 1);
            assertThat(ExpositionText.sum(scrape(gw), "opsgate_notifications_total", "channel=\"test\"", "outcome=\"failed\""))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void givesUpAfterMaxAgeWithTheLastReason() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty())
                .otherwise(n -> new DeliveryOutcome.RetryLater("HTTP 502", Optional.empty()));
        try (GatewayHarness gw = new GatewayHarness(GatewayHarness.config(dir.resolve("a.db"), "token",
                Duration.ofMillis(1500)), route(Duration.ZERO, Duration.ofHours(4), "alertname"),
                Map.of("team", List.of(channel)))) {
            gw.post(Webhooks.message("firing", alert("old", "firing")));
            waitFor(() -> gw.get("/api/v1/notifications?status=failed").getJsonArray("notifications").size() == 1);
            JsonObject failed = gw.get("/api/v1/notifications?status=failed").getJsonArray("notifications")
                    .getJsonObject(0);
            assertThat(failed.getString("lastError")).startsWith("gave up after 1s500ms").endsWith("HTTP 502");
            assertThat(channel.attempts().size()).isGreaterThan(1);
            nothingMoreThan(() -> channel.attempts().size(), channel.attempts().size());
        }
    }

    @Test
    void pendingNotificationsSurviveARestartAndAreDeliveredOnce() throws Exception {
        RecordingChannel down = new RecordingChannel("team/test[0]", Optional.empty())
                .otherwise(n -> new DeliveryOutcome.RetryLater("HTTP 503", Optional.of(Duration.ofHours(1))));
        FixedRouter router = route(Duration.ZERO, Duration.ofHours(4), "...");
        try (GatewayHarness gw = gateway(router, down)) {
            for (int i = 0; i < 50; i++) {
                assertThat(gw.post(Webhooks.message("firing", alert("c" + i, "firing"))).statusCode()).isEqualTo(200);
            }
            waitFor(() -> down.attempts().size() == 50);
            waitFor(() -> ExpositionText.sum(scrape(gw), "opsgate_outbox_pending") == 50.0);
        }
        RecordingChannel up = new RecordingChannel("team/test[0]", Optional.empty());
        try (GatewayHarness gw = gateway(router, up)) {
            waitFor(() -> up.delivered().size() == 50);
            nothingMoreThan(() -> up.delivered().size(), 50);
            assertThat(up.delivered().stream().map(n -> n.alerts().get(0).fingerprint()).distinct()).hasSize(50);
            assertThat(up.delivered().get(0).attempt()).as("attempts carried over").isEqualTo(1);
        }
    }

    @Test
    void destinationRateLimitSpacesDeliveries() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.of(5.0));
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofHours(4), "..."), channel)) {
            JsonObject[] alerts = new JsonObject[15];
            for (int i = 0; i < alerts.length; i++) {
                alerts[i] = alert("rl" + i, "firing");
            }
            gw.post(Webhooks.message("firing", alerts));
            waitFor(() -> channel.delivered().size() == 15);
            List<RecordingChannel.Attempt> a = channel.attempts();
            // 5 immediately (one second's burst), then 10 more at 5/s: 2 s from the first token to the last. The times
            // are taken when the channel is called, a little after the token: on a loaded machine the first call can
            // be recorded a few hundred ms late (1.82 s was seen at load average 30), so the bound keeps that slack;
            // without the limit all 15 would go out within milliseconds.
            assertThat(Duration.between(a.get(0).at(), a.get(14).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void stillFiringAlertsAreRemindedAfterRepeatIntervalUntilResolved() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty());
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofMillis(600), "alertname"), channel)) {
            gw.post(Webhooks.message("firing", alert("rep", "firing")));
            waitFor(() -> channel.delivered().size() >= 3);
            gw.post(Webhooks.message("resolved", alert("rep", "resolved")));
            waitFor(() -> channel.delivered().stream().anyMatch(n -> n.status() == AlertStatus.RESOLVED));
            nothingMoreThan(() -> channel.delivered().size(), channel.delivered().size());
            List<Notification> delivered = channel.delivered();
            assertThat(delivered.get(delivered.size() - 1).status()).isEqualTo(AlertStatus.RESOLVED);
        }
    }

    @Test
    void aStoreThatCannotTakeTheAlertsAnswers503SoAlertmanagerRetries() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty());
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofHours(4), "alertname"), channel)) {
            gw.closeStore();
            HttpResponse<String> r = gw.post(Webhooks.message("firing", alert("u1", "firing")));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).contains("5");
            assertThat(new JsonObject(r.body()).getString("error")).contains("nothing was stored");
            assertThat(ExpositionText.sum(scrape(gw), "opsgate_webhook_requests_total", "code=\"503\"")).isEqualTo(1.0);
            assertThat(channel.attempts()).isEmpty();
        }
    }

    @Test
    void badRequestsAreRefusedWithAReasonAndStoreNothing() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty());
        try (GatewayHarness gw = gateway(route(Duration.ZERO, Duration.ofHours(4), "alertname"), channel)) {
            String good = Webhooks.message("firing", alert("b1", "firing")).encode();
            HttpResponse<String> noAuth = gw.post(good, null);
            assertThat(noAuth.statusCode()).isEqualTo(401);
            assertThat(noAuth.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"opsgate\"");
            assertThat(gw.post(good, "Bearer wrong").statusCode()).isEqualTo(401);

            HttpResponse<String> huge = gw.post("{\"version\":\"4\",\"x\":\"" + "y".repeat(2 << 20) + "\"}", "Bearer token");
            assertThat(huge.statusCode()).isEqualTo(413);
            assertThat(new JsonObject(huge.body()).getString("error")).contains("max_body_size");

            JsonObject wrongType = Webhooks.message("firing", alert("b1", "firing"), alert("b2", "firing"));
            wrongType.getJsonArray("alerts").getJsonObject(1).put("startsAt", 5);
            HttpResponse<String> bad = gw.post(wrongType.encode(), "Bearer token");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(bad.body()).getString("field")).isEqualTo("alerts[1].startsAt");

            for (String api : List.of("/api/v1/alerts", "/api/v1/notifications")) {
                HttpResponse<String> anonymous = gw.get(api, null);
                assertThat(anonymous.statusCode()).as(api).isEqualTo(401);
                assertThat(anonymous.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"opsgate\"");
                assertThat(gw.get(api, "Bearer wrong").statusCode()).as(api).isEqualTo(401);
            }
            assertThat(gw.get("/api/v1/alerts").getJsonArray("alerts")).isEmpty();
            assertThat(gw.post(good, "Bearer token").statusCode()).isEqualTo(200);
            assertThat(gw.get("/api/v1/alerts").getJsonArray("alerts")).hasSize(1);
            String metrics = scrape(gw);
            assertThat(ExpositionText.sum(metrics, "opsgate_webhook_requests_total", "code=\"401\"")).isEqualTo(2.0);
            assertThat(ExpositionText.sum(metrics, "opsgate_webhook_requests_total", "code=\"413\"")).isEqualTo(1.0);
            assertThat(ExpositionText.sum(metrics, "opsgate_webhook_requests_total", "code=\"400\"")).isEqualTo(1.0);
        }
    }

    private static String scrape(GatewayHarness gw) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, gw.registry.scrape());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Waits (Awaitility, up to 20 s) until the condition holds. */
    static void waitFor(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(condition);
    }

    /** Waits until {@code count} reaches {@code expected}, then requires it to stay there for a second. */
    static void nothingMoreThan(java.util.concurrent.Callable<Integer> count, int expected) {
        await().atMost(Duration.ofSeconds(20)).until(count, n -> n >= expected);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(count, n -> n == expected);
    }

}
