package io.opsgate.alerts.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * POSTs the notification as JSON: Alertmanager's webhook fields (status, alerts, groupLabels, commonLabels,
 * commonAnnotations, externalURL, groupKey) plus ours ({@code idempotencyKey}, also sent as the
 * {@code Idempotency-Key} header, the same on every attempt and re-send of a notification and on no other, for
 * receivers to deduplicate; {@code attempt}, 0 on the first; {@code id}, the outbox row; {@code route},
 * {@code destination}, {@code title} and {@code text} rendered from the templates). Optionally signed, see {@link WebhookSignature}.
 *
 * <p>Size: {@code max_alerts} keeps the first N alerts and counts the rest in {@code truncatedAlerts}, as
 * Alertmanager's webhook does (status, commonLabels and commonAnnotations are then those of the alerts kept); the
 * body holds every alert otherwise. {@code title} and {@code text} are fitted to {@link #MAX_TITLE_CHARS} and
 * {@link #MAX_TEXT_CHARS} (a text that would be longer lists the alerts that fit and ends in "… and N more alerts").
 */
final class WebhookChannel extends ConfiguredChannel {
    static final String TYPE = "webhook";
    static final String VERSION = "1";
    static final int MAX_TITLE_CHARS = 1024;
    static final int MAX_TEXT_CHARS = 64 * 1024;
    /** The notification's idempotency key, also in the body as {@code idempotencyKey}. */
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final JsonFactory JSON = new JsonFactory();

    private final OpsGateConfig.WebhookConfig config;
    private final MessageTemplate title;
    private final MessageTemplate text;
    private final JsonPoster poster;
    private final Clock clock;

    WebhookChannel(String id, OpsGateConfig.WebhookConfig config, MessageTemplate title, MessageTemplate text,
                   WebClient client, Clock clock, SecretRedactor redactor) {
        super(id, TYPE, config.delivery(), redactor);
        this.config = config;
        this.title = title;
        this.text = text;
        this.clock = clock;
        this.poster = new JsonPoster(client, clock, config.delivery().timeout(), redactor);
    }

    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        Buffer body = body(sendable);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(IDEMPOTENCY_HEADER, sendable.idempotencyKey());
        if (config.hmacSecret() != null) {
            long now = clock.instant().getEpochSecond();
            headers.add(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now));
            headers.add(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(config.hmacSecret(), now, body.getBytes()));
        }
        return poster.post(config.url(), body, headers);
    }

    /**
     * The body, written straight to bytes with Jackson's streaming generator: the same JSON, field for field and
     * byte for byte, as the {@code JsonObject} of these fields encoded by Vert.x ({@code WebhookChannelTest}), without
     * building that object (a map per label set) and encoding it by data binding, which the issue #10 profile showed
     * as a tenth of the gateway's CPU per webhook.
     */
    Buffer body(Notification n) {
        List<Alert> kept = n.alerts();
        int truncated = 0;
        if (config.maxAlerts() > 0 && kept.size() > config.maxAlerts()) {
            kept = kept.subList(0, config.maxAlerts());
            truncated = n.alerts().size() - config.maxAlerts();
        }
        Map<String, Object> data = TemplateData.forAlerts(n, kept);
        String titleText = TextBudget.cut(title.render(data, MAX_TITLE_CHARS), MAX_TITLE_CHARS);
        String bodyText = TextBudget.fit(text, n, kept, data, MAX_TEXT_CHARS, t -> true).text();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + 512 * kept.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("version", VERSION);
            g.writeNumberField("id", n.id());
            g.writeStringField("route", n.route());
            g.writeStringField("receiver", n.receiver());
            g.writeStringField("destination", n.destination());
            g.writeStringField("status", (String) data.get("status"));
            g.writeStringField("title", titleText);
            g.writeStringField("text", bodyText);
            g.writeStringField("groupKey", n.groupKey());
            g.writeStringField("externalURL", n.externalUrl());
            AlertJson.writeMap(g, "groupLabels", n.groupLabels());
            AlertJson.writeMap(g, "commonLabels", truncated == 0 ? n.commonLabels()
                    : TemplateData.common(kept.stream().map(Alert::labels).toList()));
            AlertJson.writeMap(g, "commonAnnotations", truncated == 0 ? n.commonAnnotations()
                    : TemplateData.common(kept.stream().map(Alert::annotations).toList()));
            g.writeArrayFieldStart("alerts");
            for (Alert a : kept) {
                AlertJson.write(g, a);
            }
            g.writeEndArray();
            g.writeNumberField("truncatedAlerts", truncated);
            g.writeStringField("createdAt", n.createdAt().toString());
            g.writeNumberField("attempt", n.attempt());
            g.writeStringField("idempotencyKey", n.idempotencyKey());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(out.toByteArray());
    }
}
