package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.ExternalBinary;
import io.opsgate.testing.FreePort;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic webhook, and through it the HTTP outcome mapping all HTTP channels share, against a real server. */
class WebhookChannelTest extends SinkTestBase {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:40Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static WebhookChannel channel(String url, String secret, Duration timeout, boolean sendResolved) {
        TemplateEngine plain = TemplateEngine.plain();
        OpsGateConfig.WebhookConfig config = new OpsGateConfig.WebhookConfig(url, secret, null, null,
                new OpsGateConfig.Delivery(sendResolved, Optional.empty(), timeout));
        return new WebhookChannel("team/webhook[0]", config, plain.shipped("title"), plain.shipped("text"), client, CLOCK,
                SecretRedactor.NONE);
    }

    private DeliveryOutcome deliverTo(HttpSink.Reply reply) throws Exception {
        sink.reply(reply);
        return await(channel(sink.url("/hook"), null, Duration.ofSeconds(5), true)
                .deliver(notification(1, List.of(instanceDown("a:9100")))));
    }

    @Test
    void mapsStatusCodesToOutcomes() throws Exception {
        assertThat(deliverTo(HttpSink.Reply.of(200))).isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(deliverTo(HttpSink.Reply.of(204))).isEqualTo(new DeliveryOutcome.Delivered(204));
        assertThat(deliverTo(HttpSink.Reply.of(500))).isEqualTo(new DeliveryOutcome.RetryLater("HTTP 500", Optional.empty()));
        assertThat(deliverTo(new HttpSink.Reply(503, Map.of("Retry-After", "7"), "busy")))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 503: busy", Optional.of(Duration.ofSeconds(7))));
        assertThat(deliverTo(new HttpSink.Reply(429, Map.of("Retry-After", "Sun, 01 Mar 2026 10:01:10 GMT"), "")))
                .as("HTTP-date, 30 s after the clock")
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 429", Optional.of(Duration.ofSeconds(30))));
        assertThat(deliverTo(new HttpSink.Reply(429, Map.of("Retry-After", "Sun, 01 Mar 2026 09:00:00 GMT"), "")))
                .as("a date in the past means now")
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 429", Optional.of(Duration.ZERO)));
        assertThat(deliverTo(new HttpSink.Reply(429, Map.of("Retry-After", "soon"), "")))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 429", Optional.empty()));
        assertThat(deliverTo(HttpSink.Reply.of(408))).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(deliverTo(new HttpSink.Reply(404, Map.of(), "no_service\n")))
                .isEqualTo(new DeliveryOutcome.Failed("HTTP 404: no_service"));
        assertThat(deliverTo(new HttpSink.Reply(400, Map.of(), "x".repeat(1000))))
                .isEqualTo(new DeliveryOutcome.Failed("HTTP 400: " + "x".repeat(300) + "..."));
        assertThat(deliverTo(HttpSink.Reply.of(301))).as("redirects are not followed: a moved hook is a config error")
                .isEqualTo(new DeliveryOutcome.Failed("HTTP 301"));
    }

