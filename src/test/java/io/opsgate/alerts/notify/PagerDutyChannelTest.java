package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PagerDutyChannelTest extends SinkTestBase {
    PagerDutyChannel channel(String severity, String title) {
        TemplateEngine plain = TemplateEngine.plain();
        OpsGateConfig.PagerDutyConfig config = new OpsGateConfig.PagerDutyConfig("R0UT1NG", sink.url("/v2/enqueue"),
                severity, title, null, new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(5)));
        return new PagerDutyChannel("team/pagerduty[0]", config,
                title == null ? plain.shipped("pagerduty-summary") : plain.compile(title), plain.shipped("text"),
                client, Clock.systemUTC(), SecretRedactor.NONE);
    }

    /** Computed here independently of the channel: SHA-256 over groupKey, a zero byte, fingerprint. */
    static String expectedDedupKey(String groupKey, String fingerprint) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((groupKey + "\0" + fingerprint).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private List<JsonObject> events() {
        return sink.received().stream().map(r -> r.body().toJsonObject())
                .sorted(Comparator.comparing(e -> e.getString("dedup_key"))).toList();
    }

    @Test
    void triggersOneEventPerAlertAndResolvesWithTheSameDedupKey() throws Exception {
        Alert a = instanceDown("a:9100");
        Alert b = instanceDown("b:9100");
        Notification firing = notification(1, List.of(a, b));
        sink.reply(HttpSink.Reply.of(202), HttpSink.Reply.of(202));
        assertThat(await(channel(null, null).deliver(firing))).isEqualTo(new DeliveryOutcome.Delivered(202));
        assertThat(sink.received()).hasSize(2).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v2/enqueue"));

        JsonObject trigger = events().stream()
                .filter(e -> e.getString("dedup_key").equals(dedupKeyOf(firing, a))).findFirst().orElseThrow();
        assertThat(trigger.getString("routing_key")).isEqualTo("R0UT1NG");
        assertThat(trigger.getString("event_action")).isEqualTo("trigger");
        assertThat(trigger.getString("dedup_key")).isEqualTo(expectedDedupKey(firing.groupKey(), "fp-a:9100"));
        JsonObject payload = trigger.getJsonObject("payload");
        assertThat(payload.getString("summary")).isEqualTo("InstanceDown on a:9100: a:9100 is down");
        assertThat(payload.getString("source")).isEqualTo("a:9100");
        assertThat(payload.getString("severity")).isEqualTo("critical");
        assertThat(payload.getString("timestamp")).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(payload.getJsonObject("custom_details").getJsonObject("labels").getString("job")).isEqualTo("node");
        assertThat(payload.getJsonObject("custom_details").getString("details"))
                .contains("*InstanceDown* (critical) firing: a:9100 is down");
        assertThat(trigger.getString("client_url")).isEqualTo("http://alertmanager.local:9093");
        assertThat(trigger.getJsonArray("links").getJsonObject(0).getString("href")).isEqualTo(a.generatorUrl());

        Notification resolved = notification(2, List.of(Fixtures.resolved(a)));
        assertThat(await(channel(null, null).deliver(resolved))).isEqualTo(new DeliveryOutcome.Delivered(200));
        JsonObject resolve = sink.received().get(2).body().toJsonObject();
        assertThat(resolve.getString("event_action")).isEqualTo("resolve");
        assertThat(resolve.getString("dedup_key")).isEqualTo(trigger.getString("dedup_key"));
        assertThat(resolve.getString("routing_key")).isEqualTo("R0UT1NG");
        assertThat(resolve.containsKey("payload")).isFalse();
    }

    private static String dedupKeyOf(Notification n, Alert a) {
        return PagerDutyChannel.dedupKey(n.groupKey(), a.fingerprint());
    }

    @Test
    void summaryIsCutAt1024Characters() throws Exception {
        await(channel("warning", "{{ commonAnnotations.description }}").deliver(notification(1, List.of(
                Fixtures.firing("fp", Map.of("alertname", "Long"), Map.of("description", "é".repeat(3000)))))));
        JsonObject payload = sink.received().get(0).body().toJsonObject().getJsonObject("payload");
        assertThat(payload.getString("summary")).hasSize(PagerDutyChannel.MAX_SUMMARY_CHARS).endsWith("é…");
        assertThat(payload.getString("severity")).as("configured severity wins").isEqualTo("warning");
        assertThat(payload.getString("source")).as("no instance or job: the generatorURL's host")
                .isEqualTo("prometheus.local");
    }

    @Test
    void worstOutcomeOfTheEventsWins() throws Exception {
        Notification two = notification(1, List.of(instanceDown("a:9100"), instanceDown("b:9100")));
        sink.reply(HttpSink.Reply.of(202), new HttpSink.Reply(429, Map.of("Retry-After", "3"), ""));
        PagerDutyChannel channel = channel(null, null);
        assertThat(await(channel.deliver(two))).isEqualTo(new DeliveryOutcome.RetryLater(
                "HTTP 429 (1 of 2 events still to send)", Optional.of(Duration.ofSeconds(3))));
        sink.reply(new HttpSink.Reply(400, Map.of(), "{\"status\":\"invalid event\"}"));
        assertThat(await(channel.deliver(two))).as("the retry sends only the event not accepted yet").isEqualTo(
                new DeliveryOutcome.Failed("1 of 1 events rejected: HTTP 400: {\"status\":\"invalid event\"}"));
        assertThat(sink.received()).hasSize(3);

        Notification other = notification(2, List.of(instanceDown("a:9100"), instanceDown("b:9100")));
        sink.reply(new HttpSink.Reply(400, Map.of(), "bad"), HttpSink.Reply.of(500));
        assertThat(await(channel.deliver(other))).isEqualTo(new DeliveryOutcome.Failed("1 of 2 events rejected: HTTP 400: bad"));
    }

    @Test
    void aRateLimitedGroupGetsThroughAtPagerDutysPaceWithoutResendingWhatWasAccepted() throws Exception {
        List<Alert> alerts = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            alerts.add(instanceDown("h" + i + ":9100"));
        }
        Notification n = notification(7, alerts);
        PagerDutyChannel channel = channel(null, null);
        // The third event is refused; nothing starts after the refusal arrives (events already under way finish).
        sink.reply(HttpSink.Reply.of(202), HttpSink.Reply.of(202), new HttpSink.Reply(429, Map.of("Retry-After", "1"), ""),
                HttpSink.Reply.of(202));
        DeliveryOutcome first = await(channel.deliver(n));
        int sent = sink.received().size();
        assertThat(sent).isBetween(PagerDutyChannel.MAX_IN_FLIGHT, 10);
        int accepted = sent - 1;
        assertThat(first).isEqualTo(new DeliveryOutcome.RetryLater(
                "HTTP 429 (" + (10 - accepted) + " of 10 events still to send)", Optional.of(Duration.ofSeconds(1))));
        assertThat(await(channel.deliver(n))).isEqualTo(new DeliveryOutcome.Delivered(200));
        List<String> keys = sink.received().stream().map(r -> r.body().toJsonObject().getString("dedup_key")).toList();
        String refused = keys.get(2);
        assertThat(keys).as("what was accepted is not sent again: only the refused event goes twice").hasSize(11)
                .filteredOn(refused::equals).hasSize(2);
        assertThat(new java.util.HashSet<>(keys)).hasSize(10);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "MISSING", value = {
        "critical, critical", "page, critical", "P1, critical", "error, error", "warning, warning", "warn, warning",
        "info, info", "none, info", "whatever, error", "MISSING, error"})
    void mapsSeverityLabels(String label, String expected) {
        assertThat(PagerDutyChannel.severity(label)).isEqualTo(expected);
    }
}
