package io.opsgate.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.GroupMessage;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.Origins;
import io.opsgate.testing.SlackApiStandIn;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The bot mode's message state machine over random histories of one alert group: alerts fire and resolve (each
 * notification carries only what changed, as the outbox sends it), Slack rate-limits, fails transiently, loses the
 * answer to a request it carried out, or has the message deleted by a user, and the gateway restarts (a new channel
 * over the same stored memory). Each notification is retried until delivered, as the dispatcher does. Checked:
 * <ul>
 * <li>P1: one top-level message per firing period of the group (a lost post is found again, not posted twice);</li>
 * <li>P2: the last message shows the group's newest state, exactly as the webhook mode would render it;</li>
 * <li>P3: every edit targets a message that was posted, and the stored reference is the last message.</li>
 * </ul>
 */
class SlackBotProperties {
    private static final String TOKEN = "xoxb-9-9-propertytoken";
    private static final String CHANNEL = "C0PROPS";
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final List<String> FINGERPRINTS = List.of("a", "b", "c");
    private static Vertx vertx;
    private static WebClient client;
    private static SlackApiStandIn slack;

    @BeforeContainer
    static void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        slack = SlackApiStandIn.start(TOKEN, Map.of("props", CHANNEL));
    }

    @AfterContainer
    static void stop() throws Exception {
        slack.close();
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    sealed interface Step permits Toggle, Fault, Delete, Restart {
    }

    /** An alert of the group changes (fires, or resolves) and the change is notified. */
    record Toggle(int fp) implements Step {
    }

    /** Slack's next answer to {@code method}: 0 rate limited, 1 internal_error, 2 lost after taking effect. */
    record Fault(String method, int kind) implements Step {
    }

    /** A user deletes the group's message while it fires. */
    record Delete() implements Step {
    }

    record Restart() implements Step {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> toggle = Arbitraries.integers().between(0, FINGERPRINTS.size() - 1).map(Toggle::new);
        Arbitrary<Step> fault = Arbitraries.of("chat.postMessage", "chat.update").flatMap(m ->
                Arbitraries.integers().between(0, 2).map(k -> new Fault(m, k)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, toggle),
                net.jqwik.api.Tuple.of(3, fault),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Delete())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Restart()))).list().ofMinSize(1).ofMaxSize(12);
    }

    private static SlackBotChannel channel() {
        TemplateEngine engine = TemplateEngine.slack();
        OpsGateConfig.SlackConfig config = new OpsGateConfig.SlackConfig(null, CHANNEL, null, null,
                new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(30)), Origins.NONE, TOKEN,
                slack.url());
        return new SlackBotChannel("team/slack[0]", config, engine.shipped("title"), engine.shipped("text"), client,
                Clock.systemUTC(), SecretRedactor.of(List.of(TOKEN)));
    }

    private static Alert alert(int fp, AlertStatus status) {
        String name = FINGERPRINTS.get(fp);
        return new Alert(name, status, Map.of("alertname", "Disk", "instance", name), Map.of("summary", name + " full"),
                T0, status == AlertStatus.RESOLVED ? T0.plusSeconds(60) : null, "http://prometheus:9090/graph");
    }

    private static Notification notification(long id, List<Alert> alerts) {
        AlertStatus status = alerts.stream().anyMatch(a -> a.status() == AlertStatus.FIRING)
                ? AlertStatus.FIRING : AlertStatus.RESOLVED;
        return new Notification(id, "0", "team", "team/slack[0]", "{}:{alertname=\"Disk\"}", status, alerts,
                Map.of("alertname", "Disk"), TemplateData.common(alerts.stream().map(Alert::labels).toList()),
                TemplateData.common(alerts.stream().map(Alert::annotations).toList()), "http://alertmanager:9093",
                T0, 0, "key-" + id);
    }

    @Property(tries = 30)
    void theMessageFollowsTheGroup(@ForAll("histories") List<Step> history) throws Exception {
        slack.reset();
        SlackBotChannelTest.Memory memory = new SlackBotChannelTest.Memory();
        SlackBotChannel channel = channel();
        AlertStatus[] truth = new AlertStatus[FINGERPRINTS.size()];
        // the model: what the message shows, by fingerprint; null before the first message
        Map<String, Alert> shown = null;
        int periods = 0;
        boolean gone = false; // the current message was deleted and no delivery has replaced it yet
        long id = 0;
        for (Step step : history) {
            if (step instanceof Fault f) {
                if (f.kind() == 0) {
                    slack.rateLimitNext(f.method(), 1);
                } else if (f.kind() == 1) {
                    slack.failNext(f.method(), "internal_error");
                } else {
                    slack.loseNextAnswer(f.method());
                }
            } else if (step instanceof Restart) {
                channel = channel();
            } else if (step instanceof Delete) {
                GroupMessage m = memory.value.get();
                if (m != null && m.confirmed() && m.shown() == AlertStatus.FIRING) {
                    slack.delete(m.channel(), m.ts());
                    gone = true;
                }
            } else if (step instanceof Toggle t) {
                truth[t.fp()] = truth[t.fp()] == AlertStatus.FIRING ? AlertStatus.RESOLVED : AlertStatus.FIRING;
                Alert change = alert(t.fp(), truth[t.fp()]);
                if (shown == null && change.status() == AlertStatus.RESOLVED) {
                    continue; // the outbox sends no resolve of an alert never notified firing
                }
                Notification n = notification(++id, List.of(change));
                boolean startsOver = shown == null || status(shown) == AlertStatus.RESOLVED
                        && change.status() == AlertStatus.FIRING;
                if (startsOver) {
                    periods++;
                    shown = new TreeMap<>();
                } else {
                    shown.values().removeIf(a -> a.status() == AlertStatus.RESOLVED);
                }
                shown.put(change.fingerprint(), change);
                deliverUntilDone(channel, n, memory);
                gone = false; // deleted while firing: this delivery was not a new period, so it replaced it
            }
        }
        List<SlackApiStandIn.Message> messages = slack.messages(CHANNEL);
        assertThat(messages).as("P1: one message per firing period").hasSize(periods - (gone ? 1 : 0));
        if (periods == 0 || gone) {
            return;
        }
        SlackApiStandIn.Message last = messages.get(messages.size() - 1);
        Notification expected = notification(0, List.copyOf(shown.values()));
        JsonObject rendered = SlackChannel.message(expected, TemplateEngine.slack().shipped("title"),
                TemplateEngine.slack().shipped("text"));
        assertThat(last.content().getString("text")).as("P2: the newest state").isEqualTo(rendered.getString("text"));
        assertThat(last.content().getJsonArray("attachments")).isEqualTo(rendered.getJsonArray("attachments"));
        Set<String> posted = slack.everPosted();
        assertThat(slack.calls("chat.update")).as("P3: edits target posted messages")
                .allSatisfy(c -> assertThat(posted).contains(c.args().getString("ts")));
        assertThat(memory.value.get().ts()).isEqualTo(last.ts());
        assertThat(memory.value.get().shown()).isEqualTo(status(shown));
    }

    private static AlertStatus status(Map<String, Alert> shown) {
        return shown.values().stream().anyMatch(a -> a.status() == AlertStatus.FIRING)
                ? AlertStatus.FIRING : AlertStatus.RESOLVED;
    }

    private static void deliverUntilDone(SlackBotChannel channel, Notification n, MessageMemory memory)
            throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            DeliveryOutcome outcome = Fixtures.await(channel.deliver(n.withAttempt(attempt), memory));
            if (outcome instanceof DeliveryOutcome.Delivered) {
                return;
            }
            assertThat(outcome).as("only transient faults are scripted").isInstanceOf(DeliveryOutcome.RetryLater.class);
        }
        throw new AssertionError("not delivered after 10 attempts: " + n);
    }
}