    @Test
    void transportFailuresAndTimeoutsAreTransient() throws Exception {
        DeliveryOutcome refused = await(channel("http://127.0.0.1:" + FreePort.pick() + "/hook", null,
                Duration.ofSeconds(5), true).deliver(notification(1, List.of(instanceDown("a:9100")))));
        assertThat(refused).isInstanceOfSatisfying(DeliveryOutcome.RetryLater.class,
                r -> assertThat(r.reason()).startsWith("transport error: "));

        sink.reply(HttpSink.Reply.of(0));
        long start = System.nanoTime();
        DeliveryOutcome hung = await(channel(sink.url("/hook"), null, Duration.ofMillis(300), true)
                .deliver(notification(1, List.of(instanceDown("a:9100")))));
        assertThat(hung).isInstanceOfSatisfying(DeliveryOutcome.RetryLater.class,
                r -> assertThat(r.reason()).startsWith("timeout"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /**
     * The body written by the streaming generator is the bytes Vert.x wrote for the JsonObject of the same fields,
     * as the channel built it before (for receivers that check a signature over the raw body, or compare bodies),
     * with all alerts and cut to max_alerts, and with text that JSON escapes.
     */
    @Test
    void bodyIsTheBytesOfTheJsonObjectOfItsFields() {
        Alert odd = new Alert("fp-odd", io.opsgate.alerts.model.AlertStatus.FIRING,
                Map.of("alertname", "Quote\"Back\\slash", "instance", "é\u2028\u0001\ttab", "job", "node"),
                Map.of("summary", "line\nbreak </script>"), Instant.parse("2026-03-01T10:00:00.123456Z"),
                Instant.parse("2026-03-01T11:00:00Z"), null);
        Notification n = notification(9, List.of(instanceDown("a:9100"), Fixtures.resolved(instanceDown("b:9100")),
                odd));
        for (int maxAlerts : new int[] {0, 2}) {
            WebhookChannel channel = new WebhookChannel("team/webhook[0]", new OpsGateConfig.WebhookConfig(
                    "http://127.0.0.1:1/hook", null, null, null,
                    new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(5)),
                    io.opsgate.config.Origins.NONE, maxAlerts), TemplateEngine.plain().shipped("title"),
                    TemplateEngine.plain().shipped("text"), client, CLOCK, SecretRedactor.NONE);
            assertThat(channel.body(n).toString(StandardCharsets.UTF_8))
                    .isEqualTo(asJsonObject(channel, n, maxAlerts).toBuffer().toString(StandardCharsets.UTF_8));
        }
    }

    /** The body as the channel built it before it wrote it with the streaming generator. */
    private static JsonObject asJsonObject(WebhookChannel channel, Notification n, int maxAlerts) {
        List<Alert> kept = n.alerts();
        int truncated = 0;
        if (maxAlerts > 0 && kept.size() > maxAlerts) {
            kept = kept.subList(0, maxAlerts);
            truncated = n.alerts().size() - maxAlerts;
        }
        Map<String, Object> data = TemplateData.forAlerts(n, kept);
        io.vertx.core.json.JsonArray alerts = new io.vertx.core.json.JsonArray();
        kept.forEach(a -> alerts.add(AlertJson.of(a)));
        TemplateEngine plain = TemplateEngine.plain();
        return new JsonObject()
                .put("version", WebhookChannel.VERSION)
                .put("id", n.id())
                .put("route", n.route())
                .put("receiver", n.receiver())
                .put("destination", n.destination())
                .put("status", data.get("status"))
                .put("title", TextBudget.cut(plain.shipped("title").render(data, WebhookChannel.MAX_TITLE_CHARS),
                        WebhookChannel.MAX_TITLE_CHARS))
                .put("text", TextBudget.fit(plain.shipped("text"), n, kept, WebhookChannel.MAX_TEXT_CHARS, t -> true)
                        .text())
                .put("groupKey", n.groupKey())
                .put("externalURL", n.externalUrl())
                .put("groupLabels", AlertJson.map(n.groupLabels()))
                .put("commonLabels", AlertJson.map(truncated == 0 ? n.commonLabels()
                        : TemplateData.common(kept.stream().map(Alert::labels).toList())))
                .put("commonAnnotations", AlertJson.map(truncated == 0 ? n.commonAnnotations()
                        : TemplateData.common(kept.stream().map(Alert::annotations).toList())))
                .put("alerts", alerts)
                .put("truncatedAlerts", truncated)
                .put("createdAt", n.createdAt().toString())
                .put("attempt", n.attempt())
                .put("idempotencyKey", n.idempotencyKey());
    }

    @Test
    void postsTheNotificationAsJson() throws Exception {
        Alert a = instanceDown("a:9100");
        Alert b = Fixtures.resolved(instanceDown("b:9100"));
        DeliveryOutcome outcome = await(channel(sink.url("/hook"), null, Duration.ofSeconds(5), true)
                .deliver(notification(42, List.of(a, b))));
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(200));
        HttpSink.Received r = sink.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header(WebhookSignature.SIGNATURE_HEADER)).isNull();
        JsonObject body = r.body().toJsonObject();
        assertThat(body.getString("version")).isEqualTo("1");
        assertThat(body.getLong("id")).isEqualTo(42);
        assertThat(body.getString("status")).isEqualTo("firing");
        assertThat(body.getString("route")).isEqualTo("0.1");
        assertThat(body.getString("title")).isEqualTo("[FIRING:1] InstanceDown");
        assertThat(body.getString("text")).contains("*InstanceDown* (critical) firing: a:9100 is down")
                .contains("*InstanceDown* (critical) resolved: b:9100 is down");
        assertThat(body.getString("externalURL")).isEqualTo("http://alertmanager.local:9093");
        assertThat(body.getJsonObject("commonLabels").getMap()).containsEntry("job", "node");
        assertThat(body.getJsonArray("alerts")).hasSize(2);
        JsonObject first = body.getJsonArray("alerts").getJsonObject(0);
        assertThat(first.getString("fingerprint")).isEqualTo("fp-a:9100");
        assertThat(first.getString("startsAt")).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(first.getString("endsAt")).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(first.getJsonObject("labels").getString("instance")).isEqualTo("a:9100");
        assertThat(body.getJsonArray("alerts").getJsonObject(1).getString("status")).isEqualTo("resolved");
    }

