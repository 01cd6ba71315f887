package io.opsgate.alerts.webhook;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates Alertmanager's webhook payload version 4. Unknown fields are ignored (newer Alertmanagers add
 * some); everything the gateway relies on is checked, and the first problem is reported with its JSON path.
 */
public final class WebhookParser {
    public static final String VERSION = "4";
    /** Label values longer than this are refused: no alert needs them, and every message would carry them. */
    public static final int MAX_LABEL_VALUE = 16 * 1024;
    public static final int MAX_ANNOTATION_VALUE = 64 * 1024;
    public static final int MAX_LABELS = 256;
    /** Alertmanager's "unknown end" (Go's zero time.Time). */
    /** Alertmanager's reasons are a few words; a longer value is cut here. */
    static final int MAX_REASON = 100;
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    // Duplicate keys are refused: which copy wins differs between parsers (Alertmanager's Go, Jackson, a proxy in
    // between), so a body with two "status" keys could mean one thing to whoever checked it and another to us.
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public WebhookMessage parse(byte[] body) throws PayloadException {
        if (body.length == 0) {
            throw new PayloadException(null, "empty body; expected an Alertmanager webhook (JSON, version 4)");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonParseException e) {
            String where = " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String original = e.getOriginalMessage();
            if (original != null && original.startsWith("Duplicate field ")) {
                throw new PayloadException(null, "duplicate key " + shorten(original.substring("Duplicate field ".length()))
                        + where + "; each key may appear once per object");
            }
            throw new PayloadException(null, "body is not valid JSON: " + original + where);
        } catch (JsonProcessingException e) {
            throw new PayloadException(null, "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PayloadException(null, "body is not valid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new PayloadException(null, "empty body; expected an Alertmanager webhook (JSON, version 4)");
        }
        if (!root.isObject()) {
            throw new PayloadException(null, "expected a JSON object, got " + kind(root));
        }
        String version = requiredString(root, "version", "version");
        if (!VERSION.equals(version)) {
            throw new PayloadException("version", "unsupported webhook payload version \"" + shorten(version)
                    + "\"; OpsGate reads version 4 (Alertmanager 0.x)");
        }
        AlertStatus status = status(root, "status");
        String receiver = optionalString(root, "receiver", "receiver");
        String groupKey = optionalString(root, "groupKey", "groupKey");
        String externalUrl = optionalString(root, "externalURL", "externalURL");
        Map<String, String> groupLabels = stringMap(root.get("groupLabels"), "groupLabels", MAX_LABEL_VALUE, false);
        JsonNode alertsNode = root.get("alerts");
        if (alertsNode == null || alertsNode.isNull()) {
            throw new PayloadException("alerts", "missing required field");
        }
        if (!alertsNode.isArray()) {
            throw new PayloadException("alerts", "must be an array, got " + kind(alertsNode));
        }
        List<Alert> alerts = new ArrayList<>(alertsNode.size());
        for (int i = 0; i < alertsNode.size(); i++) {
            alerts.add(alert(alertsNode.get(i), "alerts[" + i + "]"));
        }
        return new WebhookMessage(receiver, status, groupKey, externalUrl, groupLabels, alerts,
                notificationReason(root));
    }

    /**
     * Alertmanager 0.32 and later say why they notify ({@code notification_reason}). Nothing depends on it but
     * templates, so a value of another type is ignored rather than refused (a 400 would lose the alerts: Alertmanager
     * does not retry it), and an unknown one is kept as it is, cut to {@link #MAX_REASON} characters.
     */
    private static String notificationReason(JsonNode root) {
        JsonNode node = root.get("notification_reason");
        if (node == null || !node.isTextual()) {
            return "";
        }
        String reason = node.textValue().strip();
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }

    private static Alert alert(JsonNode node, String path) throws PayloadException {
        if (!node.isObject()) {
            throw new PayloadException(path, "must be an object, got " + kind(node));
        }
        AlertStatus status = status(node, path + ".status");
        JsonNode labelsNode = node.get("labels");
        if (labelsNode == null || labelsNode.isNull()) {
            throw new PayloadException(path + ".labels", "missing required field");
        }
        Map<String, String> labels = stringMap(labelsNode, path + ".labels", MAX_LABEL_VALUE, true);
        if (labels.isEmpty()) {
            throw new PayloadException(path + ".labels", "must hold at least one label");
        }
        Map<String, String> annotations = stringMap(node.get("annotations"), path + ".annotations",
                MAX_ANNOTATION_VALUE, false);
        Instant startsAt = time(node, "startsAt", path + ".startsAt", true);
        Instant endsAt = time(node, "endsAt", path + ".endsAt", false);
        String generatorUrl = optionalString(node, "generatorURL", path + ".generatorURL");
        String fingerprint = optionalString(node, "fingerprint", path + ".fingerprint");
        if (fingerprint.isEmpty()) {
            fingerprint = Fingerprints.of(labels);
        } else if (fingerprint.length() > 64) {
            throw new PayloadException(path + ".fingerprint", "is " + fingerprint.length()
                    + " characters; Alertmanager's are 16");
        }
        return new Alert(fingerprint, status, labels, annotations, startsAt, endsAt, generatorUrl);
    }

    private static AlertStatus status(JsonNode parent, String path) throws PayloadException {
        String value = requiredString(parent, "status", path);
        try {
            return AlertStatus.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw new PayloadException(path, "must be \"firing\" or \"resolved\", got \"" + shorten(value) + "\"");
        }
    }

    private static Instant time(JsonNode parent, String key, String path, boolean required) throws PayloadException {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            if (required) {
                throw new PayloadException(path, "missing required field");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new PayloadException(path, "must be an RFC 3339 timestamp string, got " + kind(node));
        }
        Instant value;
        try {
            value = Rfc3339.parse(node.textValue());
        } catch (DateTimeParseException e) {
            throw new PayloadException(path, "must be an RFC 3339 timestamp like 2024-05-01T10:00:00Z (years 0000 to"
                    + " 9999), got \"" + shorten(node.textValue()) + "\"");
        }
        if (value.equals(GO_ZERO_TIME)) {
            if (required) {
                throw new PayloadException(path, "must be a real time, got Go's zero time");
            }
            return null;
        }
        return value;
    }

    private static String requiredString(JsonNode parent, String key, String path) throws PayloadException {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new PayloadException(path, "missing required field");
        }
        if (!node.isTextual()) {
            throw new PayloadException(path, "must be a string, got " + kind(node));
        }
        return withoutNul(node.textValue());
    }

