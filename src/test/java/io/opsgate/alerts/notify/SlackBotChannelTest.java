package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static io.opsgate.alerts.notify.Fixtures.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.GroupMessage;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.Origins;
import io.opsgate.testing.SlackApiStandIn;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slack bot mode against the Web API stand-in: one message per group that follows it, and Slack's error answers. */
class SlackBotChannelTest extends ChannelTestBase {
    static final String TOKEN = "xoxb-1111-2222-secrettokenvalue";
    static final String CHANNEL = "C0ALERTS";
    SlackApiStandIn slack;

    @BeforeEach
    void startSlack() throws Exception {
        slack = SlackApiStandIn.start(TOKEN, Map.of("alerts", CHANNEL));
    }

    @AfterEach
    void stopSlack() throws Exception {
        slack.close();
    }

    /** A lane's memory in a field, as the store keeps it. */
    static final class Memory implements MessageMemory {
        final AtomicReference<GroupMessage> value = new AtomicReference<>();

        @Override
        public Future<Optional<GroupMessage>> load() {
            return Future.succeededFuture(Optional.ofNullable(value.get()));
        }

        @Override
        public Future<Void> save(GroupMessage message) {
            value.set(message);
            return Future.succeededFuture();
        }
    }

    SlackBotChannel channel(String token, String channel, Duration timeout) {
        TemplateEngine engine = TemplateEngine.slack();
        OpsGateConfig.SlackConfig config = new OpsGateConfig.SlackConfig(null, channel, null, null,
                new OpsGateConfig.Delivery(true, Optional.of(1.0), timeout), Origins.NONE, token, slack.url());
        return new SlackBotChannel("team/slack[0]", config, engine.shipped("title"), engine.shipped("text"), client,
                Clock.systemUTC(), SecretRedactor.of(List.of(token)));
    }

    SlackBotChannel channel() {
        return channel(TOKEN, CHANNEL, Duration.ofSeconds(30)); // generous: the first call of a loaded JVM is slow
    }

