package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.template.MessageTemplate;
import io.opsgate.alerts.template.TemplateData;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Posts to a Slack incoming webhook: a top-level {@code text} (the title; what notifications and old clients show)
 * and one attachment whose colour bar tells firing from resolved at a glance, holding Block Kit blocks with the
 * title, the text and links to the alerts' source (generatorURL) and to Alertmanager.
 */
final class SlackChannel extends ConfiguredChannel {
    static final String TYPE = "slack";
    static final String FIRING_COLOR = "#E01E5A";
    static final String RESOLVED_COLOR = "#2EB67D";
    /** Slack rejects section text longer than this. */
    static final int MAX_SECTION_CHARS = 3000;
    private static final int MAX_SOURCE_LINKS = 5;

    private final OpsGateConfig.SlackConfig config;
    private final MessageTemplate title;
    private final MessageTemplate text;
    private final JsonPoster poster;

    /** @param title and {@code text} compiled with {@code TemplateEngine.slack()}, which escapes for mrkdwn */
    SlackChannel(String id, OpsGateConfig.SlackConfig config, MessageTemplate title, MessageTemplate text,
                 WebClient client, Clock clock) {
        super(id, TYPE, config.delivery());
        this.config = config;
        this.title = title;
        this.text = text;
        this.poster = new JsonPoster(client, clock, config.delivery().timeout());
    }

    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        JsonObject payload;
        try {
            payload = payload(sendable);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(new DeliveryOutcome.Failed("template error: " + e.getMessage()));
        }
        return poster.post(config.apiUrl(), payload.toBuffer(), MultiMap.caseInsensitiveMultiMap());
    }

    JsonObject payload(Notification n) {
        Map<String, Object> data = TemplateData.of(n);
        boolean firing = n.status() == AlertStatus.FIRING;
        String heading = title.render(data);
        String body = text.render(data);

        JsonArray blocks = new JsonArray()
                .add(section((firing ? ":fire: " : ":white_check_mark: ") + "*" + heading + "*"));
        if (!body.isEmpty()) {
            blocks.add(section(body));
        }
        String links = links(n);
        if (!links.isEmpty()) {
            blocks.add(new JsonObject().put("type", "context").put("elements",
                    new JsonArray().add(new JsonObject().put("type", "mrkdwn").put("text", links))));
        }
        JsonObject payload = new JsonObject();
        if (config.channel() != null) {
            payload.put("channel", config.channel());
        }
        return payload
                .put("text", heading)
                .put("attachments", new JsonArray().add(new JsonObject()
                        .put("color", firing ? FIRING_COLOR : RESOLVED_COLOR)
                        .put("fallback", heading)
                        .put("blocks", blocks)));
    }

    private static JsonObject section(String mrkdwn) {
        return new JsonObject().put("type", "section")
                .put("text", new JsonObject().put("type", "mrkdwn").put("text", truncate(mrkdwn)));
    }

    /** Links to where the alerts come from (up to five distinct generatorURLs) and to Alertmanager's alert view. */
    private static String links(Notification n) {
        Set<String> sources = new LinkedHashSet<>();
        for (Alert a : n.alerts()) {
            if (a.generatorUrl() != null && !a.generatorUrl().isBlank() && sources.size() < MAX_SOURCE_LINKS) {
                sources.add(a.generatorUrl());
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (String source : sources) {
            out.append(out.isEmpty() ? "" : " · ").append('<').append(linkTarget(source)).append("|Source")
                    .append(sources.size() > 1 ? " " + (++i) : "").append('>');
        }
        if (n.externalUrl() != null && !n.externalUrl().isBlank()) {
            out.append(out.isEmpty() ? "" : " · ").append('<').append(linkTarget(alertmanagerUrl(n)))
                    .append("|Alertmanager>");
        }
        return out.toString();
    }

    /** Alertmanager's alert list filtered to this group, as its own Slack template links it. */
    static String alertmanagerUrl(Notification n) {
        String base = n.externalUrl().endsWith("/") ? n.externalUrl().substring(0, n.externalUrl().length() - 1)
                : n.externalUrl();
        if (n.groupLabels().isEmpty()) {
            return base + "/#/alerts";
        }
        String filter = new TreeMap<>(n.groupLabels()).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        return base + "/#/alerts?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** In Slack's link syntax {@code <url|label>}, a {@code |} or {@code >} in the URL would end it early. */
    private static String linkTarget(String url) {
        return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C");
    }

    private static String truncate(String s) {
        return s.length() <= MAX_SECTION_CHARS ? s : s.substring(0, MAX_SECTION_CHARS - 1) + "…";
    }
}