    @Test
    void signsWithHmacSha256OverTimestampAndBody() throws Exception {
        String secret = "topsecret";
        await(channel(sink.url("/hook"), secret, Duration.ofSeconds(5), true)
                .deliver(notification(7, List.of(instanceDown("a:9100")))));
        HttpSink.Received r = sink.received().get(0);
        String timestamp = r.header(WebhookSignature.TIMESTAMP_HEADER);
        assertThat(timestamp).isEqualTo(Long.toString(NOW.getEpochSecond()));

        // What a receiver does: recompute over "<timestamp>.<raw body>" with its copy of the secret.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body().getBytes()));
        assertThat(r.header(WebhookSignature.SIGNATURE_HEADER)).isEqualTo(expected);

        mac.init(new SecretKeySpec("wrong".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        assertThat(r.header(WebhookSignature.SIGNATURE_HEADER))
                .isNotEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body().getBytes())));
    }

    @Test
    void theReadmesPythonVerifierAcceptsOurSignature(@TempDir Path dir) throws Exception {
        Path python = ExternalBinary.require("python3", "python3");
        await(channel(sink.url("/hook"), "py-secret", Duration.ofSeconds(5), true)
                .deliver(notification(7, List.of(instanceDown("a:9100")))));
        HttpSink.Received r = sink.received().get(0);
        Path body = Files.write(dir.resolve("body"), r.body().getBytes());
        String script = String.join("\n",
                "import hashlib, hmac, sys, time",
                "secret, ts, signature, body = sys.argv[1].encode(), sys.argv[2], sys.argv[3], open(sys.argv[4], 'rb').read()",
                "time.time = lambda: int(ts)",
                // the two lines of README.md, verbatim
                "expected = \"sha256=\" + hmac.new(secret, f\"{ts}.\".encode() + body, hashlib.sha256).hexdigest()",
                "ok = hmac.compare_digest(expected, signature) and abs(time.time() - int(ts)) < 300",
                "print('ok' if ok else 'bad')");
        for (String secret : List.of("py-secret", "other")) {
            Process p = new ProcessBuilder(python.toString(), "-c", script, secret,
                    r.header(WebhookSignature.TIMESTAMP_HEADER), r.header(WebhookSignature.SIGNATURE_HEADER),
                    body.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor()).isZero();
            assertThat(out).isEqualTo(secret.equals("py-secret") ? "ok" : "bad");
        }
    }

    @Test
    void withoutSendResolvedOnlyFiringAlertsGoOut() throws Exception {
        WebhookChannel channel = channel(sink.url("/hook"), null, Duration.ofSeconds(5), false);
        Alert a = instanceDown("a:9100");
        assertThat(await(channel.deliver(notification(1, List.of(Fixtures.resolved(a))))))
                .isEqualTo(Sendable.NOTHING_TO_SEND);
        assertThat(sink.received()).isEmpty();
        await(channel.deliver(notification(2, List.of(Fixtures.resolved(a), instanceDown("b:9100")))));
        JsonObject body = sink.received().get(0).body().toJsonObject();
        assertThat(body.getJsonArray("alerts")).hasSize(1);
        assertThat(body.getJsonArray("alerts").getJsonObject(0).getString("fingerprint")).isEqualTo("fp-b:9100");
    }
}