    @Test
    void aGroupPostsOnceThenEditsItsMessageAndAddsThreadLinesUntilResolved() throws Exception {
        Memory memory = new Memory();
        Alert a = instanceDown("a:9100");
        Alert b = instanceDown("b:9100");

        assertThat(await(channel().deliver(notification(1, List.of(a)), memory)))
                .isEqualTo(new DeliveryOutcome.Delivered(200));
        GroupMessage posted = memory.value.get();
        assertThat(posted.confirmed()).isTrue();
        assertThat(posted.channel()).isEqualTo(CHANNEL);

        assertThat(await(channel().deliver(notification(2, List.of(a, b)), memory)))
                .isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(await(channel().deliver(notification(3, List.of(resolved(a), resolved(b))), memory)))
                .isEqualTo(new DeliveryOutcome.Delivered(200));

        assertThat(slack.calls().stream().filter(SlackApiStandIn.Call::topLevelPost)).hasSize(1);
        assertThat(slack.calls("chat.update")).hasSize(2)
                .allSatisfy(c -> assertThat(c.args().getString("ts")).isEqualTo(posted.ts()));
        List<SlackApiStandIn.Message> messages = slack.messages(CHANNEL);
        assertThat(messages).hasSize(1);
        SlackApiStandIn.Message m = messages.get(0);
        assertThat(m.content().getString("text")).isEqualTo("[RESOLVED] InstanceDown");
        assertThat(m.content().getJsonArray("attachments").getJsonObject(0).getString("color"))
                .isEqualTo(SlackChannel.RESOLVED_COLOR);
        assertThat(m.replies()).extracting(r -> r.getString("text"))
                .containsExactly(":fire: [FIRING:2] InstanceDown", ":white_check_mark: [RESOLVED] InstanceDown");
        assertThat(memory.value.get().shown()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(slack.calls()).allSatisfy(c -> assertThat(c.answer().getBoolean("ok")).isTrue());
    }

    @Test
    void aGroupThatFiresAgainAfterItsResolveGetsANewMessage() throws Exception {
        Memory memory = new Memory();
        Alert a = instanceDown("a:9100");
        await(channel().deliver(notification(1, List.of(a)), memory));
        await(channel().deliver(notification(2, List.of(resolved(a))), memory));
        await(channel().deliver(notification(3, List.of(a)), memory));
        List<SlackApiStandIn.Message> messages = slack.messages(CHANNEL);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).content().getString("text")).isEqualTo("[RESOLVED] InstanceDown");
        assertThat(messages.get(1).content().getString("text")).isEqualTo("[FIRING:1] InstanceDown");
        assertThat(memory.value.get().ts()).isEqualTo(messages.get(1).ts());
    }

    @Test
    void aDeletedMessageIsReplacedByAFreshPost() throws Exception {
        Memory memory = new Memory();
        Alert a = instanceDown("a:9100");
        await(channel().deliver(notification(1, List.of(a)), memory));
        slack.delete(CHANNEL, memory.value.get().ts());
        assertThat(await(channel().deliver(notification(2, List.of(a, instanceDown("b:9100"))), memory)))
                .isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(slack.calls("chat.update")).extracting(c -> c.answer().getString("error"))
                .containsExactly("message_not_found");
        List<SlackApiStandIn.Message> messages = slack.messages(CHANNEL);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).ts()).isEqualTo(memory.value.get().ts());
        assertThat(messages.get(0).content().getString("text")).isEqualTo("[FIRING:2] InstanceDown");
    }

    @Test
    void aLostAnswerToThePostIsFoundInTheHistoryInsteadOfPostingTwice() throws Exception {
        Memory memory = new Memory();
        Alert a = instanceDown("a:9100");
        slack.loseNextAnswer("chat.postMessage");
        DeliveryOutcome lost = await(channel().deliver(notification(1, List.of(a)), memory));
        assertThat(lost).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(memory.value.get().confirmed()).as("the intent was recorded before the post").isFalse();

        // the retry (or a newer state of the group, or another replica) finds the message Slack did take
        assertThat(await(channel().deliver(notification(1, List.of(a, instanceDown("b:9100"))), memory)))
                .isEqualTo(new DeliveryOutcome.Delivered(200));
        List<SlackApiStandIn.Message> messages = slack.messages(CHANNEL);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).content().getString("text")).isEqualTo("[FIRING:2] InstanceDown");
        assertThat(memory.value.get().ts()).isEqualTo(messages.get(0).ts());
        assertThat(slack.calls("conversations.history")).hasSize(1);
    }

    @Test
    void withoutTheHistoryScopeALostAnswerLeadsToASecondMessageAsDocumented() throws Exception {
        Memory memory = new Memory();
        Alert a = instanceDown("a:9100");
        slack.historyScope(false).loseNextAnswer("chat.postMessage");
        await(channel().deliver(notification(1, List.of(a)), memory));
        assertThat(await(channel().deliver(notification(1, List.of(a)), memory)))
                .isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(slack.calls("conversations.history")).extracting(c -> c.answer().getString("error"))
                .containsExactly("missing_scope");
        assertThat(slack.messages(CHANNEL)).hasSize(2);
        assertThat(memory.value.get().ts()).isEqualTo(slack.messages(CHANNEL).get(1).ts());
    }

    @Test
    void rateLimitIsRetriedAfterRetryAfter() throws Exception {
        slack.rateLimitNext("chat.postMessage", 7);
        DeliveryOutcome outcome = await(channel().deliver(notification(1, List.of(instanceDown("a:9100"))),
                new Memory()));
        assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
        DeliveryOutcome.RetryLater retry = (DeliveryOutcome.RetryLater) outcome;
        assertThat(retry.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(retry.reason()).contains("chat.postMessage").contains("429");
    }

    @Test
    void ratelimitedInABodyAndSlacksOwnTroubleAreTransient() throws Exception {
        Memory memory = new Memory();
        await(channel().deliver(notification(1, List.of(instanceDown("a:9100"))), memory));
        slack.failNext("chat.update", "ratelimited");
        DeliveryOutcome limited = await(channel().deliver(notification(2, List.of(instanceDown("b:9100"))), memory));
        assertThat(limited).isInstanceOf(DeliveryOutcome.RetryLater.class);
        slack.failNext("chat.postMessage", "internal_error"); // the thread line, after a good update
        DeliveryOutcome internal = await(channel().deliver(notification(2, List.of(instanceDown("b:9100"))), memory));
        assertThat(internal).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(((DeliveryOutcome.RetryLater) internal).reason()).isEqualTo("slack chat.postMessage: internal_error");
    }

    @Test
    void authChannelAndMembershipErrorsArePermanentAndNameSlacksError() throws Exception {
        DeliveryOutcome badToken = await(channel("xoxb-wrong-token-0000", CHANNEL, Duration.ofSeconds(30))
                .deliver(notification(1, List.of(instanceDown("a:9100"))), new Memory()));
        assertThat(badToken).isEqualTo(new DeliveryOutcome.Failed("slack chat.postMessage: invalid_auth"));

        DeliveryOutcome noChannel = await(channel(TOKEN, "#nowhere", Duration.ofSeconds(30))
                .deliver(notification(1, List.of(instanceDown("a:9100"))), new Memory()));
        assertThat(noChannel).isEqualTo(new DeliveryOutcome.Failed("slack chat.postMessage: channel_not_found"));

        slack.failNext("chat.postMessage", "not_in_channel");
        DeliveryOutcome notIn = await(channel().deliver(notification(1, List.of(instanceDown("a:9100"))),
                new Memory()));
        assertThat(notIn).isEqualTo(new DeliveryOutcome.Failed("slack chat.postMessage: not_in_channel"));
    }

    @Test
    void theTokenGoesOnlyInTheAuthorizationHeaderAndNeverIntoAReason() throws Exception {
        Memory memory = new Memory();
        await(channel().deliver(notification(1, List.of(instanceDown("a:9100"))), memory));
        assertThat(slack.calls()).allSatisfy(c -> assertThat(c.args().encode()).doesNotContain(TOKEN));
        // a proxy or Slack echoing the token back: the reason is redacted
        slack.failNext("chat.update", "invalid_arguments " + TOKEN);
        DeliveryOutcome echoed = await(channel().deliver(notification(2, List.of(instanceDown("b:9100"))), memory));
        assertThat(echoed).isInstanceOf(DeliveryOutcome.Failed.class);
        assertThat(((DeliveryOutcome.Failed) echoed).reason()).doesNotContain(TOKEN).contains("<redacted>");
        assertThat(channel().toString() + new OpsGateConfig.SlackConfig(null, CHANNEL, null, null,
                new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(1)), Origins.NONE,
                TOKEN, slack.url()).toString()).doesNotContain(TOKEN);
    }

    @Test
    void aStoreThatCannotRecordTheIntentKeepsThePostFromGoingOut() throws Exception {
        MessageMemory broken = new MessageMemory() {
            @Override
            public Future<Optional<GroupMessage>> load() {
                return Future.succeededFuture(Optional.empty());
            }

            @Override
            public Future<Void> save(GroupMessage message) {
                return Future.failedFuture(new IllegalStateException("disk full"));
            }
        };
        DeliveryOutcome outcome = await(channel().deliver(notification(1, List.of(instanceDown("a:9100"))), broken));
        assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void theMessageCarriesItsPostIdInMetadataAndTheSameBlocksAsTheWebhookMode() throws Exception {
        Memory memory = new Memory();
        await(channel().deliver(notification(1, List.of(instanceDown("a:9100"))), memory));
        JsonObject args = slack.calls("chat.postMessage").get(0).args();
        assertThat(args.getJsonObject("metadata").getString("event_type")).isEqualTo(SlackBotChannel.METADATA_EVENT);
        assertThat(args.getJsonObject("metadata").getJsonObject("event_payload").getString("post"))
                .isEqualTo(memory.value.get().postId());
        assertThat(args.getString("channel")).isEqualTo(CHANNEL);
        JsonObject webhookMode = SlackChannel.message(notification(1, List.of(instanceDown("a:9100"))),
                TemplateEngine.slack().shipped("title"), TemplateEngine.slack().shipped("text"));
        assertThat(args.getJsonArray("attachments")).isEqualTo(webhookMode.getJsonArray("attachments"));
    }
}
