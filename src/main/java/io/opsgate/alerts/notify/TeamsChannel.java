package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.alerts.template.TextBudget;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * Posts to a Microsoft Teams Workflows webhook ("When a Teams webhook request is received" → "Post card in a chat or
 * channel"; the Office 365 connectors are retired): a {@code message} with one Adaptive Card attachment
 * ({@code application/vnd.microsoft.card.adaptive}, card version {@link #CARD_VERSION}). The card has a heading in a
 * container styled {@code attention} (firing) or {@code good} (resolved), a fact set (status, alert counts, receiver),
 * the text listing the alerts in Adaptive Card markdown, and {@code Action.OpenUrl} buttons to the alerts' source
 * and to Alertmanager.
 *
 * <p>Size: Teams refuses messages over 28 KB. The whole request body is kept within {@link #MAX_PAYLOAD_BYTES}
 * (counted as sent, UTF-8 and JSON-escaped), leaving room for the envelope the workflow adds: the heading is cut to
 * {@link #MAX_HEADING_CHARS}, and the text lists the alerts that fit and ends in "… and N more alerts" (one huge
 * alert is cut, marked "…"). Workflows answer 202 once they accepted the request; what the flow does afterwards
 * is not reported back.
 */
final class TeamsChannel extends ConfiguredChannel {
    static final String TYPE = "msteams";
    static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    static final String SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
    /** 1.5 is what Teams renders on desktop, web and mobile. */
    static final String CARD_VERSION = "1.5";
    /** Teams' limit is 28 KB for the message; we keep 2 KB for what the workflow wraps around the card. */
    static final int MAX_PAYLOAD_BYTES = 26 * 1024;
    static final int MAX_HEADING_CHARS = 400;
    static final int MAX_SOURCE_LINKS = 3;

    private final OpsGateConfig.TeamsConfig config;
    private final MessageTemplate title;
    private final MessageTemplate text;
    private final JsonPoster poster;

    TeamsChannel(String id, OpsGateConfig.TeamsConfig config, MessageTemplate title, MessageTemplate text,
                 WebClient client, Clock clock, SecretRedactor redactor) {
        super(id, TYPE, config.delivery(), redactor);
        this.config = config;
        this.title = title;
        this.text = text;
        this.poster = new JsonPoster(client, clock, config.delivery().timeout(), redactor);
    }

    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        return poster.post(config.webhookUrl(), payload(sendable).toBuffer(), MultiMap.caseInsensitiveMultiMap());
    }

    JsonObject payload(Notification n) {
        Map<String, Object> data = TemplateData.of(n);
        String heading = TextBudget.cut(title.render(data, MAX_HEADING_CHARS), MAX_HEADING_CHARS);
        if (heading.isBlank()) {
            heading = "alerts"; // a TextBlock needs text
        }
        String fixedHeading = heading;
        // Everything but the text is small and fixed: fit the text to what the rest of the card leaves.
        String body = TextBudget.fit(text, n, n.alerts(), MAX_PAYLOAD_BYTES,
                t -> bytes(message(n, fixedHeading, t)) <= MAX_PAYLOAD_BYTES).text();
        return message(n, heading, body);
    }

    private static JsonObject message(Notification n, String heading, String body) {
        boolean firing = n.status() == AlertStatus.FIRING;
        long firingCount = n.alerts().stream().filter(a -> a.status() == AlertStatus.FIRING).count();
        long resolvedCount = n.alerts().size() - firingCount;
        JsonArray items = new JsonArray().add(new JsonObject()
                .put("type", "TextBlock").put("text", heading).put("wrap", true)
                .put("style", "heading").put("weight", "Bolder").put("size", "Medium")
                .put("color", firing ? "Attention" : "Good"));
        JsonArray facts = new JsonArray()
                .add(fact("Status", n.status().wire().toUpperCase(Locale.ROOT)))
                .add(fact("Alerts", String.format(Locale.ROOT, "%,d firing, %,d resolved", firingCount, resolvedCount)))
                .add(fact("Receiver", TextBudget.cut(n.receiver(), 200)));
        JsonArray cardBody = new JsonArray()
                .add(new JsonObject().put("type", "Container").put("style", firing ? "attention" : "good")
                        .put("bleed", true).put("items", items))
                .add(new JsonObject().put("type", "FactSet").put("facts", facts));
        if (!body.isBlank()) {
            cardBody.add(new JsonObject().put("type", "TextBlock").put("text", body).put("wrap", true)
                    .put("spacing", "Medium"));
        }
        JsonObject card = new JsonObject()
                .put("$schema", SCHEMA)
                .put("type", "AdaptiveCard")
                .put("version", CARD_VERSION)
                .put("body", cardBody)
                .put("msteams", new JsonObject().put("width", "Full"));
        JsonArray actions = new JsonArray();
        for (AlertLinks.Link link : AlertLinks.of(n, MAX_SOURCE_LINKS)) {
            actions.add(new JsonObject().put("type", "Action.OpenUrl").put("title", link.title()).put("url", link.url()));
        }
        if (!actions.isEmpty()) {
            card.put("actions", actions);
        }
        return new JsonObject()
                .put("type", "message")
                .put("summary", heading)
                .put("attachments", new JsonArray().add(new JsonObject()
                        .put("contentType", CONTENT_TYPE)
                        .putNull("contentUrl")
                        .put("content", card)));
    }

    private static JsonObject fact(String title, String value) {
        return new JsonObject().put("title", title).put("value", value);
    }

    private static int bytes(JsonObject json) {
        return json.toBuffer().length();
    }
}
