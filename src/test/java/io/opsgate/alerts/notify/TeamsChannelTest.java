package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.Origins;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TeamsChannelTest extends SinkTestBase {
    static final String PATH = "/workflows/0a1b2c3d4e5f60718293a4b5c6d7e8f9/triggers/manual/paths/invoke";

    TeamsChannel channel(boolean sendResolved, String text) {
        TemplateEngine plain = TemplateEngine.plain();
        OpsGateConfig.TeamsConfig config = new OpsGateConfig.TeamsConfig(
                sink.url(PATH + "?api-version=2016-06-01&sig=s1gS3cretValue"), null, text,
                new OpsGateConfig.Delivery(sendResolved, Optional.of(4.0), Duration.ofSeconds(20)), Origins.NONE);
        return new TeamsChannel("team/msteams[0]", config, plain.shipped("title"),
                text == null ? plain.shipped("teams-text") : plain.compile(text), client, Clock.systemUTC(),
                SecretRedactor.of(SecretRedactor.urlSecrets(config.webhookUrl(), false)));
    }

    @Test
    void firingCardIsAValidAdaptiveCardWithHeadingFactsAlertsAndLinks() throws Exception {
        sink.reply(HttpSink.Reply.of(202));
        DeliveryOutcome outcome = await(channel(true, null)
                .deliver(notification(1, List.of(instanceDown("a:9100"), instanceDown("b:9100")))));
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(202));
        HttpSink.Received r = sink.received().get(0);
        assertThat(r.path()).isEqualTo(PATH);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        JsonObject message = r.body().toJsonObject();
        assertThat(AdaptiveCardRules.checkMessage(message)).isEmpty();
        JsonObject card = message.getJsonArray("attachments").getJsonObject(0).getJsonObject("content");
        assertThat(card.getString("version")).isEqualTo("1.5");
        JsonArray body = card.getJsonArray("body");
        JsonObject header = body.getJsonObject(0);
        assertThat(header.getString("style")).isEqualTo("attention");
        assertThat(header.getJsonArray("items").getJsonObject(0).getString("text")).isEqualTo("[FIRING:2] InstanceDown");
        assertThat(body.getJsonObject(1).getJsonArray("facts").getJsonObject(1).getString("value"))
                .isEqualTo("2 firing, 0 resolved");
        assertThat(body.getJsonObject(2).getString("text"))
                .isEqualTo("- **InstanceDown** (critical) firing: a:9100 is down — no scrape for 5m\n"
                        + "- **InstanceDown** (critical) firing: b:9100 is down — no scrape for 5m");
        JsonArray actions = card.getJsonArray("actions");
        assertThat(actions).hasSize(2);
        assertThat(actions.getJsonObject(0).getString("url")).isEqualTo("http://prometheus.local:9090/graph?g0.expr=up+%3D%3D+0");
        assertThat(actions.getJsonObject(1).getString("url"))
                .isEqualTo("http://alertmanager.local:9093/#/alerts?filter=%7Balertname%3D%22InstanceDown%22%7D");
    }

    @Test
    void resolvedCardIsStyledGoodAndOnlySentWithSendResolved() throws Exception {
        Alert resolved = Fixtures.resolved(instanceDown("a:9100"));
        assertThat(await(channel(false, null).deliver(notification(1, List.of(resolved)))))
                .isEqualTo(Sendable.NOTHING_TO_SEND);
        assertThat(sink.received()).isEmpty();
        await(channel(true, null).deliver(notification(2, List.of(resolved))));
        JsonObject message = sink.received().get(0).body().toJsonObject();
        assertThat(AdaptiveCardRules.checkMessage(message)).isEmpty();
        JsonObject header = message.getJsonArray("attachments").getJsonObject(0).getJsonObject("content")
                .getJsonArray("body").getJsonObject(0);
        assertThat(header.getString("style")).isEqualTo("good");
        assertThat(header.getJsonArray("items").getJsonObject(0).getString("text")).isEqualTo("[RESOLVED] InstanceDown");
    }

    @Test
    void theRulesCatchWhatTeamsRejects() {
        JsonObject card = new JsonObject().put("type", "AdaptiveCard").put("version", "1.6")
                .put("body", new JsonArray().add(new JsonObject().put("type", "TextBlock").put("color", "red"))
                        .add(new JsonObject().put("type", "Section"))
                        .add(new JsonObject().put("type", "Table")))
                .put("actions", new JsonArray().add(new JsonObject().put("type", "Action.OpenUrl")));
        List<String> errors = AdaptiveCardRules.checkCard(card, "card");
        assertThat(errors).hasSize(6).contains("card.version must be 1.4 or 1.5, is 1.6",
                "card.$schema must name the Adaptive Card schema",
                "card.body[0].text is required (a non-empty string)",
                "card.body[1].type Section is not an Adaptive Card element",
                "card.actions[0].url is required (an absolute URL)");
        assertThat(errors).anyMatch(e -> e.startsWith("card.body[0].color must be one of"));
        card.put("version", "1.4").put("$schema", TeamsChannel.SCHEMA);
        assertThat(AdaptiveCardRules.checkCard(card, "card")).contains("card.body[2]: Table needs card version 1.5");
    }

    @Test
    void teamsAnswersAreMappedAndTheWebhookSignatureNeverShows() throws Exception {
        sink.reply(new HttpSink.Reply(429, Map.of("Retry-After", "7"), "too many requests"),
                new HttpSink.Reply(502, Map.of(), "bad gateway"),
                new HttpSink.Reply(400, Map.of(), "{\"error\":{\"code\":\"InvalidRequestContent\",\"message\":\"echo "
                        + "sig=s1gS3cretValue\"}}"));
        TeamsChannel channel = channel(true, null);
        var n = notification(1, List.of(instanceDown("a:9100")));
        assertThat(await(channel.deliver(n)))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 429: too many requests", Optional.of(Duration.ofSeconds(7))));
        assertThat(await(channel.deliver(n))).isEqualTo(new DeliveryOutcome.RetryLater("HTTP 502: bad gateway", Optional.empty()));
        DeliveryOutcome rejected = await(channel.deliver(n));
        assertThat(rejected).isInstanceOf(DeliveryOutcome.Failed.class);
        assertThat(((DeliveryOutcome.Failed) rejected).reason()).startsWith("HTTP 400: ").contains("InvalidRequestContent")
                .contains("<redacted>").doesNotContain("s1gS3cretValue");
        assertThat(channel.type()).isEqualTo("msteams");
        assertThat(channel.rateLimit()).contains(4.0);
    }
}
