package io.opsgate.sim;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SNS in awsQuery ({@code Version=2010-03-31}), the protocol SDK 2.57.8's {@code SnsClient} sends:
 * {@code CreateTopic} (idempotent), {@code DeleteTopic} and {@code Publish} with {@code MessageAttributes},
 * {@code MessageGroupId} and {@code MessageDeduplicationId}. Validates as SNS does: the topic must exist in the
 * caller's account and the request's region ({@code NotFound}, 404), a subject of at most 100 printable ASCII
 * characters, a message with its attributes within 256 KB, FIFO topics need a group id and (without content-based
 * deduplication) a deduplication id, and a deduplication id seen on the topic within the last 5 minutes returns the
 * first message's id without publishing again. Every topic named {@link #DEMO_TOPIC} (and its {@code .fifo}) exists
 * from the start, so the demo can publish without setup. Published messages are kept for tests and the demo.
 */
final class SnsQueryApi implements QueryApi {
    static final String DEMO_TOPIC = "opsgate-alerts";
    static final int MAX_MESSAGE_BYTES = 262_144;
    static final int MAX_SUBJECT_CHARS = 100;
    static final int MAX_ATTRIBUTES = 10;
    private static final long DEDUP_WINDOW_MS = 5 * 60 * 1000;
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:([a-z0-9-]+):(\\d{12}):([A-Za-z0-9_-]{1,256}(\\.fifo)?)");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}(\\.fifo)?");
    private static final Pattern SUBJECT = Pattern.compile("[\\x20-\\x7E]{1,100}");
    private static final Pattern FIFO_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final Set<String> DATA_TYPES = Set.of("String", "Number", "Binary", "String.Array");

    private record Sent(String messageId, long at) {
    }

    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final List<SnsMessage> published = new CopyOnWriteArrayList<>();
    private final Map<String, Sent> dedup = new ConcurrentHashMap<>();
    private final java.time.Clock clock;

    SnsQueryApi(java.time.Clock clock) {
        this.clock = clock;
    }

    List<SnsMessage> published() {
        return List.copyOf(published);
    }

    void clear() {
        published.clear();
        dedup.clear();
    }

    @Override
    public String handle(ApiRequest r) {
        return switch (r.action()) {
            case "Publish" -> publish(r);
            case "CreateTopic" -> createTopic(r);
            case "DeleteTopic" -> deleteTopic(r);
            default -> throw QueryApi.invalidAction(r.action());
        };
    }

    private String createTopic(ApiRequest r) {
        String name = r.params().get("Name");
        if (name == null) {
            throw invalid("Name");
        }
        boolean fifoAttr = "true".equals(attribute(r, "FifoTopic"));
        if (!TOPIC_NAME.matcher(name).matches() || fifoAttr != name.endsWith(".fifo")) {
            throw new AwsError(400, "InvalidParameter",
                    "Invalid parameter: Topic Name" + (fifoAttr != name.endsWith(".fifo")
                            ? " (FIFO topic names end with .fifo and need FifoTopic=true)" : ""));
        }
        String arn = "arn:aws:sns:" + r.region() + ":" + r.accountId() + ":" + name;
        created.add(arn);
        XmlWriter xml = new XmlWriter(512);
        xml.openNs("CreateTopicResponse", r.protocol().namespace()).open("CreateTopicResult")
                .elem("TopicArn", arn).close("CreateTopicResult");
        return xml.endQuery("CreateTopicResponse", r.requestId());
    }

    private String deleteTopic(ApiRequest r) {
        String arn = r.params().get("TopicArn");
        if (arn == null) {
            throw invalid("TopicArn");
        }
        created.remove(arn);
        XmlWriter xml = new XmlWriter(256);
        xml.openNs("DeleteTopicResponse", r.protocol().namespace());
        return xml.endQuery("DeleteTopicResponse", r.requestId());
    }

    /** The value of a {@code CreateTopic} attribute, sent as {@code Attributes.entry.N.key/value}. */
    private static String attribute(ApiRequest r, String key) {
        for (int i = 1; r.params().has("Attributes.entry." + i + ".key"); i++) {
            if (key.equals(r.params().get("Attributes.entry." + i + ".key"))) {
                return r.params().get("Attributes.entry." + i + ".value");
            }
        }
        return null;
    }

    private String publish(ApiRequest r) {
        QueryParams p = r.params();
        String arn = p.get("TopicArn", p.get("TargetArn"));
        if (arn == null) {
            throw new AwsError(400, "InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no value for"
                    + " required parameter");
        }
        Matcher m = TOPIC_ARN.matcher(arn);
        if (!m.matches()) {
            throw new AwsError(400, "InvalidParameter", "Invalid parameter: TopicArn");
        }
        if (!m.group(1).equals(r.region())) {
            throw new AwsError(400, "InvalidParameter", "Invalid parameter: TopicArn (the topic is in " + m.group(1)
                    + ", the request went to " + r.region() + ")");
        }
        if (!m.group(2).equals(r.accountId())) {
            throw new AwsError(403, "AuthorizationError", "User: arn:aws:iam::" + r.accountId()
                    + ":user/opsgate-sim is not authorized to perform: SNS:Publish on resource: " + arn);
        }
        if (!exists(arn, m.group(3))) {
            throw new AwsError(404, "NotFound", "Topic does not exist");
        }
        String message = p.get("Message");
        if (message == null || message.isEmpty()) {
            throw new AwsError(400, "InvalidParameter", "Invalid parameter: Message Reason: Empty message");
        }
        String subject = p.get("Subject");
        if (subject != null && !SUBJECT.matcher(subject).matches()) {
            throw new AwsError(400, "InvalidParameter", "Invalid parameter: Subject");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        for (int i = 1; p.has("MessageAttributes.entry." + i + ".Name"); i++) {
            String base = "MessageAttributes.entry." + i + ".";
            String name = p.get(base + "Name");
            String type = p.get(base + "Value.DataType");
            String value = p.get(base + "Value.StringValue", p.get(base + "Value.BinaryValue"));
            if (type == null || !DATA_TYPES.contains(type.split("\\.", 2)[0]) && !DATA_TYPES.contains(type)) {
                throw new AwsError(400, "ParameterValueInvalid", "The message attribute '" + name
                        + "' has an invalid message attribute type, the set of supported type prefixes is Binary,"
                        + " Number, and String.");
            }
            if (value == null || value.isEmpty()) {
                throw new AwsError(400, "ParameterValueInvalid", "The message attribute '" + name
                        + "' must contain non-empty message attribute value for message attribute type '" + type + "'.");
            }
            attributes.put(name, value);
            size += name.getBytes(StandardCharsets.UTF_8).length + type.length()
                    + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new AwsError(400, "InvalidParameter", "Invalid parameter: MessageAttributes: at most 10");
        }
        if (size > MAX_MESSAGE_BYTES) {
            throw new AwsError(400, "InvalidParameter", "Invalid parameter: Message too long");
        }
        String groupId = p.get("MessageGroupId");
        String dedupId = p.get("MessageDeduplicationId");
        boolean fifo = arn.endsWith(".fifo");
        if (fifo) {
            if (groupId == null || !FIFO_ID.matcher(groupId).matches()) {
                throw new AwsError(400, "InvalidParameter",
                        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
            }
            if (dedupId == null || !FIFO_ID.matcher(dedupId).matches()) {
                throw new AwsError(400, "InvalidParameter", "Invalid parameter: The topic should either have"
                        + " ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
            }
        } else if (dedupId != null) {
            throw new AwsError(400, "InvalidParameter",
                    "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId"
                            + " parameter that is not valid for this topic type");
        }
        long now = clock.millis();
        String messageId = UUID.randomUUID().toString();
        boolean duplicate = false;
        if (fifo) {
            Sent fresh = new Sent(messageId, now);
            Sent earlier = dedup.compute(arn + "\n" + dedupId,
                    (k, old) -> old != null && now - old.at() < DEDUP_WINDOW_MS ? old : fresh);
            duplicate = earlier != fresh;
            messageId = earlier.messageId();
        }
        if (!duplicate) {
            published.add(new SnsMessage(arn, messageId, subject, message, Map.copyOf(attributes), groupId, dedupId,
                    r.accountId()));
        }
        XmlWriter xml = new XmlWriter(512);
        xml.openNs("PublishResponse", r.protocol().namespace()).open("PublishResult").elem("MessageId", messageId);
        if (fifo) {
            xml.elem("SequenceNumber", String.format("%020d", published.size()));
        }
        xml.close("PublishResult");
        return xml.endQuery("PublishResponse", r.requestId());
    }

    private boolean exists(String arn, String name) {
        return created.contains(arn) || name.equals(DEMO_TOPIC) || name.equals(DEMO_TOPIC + ".fifo");
    }

    private static AwsError invalid(String parameter) {
        return new AwsError(400, "InvalidParameter", "Invalid parameter: " + parameter);
    }
}