    private static String optionalString(JsonNode parent, String key, String path) throws PayloadException {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new PayloadException(path, "must be a string, got " + kind(node));
        }
        return withoutNul(node.textValue());
    }

    private static Map<String, String> stringMap(JsonNode node, String path, int maxValue, boolean isLabels)
            throws PayloadException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new PayloadException(path, "must be an object of strings, got " + kind(node));
        }
        if (isLabels && node.size() > MAX_LABELS) {
            throw new PayloadException(path, "has " + node.size() + " labels; the limit is " + MAX_LABELS);
        }
        Map<String, String> result = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String field = path + "." + shorten(e.getKey());
            if (e.getKey().isEmpty() || e.getKey().length() > 1024) {
                throw new PayloadException(field, "names must be 1 to 1024 characters, got " + e.getKey().length());
            }
            if (!e.getValue().isTextual()) {
                throw new PayloadException(field, "must be a string, got " + kind(e.getValue()));
            }
            String value = withoutNul(e.getValue().textValue());
            if (value.length() > maxValue) {
                throw new PayloadException(field, "is " + value.length() + " characters; the limit is " + maxValue);
            }
            result.put(withoutNul(e.getKey()), value);
        }
        return result;
    }

    /**
     * JSON may carry U+0000 ({@code "\\u0000"}), and a Prometheus label value may hold it, but PostgreSQL's text type
     * cannot: the store refused the whole webhook, answered 503, and Alertmanager retried it for ever. Refusing it
     * with a 400 would lose the alert (Alertmanager does not retry a 400), so the character is replaced with U+FFFD,
     * on every engine alike, and the alert goes through.
     */
    static String withoutNul(String s) {
        return s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
