package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlackChannelTest extends SinkTestBase {
    SlackChannel channel(boolean sendResolved, String title, String text) {
        TemplateEngine slack = TemplateEngine.slack();
        OpsGateConfig.SlackConfig config = new OpsGateConfig.SlackConfig(sink.url("/services/T0/B0/x"), "#ops",
                title, text, new OpsGateConfig.Delivery(sendResolved, Optional.of(1.0), Duration.ofSeconds(5)));
        return new SlackChannel("team/slack[0]", config,
                title == null ? slack.shipped("title") : slack.compile(title),
                text == null ? slack.shipped("text") : slack.compile(text), client, Clock.systemUTC(),
                SecretRedactor.NONE);
    }

    @Test
    void firingMessageHasFallbackTextColourBlocksAndLinks() throws Exception {
        DeliveryOutcome outcome = await(channel(true, null, null)
                .deliver(notification(1, List.of(instanceDown("a:9100"), instanceDown("b:9100")))));
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(200));
        HttpSink.Received r = sink.received().get(0);
        assertThat(r.path()).isEqualTo("/services/T0/B0/x");
        JsonObject payload = r.body().toJsonObject();
        assertThat(payload.getString("channel")).isEqualTo("#ops");
        assertThat(payload.getString("text")).isEqualTo("[FIRING:2] InstanceDown");
        JsonObject attachment = payload.getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.getString("color")).isEqualTo(SlackChannel.FIRING_COLOR);
        JsonArray blocks = attachment.getJsonArray("blocks");
        assertThat(blocks.getJsonObject(0).getString("type")).isEqualTo("section");
        assertThat(mrkdwn(blocks.getJsonObject(0))).isEqualTo(":fire: *[FIRING:2] InstanceDown*");
        assertThat(mrkdwn(blocks.getJsonObject(1))).contains("*InstanceDown* (critical) firing: a:9100 is down")
                .contains("b:9100 is down");
        JsonObject context = blocks.getJsonObject(2);
        assertThat(context.getString("type")).isEqualTo("context");
        String links = context.getJsonArray("elements").getJsonObject(0).getString("text");
        assertThat(links).isEqualTo("<http://prometheus.local:9090/graph?g0.expr=up+%3D%3D+0|Source> · "
                + "<http://alertmanager.local:9093/#/alerts?filter=%7Balertname%3D%22InstanceDown%22%7D|Alertmanager>");
    }

    @Test
    void resolvedMessageIsGreenAndOnlySentWithSendResolved() throws Exception {
        Alert resolved = Fixtures.resolved(instanceDown("a:9100"));
        assertThat(await(channel(false, null, null).deliver(notification(1, List.of(resolved)))))
                .isEqualTo(Sendable.NOTHING_TO_SEND);
        assertThat(sink.received()).isEmpty();

        await(channel(true, null, null).deliver(notification(2, List.of(resolved))));
        JsonObject payload = sink.received().get(0).body().toJsonObject();
        assertThat(payload.getString("text")).isEqualTo("[RESOLVED] InstanceDown");
        JsonObject attachment = payload.getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.getString("color")).isEqualTo(SlackChannel.RESOLVED_COLOR);
        assertThat(mrkdwn(attachment.getJsonArray("blocks").getJsonObject(0))).startsWith(":white_check_mark: ");
    }

    @Test
    void templateValuesAreEscapedForMrkdwnAndLongTextIsSplitThenCut() throws Exception {
        Alert sneaky = Fixtures.firing("fp1", Map.of("alertname", "A<b>&c"),
                Map.of("summary", "<!channel> " + "x".repeat(5000)));
        await(channel(true, "{{ alerts[0].labels.alertname }} {{ status }}", null).deliver(notification(1, List.of(sneaky))));
        JsonObject payload = sink.received().get(0).body().toJsonObject();
        assertThat(payload.getString("text")).isEqualTo("A&lt;b&gt;&amp;c firing");
        JsonArray blocks = payload.getJsonArray("attachments").getJsonObject(0).getJsonArray("blocks");
        String first = mrkdwn(blocks.getJsonObject(1));
        assertThat(first).contains("&lt;!channel&gt;").doesNotContain("<!channel>");
        assertThat(first).as("a section holds at most 3,000 characters").hasSize(SlackChannel.MAX_SECTION_CHARS);
        assertThat(first + mrkdwn(blocks.getJsonObject(2))).as("the rest of the line goes on in the next section")
                .endsWith("x".repeat(2000)).doesNotContain("…");

        Alert longer = Fixtures.firing("fp2", Map.of("alertname", "A"), Map.of("summary", "y".repeat(20_000)));
        await(channel(true, null, null).deliver(notification(2, List.of(longer))));
        JsonArray cut = sink.received().get(1).body().toJsonObject().getJsonArray("attachments").getJsonObject(0)
                .getJsonArray("blocks");
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < cut.size() && cut.getJsonObject(i).getString("type").equals("section"); i++) {
            assertThat(mrkdwn(cut.getJsonObject(i))).hasSizeLessThanOrEqualTo(SlackChannel.MAX_SECTION_CHARS);
            body.append(mrkdwn(cut.getJsonObject(i)));
        }
        assertThat(body.toString()).hasSizeLessThanOrEqualTo(SlackChannel.MAX_BODY_CHARS).endsWith("y…");
    }

    @Test
    void slackErrorsAreSurfaced() throws Exception {
        sink.reply(new HttpSink.Reply(404, Map.of(), "no_service"),
                new HttpSink.Reply(429, Map.of("Retry-After", "2"), "rate_limited"));
        SlackChannel channel = channel(true, null, null);
        assertThat(await(channel.deliver(notification(1, List.of(instanceDown("a:9100"))))))
                .isEqualTo(new DeliveryOutcome.Failed("HTTP 404: no_service"));
        assertThat(await(channel.deliver(notification(1, List.of(instanceDown("a:9100"))))))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 429: rate_limited", Optional.of(Duration.ofSeconds(2))));
        assertThat(channel.rateLimit()).contains(1.0);
        assertThat(channel.type()).isEqualTo("slack");
    }

    private static String mrkdwn(JsonObject section) {
        return section.getJsonObject("text").getString("text");
    }
}
