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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Posts to a Slack incoming webhook: a top-level {@code text} (the title; what notifications and old clients show)
 * and one attachment whose colour bar tells firing from resolved at a glance, holding Block Kit blocks with the
 * title, the text and links to the alerts' source (generatorURL) and to Alertmanager.
 *
 * <p>Size: Slack rejects a section whose text exceeds 3,000 characters and messages of more than 50 blocks, and
 * answers {@code msg_blocks_too_long} once the blocks' text adds up to roughly 12,000 characters (a limit it does
 * not document; slackapi/bolt-js#2509). So the title is cut to {@link #MAX_HEADING_CHARS}, the text is fitted to
 * {@link #MAX_BODY_SECTIONS} sections of at most {@link #MAX_SECTION_CHARS} (split at line breaks) and
 * {@link #MAX_BODY_CHARS} in all, listing the alerts that fit and "… and N more alerts", and the links to
 * {@link #MAX_LINKS_CHARS}: at most {@link #MAX_BLOCKS_TEXT} characters of block text, 5 blocks.
 */
final class SlackChannel extends ConfiguredChannel {
    static final String TYPE = "slack";
    static final String FIRING_COLOR = "#E01E5A";
    static final String RESOLVED_COLOR = "#2EB67D";
    /** Slack rejects section text longer than this. */
    static final int MAX_SECTION_CHARS = 3000;
    /** Our cap of the title: the message's {@code text} (what notifications show), its fallback and first section. */
    static final int MAX_HEADING_CHARS = 1000;
    static final int MAX_BODY_SECTIONS = 3;
    static final int MAX_BODY_CHARS = 7400;
    static final int MAX_LINKS_CHARS = 1500;
    /** The blocks' text in all: heading with its decoration, body and links. */
    static final int MAX_BLOCKS_TEXT = 10_000;
    private static final int MAX_SOURCE_LINKS = 5;

    private final OpsGateConfig.SlackConfig config;
    private final MessageTemplate title;
    private final MessageTemplate text;
    private final JsonPoster poster;

    /** @param title and {@code text} compiled with {@code TemplateEngine.slack()}, which escapes for mrkdwn */
    SlackChannel(String id, OpsGateConfig.SlackConfig config, MessageTemplate title, MessageTemplate text,
                 WebClient client, Clock clock, SecretRedactor redactor) {
        super(id, TYPE, config.delivery(), redactor);
        this.config = config;
        this.title = title;
        this.text = text;
        this.poster = new JsonPoster(client, clock, config.delivery().timeout(), redactor);
    }

    @Override
    Future<DeliveryOutcome> send(Notification sendable) {
        return poster.post(config.apiUrl(), payload(sendable).toBuffer(), MultiMap.caseInsensitiveMultiMap());
    }

    JsonObject payload(Notification n) {
        JsonObject message = message(n, title, text);
        if (config.channel() == null) {
            return message;
        }
        return new JsonObject().put("channel", config.channel()).mergeIn(message);
    }

    /** The message's title as sent: the rendered {@code title} template, cut to {@link #MAX_HEADING_CHARS}. */
    static String heading(Notification n, MessageTemplate title) {
        return TextBudget.cut(title.render(TemplateData.of(n), MAX_HEADING_CHARS), MAX_HEADING_CHARS);
    }

    /**
     * The message without a channel: {@code text} and the attachment with its blocks, within Slack's limits. The
     * bot mode ({@link SlackBotChannel}) posts and edits the same message through the Web API.
     */
    static JsonObject message(Notification n, MessageTemplate title, MessageTemplate text) {
        boolean firing = n.status() == AlertStatus.FIRING;
        String heading = heading(n, title);
        String body = TextBudget.fit(text, n, n.alerts(), MAX_BODY_CHARS,
                t -> TextBudget.split(t, MAX_SECTION_CHARS).size() <= MAX_BODY_SECTIONS).text();

        JsonArray blocks = new JsonArray()
                .add(section((firing ? ":fire: " : ":white_check_mark: ") + "*" + heading + "*"));
        TextBudget.split(body, MAX_SECTION_CHARS).forEach(chunk -> blocks.add(section(chunk)));
        String links = links(n);
        if (!links.isEmpty()) {
            blocks.add(new JsonObject().put("type", "context").put("elements",
                    new JsonArray().add(new JsonObject().put("type", "mrkdwn").put("text", links))));
        }
        return new JsonObject()
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

    /**
     * Links to where the alerts come from (up to five distinct generatorURLs) and to Alertmanager's alert view, as
     * many as fit in {@link #MAX_LINKS_CHARS} (a link is never cut: a cut URL leads nowhere).
     */
    private static String links(Notification n) {
        Set<String> sources = new LinkedHashSet<>();
        for (Alert a : n.alerts()) {
            if (sources.size() >= MAX_SOURCE_LINKS) {
                break;
            }
            if (a.generatorUrl() != null && !a.generatorUrl().isBlank()) {
                sources.add(a.generatorUrl());
            }
        }
        List<String> links = new ArrayList<>();
        int i = 0;
        for (String source : sources) {
            links.add("<" + linkTarget(source) + "|Source" + (sources.size() > 1 ? " " + (++i) : "") + ">");
        }
        if (n.externalUrl() != null && !n.externalUrl().isBlank()) {
            links.add("<" + linkTarget(alertmanagerUrl(n)) + "|Alertmanager>");
        }
        StringBuilder out = new StringBuilder();
        for (String link : links) {
            String sep = out.isEmpty() ? "" : " · ";
            if (out.length() + sep.length() + link.length() <= MAX_LINKS_CHARS) {
                out.append(sep).append(link);
            }
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
        return TextBudget.cut(s, MAX_SECTION_CHARS);
    }
}
