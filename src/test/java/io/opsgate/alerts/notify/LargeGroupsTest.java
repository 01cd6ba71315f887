package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDownGroup;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Groups of thousands of realistic alerts, as a zone outage raises them, on every channel against a real HTTP sink:
 * each is delivered, stays within the destination's documented limits (checked on the bytes received) and says
 * how many alerts it left out.
 */
class LargeGroupsTest extends SinkTestBase {
    static final int GROUP = 5000;
    private static final Pattern LISTED = Pattern.compile("\\*InstanceDown\\* \\(critical\\) firing: Instance (\\S+) down");
    private static final Pattern MORE = Pattern.compile("… and ([\\d,]+) more alerts$");

    private static OpsGateConfig.Delivery delivery(boolean sendResolved) {
        return new OpsGateConfig.Delivery(sendResolved, Optional.empty(), Duration.ofSeconds(20));
    }

    private WebhookChannel webhook(int maxAlerts) {
        TemplateEngine plain = TemplateEngine.plain();
        return new WebhookChannel("team/webhook[0]", new OpsGateConfig.WebhookConfig(sink.url("/hook"), null, null,
                null, delivery(true), io.opsgate.config.Origins.NONE, maxAlerts), plain.shipped("title"), plain.shipped("text"), client,
                Clock.systemUTC(), SecretRedactor.NONE);
    }

    private SlackChannel slack(String text) {
        TemplateEngine slack = TemplateEngine.slack();
        return new SlackChannel("team/slack[0]", new OpsGateConfig.SlackConfig(sink.url("/services/T0/B0/x"), null,
                null, text, delivery(false)), slack.shipped("title"),
                text == null ? slack.shipped("text") : slack.compile(text), client, Clock.systemUTC(),
                SecretRedactor.NONE);
    }

    private PagerDutyChannel pagerDuty() {
        TemplateEngine plain = TemplateEngine.plain();
        return new PagerDutyChannel("team/pagerduty[0]", new OpsGateConfig.PagerDutyConfig("R0UT1NG",
                sink.url("/v2/enqueue"), null, null, null, delivery(true)), plain.shipped("pagerduty-summary"),
                plain.shipped("text"), client, Clock.systemUTC(), SecretRedactor.NONE);
    }

    /** The instances a default text lists, in order, and the count its last line says were left out. */
    private record Listed(List<String> instances, int more) {
        static Listed of(String text) {
            List<String> instances = new ArrayList<>();
            Matcher m = LISTED.matcher(text);
            while (m.find()) {
                instances.add(m.group(1));
            }
            Matcher more = MORE.matcher(text);
            return new Listed(instances, more.find() ? Integer.parseInt(more.group(1).replace(",", "")) : 0);
        }
    }

