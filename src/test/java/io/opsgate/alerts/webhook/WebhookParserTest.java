package io.opsgate.alerts.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.Webhooks;
import io.opsgate.http.RequestAuth;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebhookParserTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private final WebhookParser parser = new WebhookParser();

    private static JsonObject valid() {
        return Webhooks.message("firing",
                Webhooks.alert("a1", "firing", Map.of("alertname", "Disk", "instance", "x"), START),
                Webhooks.alert("a2", "resolved", Map.of("alertname", "Disk", "instance", "y"), START));
    }

    @Test
    void readsVersion4AndToleratesUnknownFields() throws Exception {
        JsonObject body = valid().put("notification_reason", "new_alert").put("routeLabels", new JsonObject());
        body.getJsonArray("alerts").getJsonObject(0).put("somethingNew", 1);
        WebhookMessage m = parser.parse(body.encode().getBytes(StandardCharsets.UTF_8));
        assertThat(m.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(m.groupKey()).isEqualTo("{}:{alertname=\"Test\"}");
        assertThat(m.alerts()).hasSize(2);
        assertThat(m.alerts().get(0).endsAt()).as("Go zero time means no end").isNull();
        assertThat(m.alerts().get(1).status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(m.alerts().get(1).endsAt()).isEqualTo(START.plusSeconds(60));
        assertThat(m.alerts().get(0).labels()).containsEntry("instance", "x");
    }

    /** PostgreSQL's text type cannot hold U+0000: the alert is kept, the character replaced, whatever field holds it. */
    @Test
    void nulCharactersAreReplacedNotRefused() throws Exception {
        JsonObject body = Webhooks.message("firing", Webhooks.alert("f\u0000p", "firing",
                Map.of("alertname", "Disk", "path\u0000", "/var\u0000/log"), START));
        body.getJsonArray("alerts").getJsonObject(0).put("annotations", new JsonObject().put("summary", "a\u0000b"));
        body.put("receiver", "ops\u0000");
        String json = body.encode();
        assertThat(json).as("sent escaped, as JSON allows").contains("\\u0000");
        WebhookMessage m = parser.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(m.receiver()).isEqualTo("ops\uFFFD");
        assertThat(m.alerts().get(0).fingerprint()).isEqualTo("f\uFFFDp");
        assertThat(m.alerts().get(0).labels()).containsEntry("path\uFFFD", "/var\uFFFD/log");
        assertThat(m.alerts().get(0).annotations()).containsEntry("summary", "a\uFFFDb");
        assertThat(json.getBytes(StandardCharsets.UTF_8)).doesNotContain((byte) 0);
    }

    @Test
    void computesAlertmanagersFingerprintWhenMissing() throws Exception {
        JsonObject body = valid();
        body.getJsonArray("alerts").getJsonObject(0).remove("fingerprint");
        WebhookMessage m = parser.parse(body.encode().getBytes(StandardCharsets.UTF_8));
        // prometheus/common model.LabelSet{"alertname":"Disk","instance":"x"}.Fingerprint()
        assertThat(m.alerts().get(0).fingerprint()).isEqualTo(Fingerprints.of(Map.of("instance", "x", "alertname", "Disk")))
                .hasSize(16);
        assertThat(Fingerprints.of(Map.of())).isEqualTo("cbf29ce484222325");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                raw("{\"version\": \"4\", \"alerts\": [", null, "not valid JSON"),
                raw("not json", null, "not valid JSON"),
                raw("", null, "empty body"),
                raw("[1,2]", null, "expected a JSON object"),
                raw("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[]} trailing", null, "not valid JSON"),
                edit("wrong version", b -> b.put("version", "3"), "version", "unsupported webhook payload version"),
                edit("version as number", b -> b.put("version", 4), "version", "must be a string"),
                edit("no version", b -> b.remove("version"), "version", "missing"),
                edit("bad status", b -> b.put("status", "burning"), "status", "\"firing\" or \"resolved\""),
                edit("alerts not array", b -> b.put("alerts", "x"), "alerts", "must be an array"),
                edit("no alerts", b -> b.remove("alerts"), "alerts", "missing"),
                edit("startsAt wrong type", b -> alert(b, 1).put("startsAt", 12), "alerts[1].startsAt", "timestamp string"),
                edit("startsAt garbage", b -> alert(b, 1).put("startsAt", "yesterday"), "alerts[1].startsAt", "RFC 3339"),
                edit("no startsAt", b -> alert(b, 0).remove("startsAt"), "alerts[0].startsAt", "missing"),
                edit("label not string", b -> alert(b, 0).getJsonObject("labels").put("n", 1), "alerts[0].labels.n", "must be a string"),
                edit("labels array", b -> alert(b, 0).put("labels", new io.vertx.core.json.JsonArray()), "alerts[0].labels", "object of strings"),
                edit("empty labels", b -> alert(b, 0).put("labels", new JsonObject()), "alerts[0].labels", "at least one"),
                edit("huge label", b -> alert(b, 0).getJsonObject("labels").put("big", "x".repeat(100_000)),
                        "alerts[0].labels.big", "limit is 16384"),
                edit("alert status", b -> alert(b, 1).put("status", 1), "alerts[1].status", "must be a string"),
                edit("alert not object", b -> b.getJsonArray("alerts").add("x"), "alerts[2]", "must be an object"),
                // Duplicate keys: which copy wins differs between JSON parsers, so neither may.
                raw("{\"version\":\"4\",\"status\":\"resolved\",\"status\":\"firing\",\"alerts\":[]}", null,
                        "duplicate key 'status' at line 1"),
                raw(valid().encode().replace("\"instance\":\"x\"", "\"instance\":\"x\",\"instance\":\"y\""), null,
                        "duplicate key 'instance'"),
                raw(valid().encode().replaceFirst("\"startsAt\"", "\"startsAt\":\"2026-01-01T00:00:00Z\",\"startsAt\""),
                        null, "duplicate key 'startsAt'"),
                // RFC 3339 has four-digit years; the JDK's ISO parser alone would take these.
                edit("year 10000", b -> alert(b, 0).put("startsAt", "+10000-01-01T00:00:00Z"), "alerts[0].startsAt",
                        "RFC 3339"),
                edit("year 10000 unsigned", b -> alert(b, 0).put("startsAt", "10000-01-01T00:00:00Z"),
                        "alerts[0].startsAt", "RFC 3339"),
                edit("negative year", b -> alert(b, 1).put("endsAt", "-0001-01-01T00:00:00Z"), "alerts[1].endsAt",
                        "RFC 3339"),
                edit("year 999999999", b -> alert(b, 1).put("endsAt", "+999999999-12-31T23:59:59Z"),
                        "alerts[1].endsAt", "RFC 3339"),
                edit("offset with seconds", b -> alert(b, 0).put("startsAt", "2026-11-23T10:00:00+01:00:30"),
                        "alerts[0].startsAt", "RFC 3339"),
                edit("no offset", b -> alert(b, 0).put("startsAt", "2026-11-23T10:00:00"), "alerts[0].startsAt",
                        "RFC 3339"));
    }

    private static JsonObject alert(JsonObject body, int i) {
        return body.getJsonArray("alerts").getJsonObject(i);
    }

    private static Arguments raw(String body, String field, String message) {
        return Arguments.of(body.isEmpty() ? "empty" : body.substring(0, Math.min(20, body.length())), body, field, message);
    }

    private static Arguments edit(String name, Consumer<JsonObject> change, String field, String message) {
        JsonObject body = valid();
        change.accept(body);
        return Arguments.of(name, body.encode(), field, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesWithFieldAndReason(String name, String body, String field, String message) {
        assertThatThrownBy(() -> parser.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(PayloadException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void takesEveryRfc3339Form() throws Exception {
        for (String t : new String[] {"9999-12-31T23:59:59.999999999Z", "2026-11-23t10:00:00z", "2026-11-23T12:00:00+02:00",
                "0001-01-01T00:00:01Z"}) {
            JsonObject body = valid();
            alert(body, 0).put("startsAt", t);
            assertThat(parser.parse(body.encode().getBytes(StandardCharsets.UTF_8)).alerts().get(0).startsAt())
                    .as(t).isEqualTo(java.time.OffsetDateTime.parse(t.toUpperCase()).toInstant());
        }
    }

    @Test
    void authComparesBearerAndBasic() {
        RequestAuth auth = new RequestAuth("am", "pw", "s3cret");
        assertThat(auth.accepts("Bearer s3cret")).isTrue();
        assertThat(auth.accepts("bearer s3cret")).isTrue();
        assertThat(auth.accepts("Bearer s3cre")).isFalse();
        assertThat(auth.accepts("Basic " + java.util.Base64.getEncoder().encodeToString("am:pw".getBytes()))).isTrue();
        assertThat(auth.accepts("Basic " + java.util.Base64.getEncoder().encodeToString("am:px".getBytes()))).isFalse();
        assertThat(auth.accepts("Basic !!!")).isFalse();
        assertThat(auth.accepts(null)).isFalse();
        assertThat(auth.challenges()).hasSize(2);
        assertThat(new RequestAuth(null, null, null).accepts(null)).isTrue();
    }
}
