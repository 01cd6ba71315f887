package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
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
        Buffer body = body(sendable).toBuffer();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(IDEMPOTENCY_HEADER, sendable.idempotencyKey());
        if (config.hmacSecret() != null) {
            long now = clock.instant().getEpochSecond();
            headers.add(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now));
            headers.add(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(config.hmacSecret(), now, body.getBytes()));
        }
        return poster.post(config.url(), body, headers);
    }

    JsonObject body(Notification n) {
        List<Alert> kept = n.alerts();
        int truncated = 0;
        if (config.maxAlerts() > 0 && kept.size() > config.maxAlerts()) {
            kept = kept.subList(0, config.maxAlerts());
            truncated = n.alerts().size() - config.maxAlerts();
        }
        Map<String, Object> data = TemplateData.forAlerts(n, kept);
        JsonArray alerts = new JsonArray();
        kept.forEach(a -> alerts.add(AlertJson.of(a)));
        return new JsonObject()
                .put("version", VERSION)
                .put("id", n.id())
                .put("route", n.route())
                .put("receiver", n.receiver())
                .put("destination", n.destination())
                .put("status", data.get("status"))
                .put("title", TextBudget.cut(title.render(data, MAX_TITLE_CHARS), MAX_TITLE_CHARS))
                .put("text", TextBudget.fit(text, n, kept, data, MAX_TEXT_CHARS, t -> true).text())
                .put("groupKey", n.groupKey())
                .put("externalURL", n.externalUrl())
                .put("groupLabels", AlertJson.map(n.groupLabels()))
                .put("commonLabels", AlertJson.map(truncated == 0 ? n.commonLabels()
                        : TemplateData.common(kept.stream().map(Alert::labels).toList())))
                .put("commonAnnotations", AlertJson.map(truncated == 0 ? n.commonAnnotations()
                        : TemplateData.common(kept.stream().map(Alert::annotations).toList())))
                .put("alerts", alerts)
                .put("truncatedAlerts", truncated)
                .put("createdAt", n.createdAt().toString())
                .put("attempt", n.attempt())
                .put("idempotencyKey", n.idempotencyKey());
    }
}