    @Test
    void aGroupOf1500InstanceDownAlertsNoLongerFailsOnTheTemplateWriterLimit() throws Exception {
        // Before the fix: Failed("template error: template: Tried to write more than 262144 chars."), never retried.
        WebhookChannel channel = WebhookChannelTest.channel(sink.url("/hook"), null, Duration.ofSeconds(10), true);
        DeliveryOutcome outcome = await(channel.deliver(notification(1, instanceDownGroup(1500))));
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(200));
        JsonObject body = sink.received().get(0).body().toJsonObject();
        assertThat(body.getJsonArray("alerts")).hasSize(1500);
        assertThat(body.getInteger("truncatedAlerts")).isZero();
    }

    @Test
    void webhookSendsEveryAlertAndFitsItsTextNamingHowManyItLeftOut() throws Exception {
        List<Alert> group = instanceDownGroup(GROUP);
        assertThat(await(webhook(0).deliver(notification(1, group)))).isEqualTo(new DeliveryOutcome.Delivered(200));
        JsonObject body = sink.received().get(0).body().toJsonObject();
        assertThat(body.getJsonArray("alerts")).hasSize(GROUP);
        assertThat(body.getInteger("truncatedAlerts")).isZero();
        assertThat(body.getString("title")).isEqualTo("[FIRING:5000] InstanceDown");
        String text = body.getString("text");
        assertThat(text.length()).isLessThanOrEqualTo(WebhookChannel.MAX_TEXT_CHARS);
        Listed listed = Listed.of(text);
        assertThat(listed.instances()).isNotEmpty()
                .containsExactlyElementsOf(group.subList(0, listed.instances().size()).stream()
                        .map(a -> a.labels().get("instance")).toList());
        assertThat(listed.more()).isEqualTo(GROUP - listed.instances().size());
        assertThat(text).endsWith(TextBudget.moreLine(listed.more()));
    }

    @Test
    void webhookMaxAlertsKeepsTheFirstAlertsAndCountsTheRestInTruncatedAlertsAsAlertmanagerDoes() throws Exception {
        List<Alert> group = new ArrayList<>(instanceDownGroup(GROUP));
        assertThat(await(webhook(100).deliver(notification(1, group)))).isEqualTo(new DeliveryOutcome.Delivered(200));
        JsonObject body = sink.received().get(0).body().toJsonObject();
        JsonArray alerts = body.getJsonArray("alerts");
        assertThat(alerts).hasSize(100);
        assertThat(body.getInteger("truncatedAlerts")).isEqualTo(GROUP - 100);
        assertThat(alerts.getJsonObject(99).getString("fingerprint")).isEqualTo(group.get(99).fingerprint());
        // Alertmanager renders the data of the alerts it keeps: the title counts 100, the text lists them all.
        assertThat(body.getString("title")).isEqualTo("[FIRING:100] InstanceDown");
        assertThat(Listed.of(body.getString("text")).instances()).hasSize(100);
        assertThat(Listed.of(body.getString("text")).more()).isZero();
        assertThat(body.getJsonObject("commonLabels").getMap()).containsEntry("job", "node")
                .containsEntry("region", "eu-west-1").doesNotContainKey("instance");
    }

    @Test
    void slackKeepsWithinBlockKitLimitsAndSaysHowManyAlertsAreNotShown() throws Exception {
        List<Alert> group = instanceDownGroup(GROUP);
        assertThat(await(slack(null).deliver(notification(1, group)))).isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(sink.received()).hasSize(1);
        JsonObject payload = sink.received().get(0).body().toJsonObject();
        assertThat(payload.getString("text")).isEqualTo("[FIRING:5000] InstanceDown").hasSizeLessThan(40_000);
        JsonObject attachment = payload.getJsonArray("attachments").getJsonObject(0);
        JsonArray blocks = attachment.getJsonArray("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        int blockText = 0;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            JsonObject block = blocks.getJsonObject(i);
            String text = block.getString("type").equals("section") ? block.getJsonObject("text").getString("text")
                    : block.getJsonArray("elements").getJsonObject(0).getString("text");
            assertThat(text.length()).as("block %d", i).isBetween(1, 3000);
            blockText += text.length();
            if (i > 0 && block.getString("type").equals("section")) {
                body.append(body.isEmpty() ? "" : "\n").append(text);
            }
        }
        assertThat(blockText).as("below the ~12,000 characters of msg_blocks_too_long")
                .isLessThanOrEqualTo(SlackChannel.MAX_BLOCKS_TEXT);
        Listed listed = Listed.of(body.toString());
        assertThat(listed.instances()).hasSizeGreaterThan(20)
                .containsExactlyElementsOf(group.subList(0, listed.instances().size()).stream()
                        .map(a -> a.labels().get("instance")).toList());
        assertThat(listed.more()).isEqualTo(GROUP - listed.instances().size());
    }

    @Test
    void slackCutsATemplateThatRendersTooLongWithoutListingAlerts() throws Exception {
        Alert huge = Fixtures.firing("fp", Map.of("alertname", "Huge"), Map.of("description", "word ".repeat(400_000)));
        assertThat(await(slack("{{ alerts[0].annotations.description }}").deliver(notification(1, List.of(huge)))))
                .isEqualTo(new DeliveryOutcome.Delivered(200));
        JsonArray blocks = sink.received().get(0).body().toJsonObject().getJsonArray("attachments").getJsonObject(0)
                .getJsonArray("blocks");
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < blocks.size(); i++) {
            if (blocks.getJsonObject(i).getString("type").equals("section")) {
                sections.add(blocks.getJsonObject(i).getJsonObject("text").getString("text"));
            }
        }
        assertThat(sections).hasSizeBetween(1, SlackChannel.MAX_BODY_SECTIONS)
                .allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(SlackChannel.MAX_SECTION_CHARS));
        assertThat(String.join("", sections)).startsWith("word word").endsWith(TextBudget.ELLIPSIS);
    }

    @Test
    void pagerDutySendsOneEventPerAlertEachWithinTheEventLimits() throws Exception {
        List<Alert> group = new ArrayList<>(instanceDownGroup(GROUP - 1));
        // One alert whose labels and annotations alone exceed the 512 KB event limit.
        Map<String, String> labels = new HashMap<>(group.get(0).labels());
        for (int i = 0; i < 2000; i++) {
            labels.put("extra_" + i, "v".repeat(200));
        }
        group.add(new Alert("fp-huge", AlertStatus.FIRING, labels,
                Map.of("summary", "s".repeat(5000), "description", "d".repeat(1 << 20)), Fixtures.START, null, ""));
        assertThat(await(pagerDuty().deliver(notification(1, group)))).isEqualTo(new DeliveryOutcome.Delivered(200));

        List<HttpSink.Received> received = sink.received();
        assertThat(received).as("nothing left out: every alert is its own event").hasSize(GROUP);
        Set<String> dedupKeys = new HashSet<>();
        for (HttpSink.Received r : received) {
            assertThat(r.body().length()).isLessThanOrEqualTo(PagerDutyChannel.MAX_EVENT_BYTES);
            JsonObject event = r.body().toJsonObject();
            dedupKeys.add(event.getString("dedup_key"));
            JsonObject payload = event.getJsonObject("payload");
            assertThat(payload.getString("summary").codePointCount(0, payload.getString("summary").length()))
                    .isBetween(1, 1024);
            assertThat(event.getString("dedup_key")).hasSizeLessThanOrEqualTo(255);
        }
        assertThat(dedupKeys).hasSize(GROUP);
        JsonObject huge = received.stream().map(r -> r.body().toJsonObject())
                .filter(e -> e.getString("dedup_key").equals(PagerDutyChannel.dedupKey(
                        notification(1, group).groupKey(), "fp-huge"))).findFirst().orElseThrow();
        JsonObject details = huge.getJsonObject("payload").getJsonObject("custom_details");
        assertThat(details.getJsonObject("annotations").getString("description")).endsWith(TextBudget.ELLIPSIS);
        assertThat(details.getJsonObject("labels").getString("instance")).isEqualTo(labels.get("instance"));
        assertThat(huge.getJsonObject("payload").getString("summary")).endsWith(TextBudget.ELLIPSIS);
    }

    @Test
    void teamsSendsOneValidCardUnder28KbListingTheAlertsThatFit() throws Exception {
        List<Alert> group = new ArrayList<>(instanceDownGroup(GROUP));
        // multi-byte text and characters JSON escapes count as sent, not as Java chars
        group.set(0, Fixtures.firing("fp-wide", Map.of("alertname", "InstanceDown", "severity", "critical"),
                Map.of("summary", "ünïcödé \"quoted\" <tag> ".repeat(200))));
        TemplateEngine plain = TemplateEngine.plain();
        TeamsChannel teams = new TeamsChannel("team/msteams[0]", new OpsGateConfig.TeamsConfig(sink.url("/workflow"),
                null, null, delivery(true), io.opsgate.config.Origins.NONE), plain.shipped("title"),
                plain.shipped("teams-text"), client, Clock.systemUTC(), SecretRedactor.NONE);
        assertThat(await(teams.deliver(notification(1, group)))).isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(sink.received()).hasSize(1);
        HttpSink.Received r = sink.received().get(0);
        assertThat(r.body().length()).as("bytes on the wire").isBetween(20_000, TeamsChannel.MAX_PAYLOAD_BYTES);
        JsonObject message = r.body().toJsonObject();
        assertThat(AdaptiveCardRules.checkMessage(message)).isEmpty();
        String text = message.getJsonArray("attachments").getJsonObject(0).getJsonObject("content")
                .getJsonArray("body").getJsonObject(2).getString("text");
        Matcher more = MORE.matcher(text);
        assertThat(more.find()).isTrue();
        Matcher items = Pattern.compile("(?m)^- \\*\\*InstanceDown\\*\\* \\(critical\\) firing: ").matcher(text);
        int listed = 0;
        while (items.find()) {
            listed++;
        }
        assertThat(listed).isGreaterThan(20);
        assertThat(Integer.parseInt(more.group(1).replace(",", ""))).isEqualTo(GROUP - listed);
    }

    @Test
    void logWritesOneBoundedLinePerAlert() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        LogChannel log = new LogChannel("team/log[0]", new OpsGateConfig.LogConfig(null, delivery(true)),
                TemplateEngine.plain().compile("{{ commonAnnotations.description }}"), lines::add);
        List<Alert> group = new ArrayList<>(instanceDownGroup(GROUP - 1));
        group.add(Fixtures.firing("fp-huge", Map.of("alertname", "Huge"),
                Map.of("description", "line\n\u001b[31m".repeat(100_000))));
        assertThat(await(log.deliver(notification(1, group)))).isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(lines).hasSize(GROUP);
        String prefix = "alert receiver=team route=0.1 notification=1 fingerprint=fp-huge ";
        String huge = lines.get(GROUP - 1);
        assertThat(huge).startsWith(prefix).endsWith(TextBudget.ELLIPSIS).doesNotContain("\n", "\u001b");
        assertThat(huge.length() - prefix.length()).isLessThanOrEqualTo(LogChannel.MAX_MESSAGE_CHARS);
        assertThat(lines.get(0)).endsWith("of job node has been down for more than 5 minutes. No scrape has succeeded"
                + " since the last deploy; check the instance's status checks and security groups.");
    }
}
