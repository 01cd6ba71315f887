package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.Map;

/**
 * POSTs the notification as JSON: Alertmanager's webhook fields (status, alerts, groupLabels, commonLabels,
 * commonAnnotations, externalURL, groupKey) plus ours ({@code id}, unique per notification and the same on every
 * retry, for receivers to deduplicate; {@code route}, {@code destination}, {@code title} and {@code text} rendered
 * from the templates). Optionally signed, see {@link WebhookSignature}.
 */
final class WebhookChannel extends ConfiguredChannel {
    static final String TYPE = "webhook";
    static final String VERSION = "1";

    private final OpsGateConfig.WebhookConfig config;
    private final MessageTemplate title;
    private final MessageTemplate text;
    private final JsonPoster poster;
    private final Clock clock;

    WebhookChannel(String id, OpsGateConfig.WebhookConfig config, MessageTemplate title, MessageTemplate text,
                   WebClient client, Clock clock) {
        super(id, TYPE, config.delivery());
        this.config = config;
        this.title = title;
        this.text = text;
        this.clock = clock;
        this.poster = new JsonPoster(client, clock, config.delivery().timeout());
    }

    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        Buffer body;
        try {
            body = body(sendable).toBuffer();
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(new DeliveryOutcome.Failed("template error: " + e.getMessage()));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (config.hmacSecret() != null) {
            long now = clock.instant().getEpochSecond();
            headers.add(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now));
            headers.add(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(config.hmacSecret(), now, body.getBytes()));
        }
        return poster.post(config.url(), body, headers);
    }

    JsonObject body(Notification n) {
        Map<String, Object> data = TemplateData.of(n);
        JsonArray alerts = new JsonArray();
        n.alerts().forEach(a -> alerts.add(AlertJson.of(a)));
        return new JsonObject()
                .put("version", VERSION)
                .put("id", n.id())
                .put("route", n.route())
                .put("receiver", n.receiver())
                .put("destination", n.destination())
                .put("status", n.status().wire())
                .put("title", title.render(data))
                .put("text", text.render(data))
                .put("groupKey", n.groupKey())
                .put("externalURL", n.externalUrl())
                .put("groupLabels", AlertJson.map(n.groupLabels()))
                .put("commonLabels", AlertJson.map(n.commonLabels()))
                .put("commonAnnotations", AlertJson.map(n.commonAnnotations()))
                .put("alerts", alerts)
                .put("createdAt", n.createdAt().toString())
                .put("attempt", n.attempt());
    }
}
