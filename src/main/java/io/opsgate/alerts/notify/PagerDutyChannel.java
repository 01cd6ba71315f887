package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one PagerDuty Events API v2 event per alert: {@code trigger} while it fires, {@code resolve} when it
 * resolves, both with the same {@code dedup_key}, so PagerDuty opens one incident per alert and closes it again.
 * Events of one notification go out together; the outcome is the worst of theirs (failed, then retry, then
 * delivered). At most {@link #MAX_IN_FLIGHT} events are under way at once, so that each request's timeout measures
 * PagerDuty, not our queue, however large the group; the first "retry later" stops the rest, and the retry sends
 * only the events PagerDuty has not accepted yet (see {@link EventFanout}; after a restart it sends them all).
 * Sending an event again is harmless: its dedup_key is the incident's key (the same from trigger to resolve), and
 * PagerDuty folds a repeated trigger or resolve of an open dedup_key into that incident. The notification's
 * idempotency key and attempt go in {@code custom_details}.
 *
 * <p>Size: PagerDuty limits {@code summary} to 1,024 characters and an event to 512 KB; we count 512,000 bytes, as
 * Alertmanager does. The summary is cut to {@link #MAX_SUMMARY_CHARS}, the details text to
 * {@link #MAX_DETAILS_CHARS}; an event still too large (huge labels or annotations) has the strings of its
 * {@code custom_details} cut until it fits, and loses them to a note saying so if even that is not enough.
 */
final class PagerDutyChannel extends ConfiguredChannel {
    static final String TYPE = "pagerduty";
    /** PagerDuty truncates longer summaries; we cut first so the cut is ours and marked. */
    static final int MAX_SUMMARY_CHARS = 1024;
    static final int MAX_EVENT_BYTES = 512_000;
    static final int MAX_DETAILS_CHARS = 16 * 1024;
    /** No limit is documented for these; ours keeps one huge label from filling the event. */
    static final int MAX_FIELD_CHARS = 1024;
    static final int MAX_IN_FLIGHT = 4;

    private final OpsGateConfig.PagerDutyConfig config;
    private final MessageTemplate summary;
    private final MessageTemplate details;
    private final JsonPoster poster;
    private final EventFanout fanout = new EventFanout(MAX_IN_FLIGHT);

    PagerDutyChannel(String id, OpsGateConfig.PagerDutyConfig config, MessageTemplate summary, MessageTemplate details,
                     WebClient client, Clock clock, SecretRedactor redactor) {
        super(id, TYPE, config.delivery(), redactor);
        this.config = config;
        this.summary = summary;
        this.details = details;
        this.poster = new JsonPoster(client, clock, config.delivery().timeout(), redactor);
    }

    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        Notification n = sendable;
        List<Buffer> events = new ArrayList<>(n.alerts().size());
        for (Alert alert : n.alerts()) {
            events.add(EventSize.fit(event(n, alert)).toBuffer());
        }
        return fanout.send(n.id(), events,
                event -> poster.post(config.url(), event, MultiMap.caseInsensitiveMultiMap()), redactor());
    }

    JsonObject event(Notification n, Alert alert) {
        JsonObject event = new JsonObject()
                .put("routing_key", config.routingKey())
                .put("dedup_key", dedupKey(n.groupKey(), alert.fingerprint()));
        if (alert.status() == AlertStatus.RESOLVED) {
            return event.put("event_action", "resolve");
        }
        Map<String, Object> data = TemplateData.forAlert(n, alert);
        JsonObject payload = new JsonObject()
                .put("summary", truncate(TextBudget.cut(summary.render(data, MAX_SUMMARY_CHARS), MAX_SUMMARY_CHARS)))
                .put("source", TextBudget.cut(source(alert), MAX_FIELD_CHARS))
                .put("severity", config.severity() != null ? config.severity() : severity(alert.labels().get("severity")))
                .put("timestamp", alert.startsAt().toString())
                .put("custom_details", new JsonObject()
                        .put("details", TextBudget.cut(details.render(data, MAX_DETAILS_CHARS), MAX_DETAILS_CHARS))
                        .put("labels", AlertJson.map(alert.labels()))
                        .put("annotations", AlertJson.map(alert.annotations()))
                        .put("receiver", n.receiver())
                        .put("route", n.route())
                        .put("idempotency_key", n.idempotencyKey())
                        .put("attempt", n.attempt()));
        String group = alert.labels().get("alertname");
        if (group != null) {
            payload.put("class", TextBudget.cut(group, MAX_FIELD_CHARS));
        }
        event.put("event_action", "trigger").put("payload", payload).put("client", "OpsGate");
        if (n.externalUrl() != null && !n.externalUrl().isBlank()) {
            event.put("client_url", n.externalUrl());
        }
        if (alert.generatorUrl() != null && !alert.generatorUrl().isBlank()) {
            event.put("links", new JsonArray().add(new JsonObject().put("href", alert.generatorUrl()).put("text", "Source")));
        }
        return event;
    }

    /**
     * Stable per (group, alert) across notifications, restarts and HA peers, so the resolve finds its trigger;
     * hashed because PagerDuty limits dedup_key to 255 characters and group keys can be long.
     */
    static String dedupKey(String groupKey, String fingerprint) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(groupKey.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return HexFormat.of().formatHex(sha256.digest(fingerprint.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Maps common severity label values onto PagerDuty's four; anything else is "error", Alertmanager's default. */
    static String severity(String label) {
        if (label == null) {
            return "error";
        }
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "critical", "crit", "page", "fatal", "emergency", "alert", "high", "p1" -> "critical";
            case "warning", "warn", "minor", "medium", "p3" -> "warning";
            case "info", "informational", "notice", "low", "none", "debug", "p4", "p5" -> "info";
            default -> "error";
        };
    }

    private static String source(Alert alert) {
        for (String label : List.of("instance", "job")) {
            String value = alert.labels().get(label);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        try {
            String host = alert.generatorUrl() == null ? null : URI.create(alert.generatorUrl()).getHost();
            if (host != null) {
                return host;
            }
        } catch (IllegalArgumentException ignored) {
            // not a URL: fall through
        }
        return "alertmanager";
    }

    static String truncate(String s) {
        if (s.isEmpty()) {
            return "alert";
        }
        if (s.codePointCount(0, s.length()) <= MAX_SUMMARY_CHARS) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, MAX_SUMMARY_CHARS - 1)) + "…";
    }
}
