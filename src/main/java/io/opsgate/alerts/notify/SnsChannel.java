package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Publishes one SNS message per notification with the AWS SDK's {@code SnsClient}. The SDK call blocks, so it runs
 * on a worker thread, never on the event loop. Message attributes ({@code String}): {@code severity} (the most
 * severe {@code severity} label among the alerts, for subscription filter policies), {@code status},
 * {@code receiver} and {@code alertname} (the group's, when common). FIFO topics get {@code MessageGroupId} (a
 * hash of the group key: a group's notifications stay in order, groups do not wait on each other) and
 * {@code MessageDeduplicationId} = the idempotency key, so SNS drops a re-send within its 5-minute window.
 *
 * <p>Size: SNS takes a subject of at most 100 printable ASCII characters (other characters become {@code ?}) and
 * 256 KB of message and attributes; the message lists the alerts that fit {@link #MAX_MESSAGE_BYTES} less the
 * attributes and ends in "… and N more alerts". Outcomes: throttling, 5xx and client-side (network, timeout)
 * errors are retried; any other SNS error ({@code NotFound}, {@code AuthorizationError}, {@code InvalidParameter},
 * KMS access) is permanent. The SDK retries within one attempt per the {@code aws:} section's policy.
 */
final class SnsChannel extends ConfiguredChannel {
    static final String TYPE = "sns";
    static final int MAX_SUBJECT_CHARS = 100;
    static final int MAX_MESSAGE_BYTES = 262_144;
    private static final int MAX_ATTRIBUTE_CHARS = 256;
    private static final List<String> SEVERITY_ORDER = List.of("critical", "error", "warning", "info");

    private final OpsGateConfig.SnsConfig config;
    private final MessageTemplate subject;
    private final MessageTemplate message;
    private final SnsClient sns;
    private final Vertx vertx;

    SnsChannel(String id, OpsGateConfig.SnsConfig config, MessageTemplate subject, MessageTemplate message,
               SnsClient sns, Vertx vertx, SecretRedactor redactor) {
        super(id, TYPE, config.delivery(), redactor);
        this.config = config;
        this.subject = subject;
        this.message = message;
        this.sns = sns;
        this.vertx = vertx;
    }

    @Override
    Future<DeliveryOutcome> send(Notification n) {
        PublishRequest request = request(n);
        // ordered=false: publishes of different notifications need not wait on each other
        return vertx.executeBlocking(() -> publish(request), false);
    }

    PublishRequest request(Notification n) {
        Map<String, Object> data = TemplateData.of(n);
        Map<String, MessageAttributeValue> attributes = attributes(n);
        int attributeBytes = attributes.entrySet().stream()
                .mapToInt(e -> utf8(e.getKey()) + utf8(e.getValue().dataType()) + utf8(e.getValue().stringValue()))
                .sum();
        int budget = MAX_MESSAGE_BYTES - attributeBytes;
        String text = TextBudget.fit(message, n, n.alerts(), budget, t -> utf8(t) <= budget).text();
        if (text.isEmpty()) {
            text = n.status().wire(); // SNS refuses an empty message
        }
        PublishRequest.Builder b = PublishRequest.builder()
                .topicArn(config.topicArn())
                .message(text)
                .messageAttributes(attributes);
        String s = subject(TextBudget.cut(subject.render(data, MAX_SUBJECT_CHARS * 4), MAX_SUBJECT_CHARS * 4));
        if (!s.isEmpty()) {
            b.subject(s);
        }
        if (config.fifo()) {
            b.messageGroupId(PagerDutyChannel.dedupKey(n.groupKey(), n.receiver()))
                    .messageDeduplicationId(fifoId(n.idempotencyKey()));
        }
        return b.build();
    }

    private DeliveryOutcome publish(PublishRequest request) {
        try {
            PublishResponse response = sns.publish(request);
            return new DeliveryOutcome.Delivered(response.sdkHttpResponse().statusCode());
        } catch (SnsException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String reason = "SNS " + e.statusCode() + (code == null ? "" : " " + code) + ": "
                    + TextBudget.cut(redactor().redact(String.valueOf(
                            e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage())), 300);
            if (e.isThrottlingException() || e.statusCode() >= 500 || e.retryable()) {
                return new DeliveryOutcome.RetryLater(reason, Optional.empty());
            }
            return new DeliveryOutcome.Failed(reason);
        } catch (SdkClientException e) {
            return new DeliveryOutcome.RetryLater("SNS client error: " + TextBudget.cut(
                    redactor().redact(String.valueOf(e.getMessage())), 300), Optional.empty());
        } catch (SdkException e) {
            return new DeliveryOutcome.RetryLater("SNS error: " + TextBudget.cut(
                    redactor().redact(String.valueOf(e.getMessage())), 300), Optional.empty());
        }
    }

    private static Map<String, MessageAttributeValue> attributes(Notification n) {
        Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
        out.put("severity", string(severity(n.alerts())));
        out.put("status", string(n.status().wire()));
        out.put("receiver", string(TextBudget.cut(n.receiver(), MAX_ATTRIBUTE_CHARS)));
        String alertname = n.commonLabels().get("alertname");
        if (alertname != null && !alertname.isEmpty()) {
            out.put("alertname", string(TextBudget.cut(alertname, MAX_ATTRIBUTE_CHARS)));
        }
        return out;
    }

    /** The most severe of the firing alerts' severity labels (of all alerts once none fires); "none" without any. */
    static String severity(List<Alert> alerts) {
        List<Alert> firing = alerts.stream().filter(a -> a.status() == AlertStatus.FIRING).toList();
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Alert a : firing.isEmpty() ? alerts : firing) {
            String s = a.labels().get("severity");
            if (s == null || s.isBlank()) {
                continue;
            }
            String lower = s.toLowerCase(Locale.ROOT);
            int rank = SEVERITY_ORDER.indexOf(PagerDutyChannel.severity(lower));
            if (best == null || rank < bestRank) {
                best = lower;
                bestRank = rank;
            }
        }
        return best == null ? "none" : TextBudget.cut(best, MAX_ATTRIBUTE_CHARS);
    }

    /** SNS subjects: printable ASCII, one line, at most 100 characters. */
    static String subject(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.append(c >= 0x20 && c <= 0x7E ? (char) c : Character.isWhitespace(c) ? ' ' : '?'));
        String flat = out.toString().strip();
        return flat.length() <= MAX_SUBJECT_CHARS ? flat : flat.substring(0, MAX_SUBJECT_CHARS - 3) + "...";
    }

    /** FIFO ids: at most 128 characters of ASCII 33-126. */
    static String fifoId(String key) {
        String id = key.replaceAll("[^\\x21-\\x7E]", "_");
        return id.length() <= 128 ? id : PagerDutyChannel.dedupKey(key, "");
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
