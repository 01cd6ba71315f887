package io.opsgate.alerts.notify;

import static io.opsgate.alerts.notify.Fixtures.await;
import static io.opsgate.alerts.notify.Fixtures.instanceDown;
import static io.opsgate.alerts.notify.Fixtures.notification;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.TemplateEngine;
import io.opsgate.aws.AwsClientFactory;
import io.opsgate.aws.AwsRequestMetrics;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.Origins;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.sim.SnsMessage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;

/** SNS Publish through the real AWS SDK against the simulator's SNS (awsQuery, as SDK 2.57.8 sends it). */
class SnsChannelTest {
    static final String ACCOUNT = "123456789012";
    static final String TOPIC = "arn:aws:sns:eu-west-1:" + ACCOUNT + ":opsgate-alerts";
    static Vertx vertx;
    static AwsSimulator sim;
    static AwsClientFactory aws;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        sim = await(AwsSimulator.start(vertx, SimulatorOptions.defaults()));
        aws = new AwsClientFactory(new OpsGateConfig.Aws(List.of("eu-west-1"),
                Map.of("sns", sim.endpoint(), "sts", sim.endpoint()),
                new OpsGateConfig.StaticCredentials("AKIASIMULATOR0000001", "secret", null), 1,
                Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10)),
                4, new AwsRequestMetrics(new PrometheusRegistry()));
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
        await(sim.stop());
        await(vertx.close());
    }

    @BeforeEach
    void reset() {
        sim.clearSnsMessages();
        sim.faults().clear();
    }

    static SnsChannel channel(String topicArn, String roleArn) {
        OpsGateConfig.SnsConfig c = new OpsGateConfig.SnsConfig(topicArn, topicArn.split(":")[3], roleArn, null, null,
                null, new OpsGateConfig.Delivery(true, Optional.empty(), Duration.ofSeconds(10)), Origins.NONE);
        TemplateEngine plain = TemplateEngine.plain();
        return new SnsChannel("team/sns[0]", c, plain.shipped("title"), plain.shipped("text"),
                aws.snsClient(c.region(), c.roleArn(), c.externalId()), vertx, SecretRedactor.NONE);
    }

    @Test
    void publishesSubjectMessageAndAttributesForFilterPolicies() throws Exception {
        Alert warning = Fixtures.firing("fp-w", Map.of("alertname", "InstanceDown", "severity", "warning"),
                Map.of("summary", "Ünïcode — summary"));
        Notification n = notification(1, List.of(warning, instanceDown("a:9100")));
        long before = sim.requestCountsByProtocol().getOrDefault("query:Publish", 0L);
        assertThat(await(channel(TOPIC, null).deliver(n))).isEqualTo(new DeliveryOutcome.Delivered(200));
        List<SnsMessage> messages = sim.snsMessages();
        assertThat(messages).hasSize(1);
        SnsMessage m = messages.get(0);
        assertThat(m.topicArn()).isEqualTo(TOPIC);
        assertThat(m.subject()).isEqualTo("[FIRING:2] InstanceDown");
        assertThat(m.message()).contains("*InstanceDown* (critical) firing: a:9100 is down")
                .contains("Ünïcode — summary");
        assertThat(m.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("severity", "critical",
                "status", "firing", "receiver", "team", "alertname", "InstanceDown"));
        assertThat(m.groupId()).isNull();
        assertThat(m.deduplicationId()).isNull();
        assertThat(sim.requestCountsByProtocol()).as("awsQuery form posts, as SDK 2.57.8 sends SNS")
                .containsEntry("query:Publish", before + 1);
    }

    @Test
    void aFifoTopicGetsAGroupIdAndTheIdempotencyKeySoAResendIsDroppedBySns() throws Exception {
        String fifo;
        try (SnsClient admin = aws.snsClient("eu-west-1", null, null)) {
            fifo = admin.createTopic(b -> b.name("oncall.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        }
        assertThat(fifo).isEqualTo("arn:aws:sns:eu-west-1:" + ACCOUNT + ":oncall.fifo");
        SnsChannel channel = channel(fifo, null);
        Notification n = notification(2, List.of(instanceDown("a:9100")));
        assertThat(await(channel.deliver(n))).isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(await(channel.deliver(n.withAttempt(1)))).isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(await(channel.deliver(notification(3, List.of(instanceDown("a:9100"))))))
                .isEqualTo(new DeliveryOutcome.Delivered(200));
        List<SnsMessage> messages = sim.snsMessages();
        assertThat(messages).as("the re-send of notification 2 is deduplicated by SNS").hasSize(2);
        assertThat(messages.get(0).deduplicationId()).isEqualTo(n.idempotencyKey());
        assertThat(messages.get(0).groupId()).isEqualTo(messages.get(1).groupId()).hasSize(64);
    }

    @Test
    void aMissingTopicOrAnotherAccountsTopicFailsForGoodAndThrottlingIsRetried() throws Exception {
        Notification n = notification(4, List.of(instanceDown("a:9100")));
        assertThat(await(channel("arn:aws:sns:eu-west-1:" + ACCOUNT + ":nosuch", null).deliver(n)))
                .isEqualTo(new DeliveryOutcome.Failed("SNS 404 NotFound: Topic does not exist"));
        DeliveryOutcome foreign = await(channel("arn:aws:sns:eu-west-1:222233334444:opsgate-alerts", null).deliver(n));
        assertThat(foreign).isInstanceOf(DeliveryOutcome.Failed.class);
        assertThat(((DeliveryOutcome.Failed) foreign).reason()).startsWith("SNS 403 AuthorizationError: ");
        sim.faults().setThrottleRate(1.0);
        DeliveryOutcome throttled = await(channel(TOPIC, null).deliver(n));
        assertThat(throttled).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(((DeliveryOutcome.RetryLater) throttled).reason()).startsWith("SNS 400 Throttling: Rate exceeded");
        sim.faults().setServerErrorRate(1.0);
        sim.faults().setThrottleRate(0);
        assertThat(await(channel(TOPIC, null).deliver(n))).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(sim.snsMessages()).isEmpty();
    }

    @Test
    void withARoleItPublishesAsTheRolesAccount() throws Exception {
        String topic = "arn:aws:sns:eu-west-1:222233334444:opsgate-alerts";
        assertThat(await(channel(topic, "arn:aws:iam::222233334444:role/publisher")
                .deliver(notification(5, List.of(instanceDown("a:9100")))))).isEqualTo(new DeliveryOutcome.Delivered(200));
        assertThat(sim.snsMessages()).singleElement().extracting(SnsMessage::accountId).isEqualTo("222233334444");
        assertThat(sim.requestCount("AssumeRole")).isPositive();
    }

    @Test
    void aGroupOf5000AlertsFitsSnsLimits() throws Exception {
        List<Alert> group = Fixtures.instanceDownGroup(LargeGroupsTest.GROUP);
        assertThat(await(channel(TOPIC, null).deliver(notification(6, group)))).isEqualTo(new DeliveryOutcome.Delivered(200));
        SnsMessage m = sim.snsMessages().get(0);
        assertThat(m.subject()).hasSizeLessThanOrEqualTo(100).matches("[\\x20-\\x7E]+");
        int bytes = m.message().getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isBetween(200_000, SnsChannel.MAX_MESSAGE_BYTES);
        assertThat(m.message()).containsPattern("… and [\\d,]+ more alerts$");
    }

    @Test
    void subjectsAreAsciiOneLineAndAtMost100Characters() {
        assertThat(SnsChannel.subject("Ünï\ncode " + "x".repeat(200))).hasSize(100).startsWith("?n? code xxx").endsWith("...");
    }
}
