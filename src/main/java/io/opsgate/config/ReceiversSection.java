package io.opsgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code receivers} list: named sets of destinations, with Alertmanager's field names where it has them
 * ({@code api_url}, {@code url}, {@code routing_key}, {@code send_resolved}, their {@code *_file} forms) and ours
 * for the rest ({@code hmac_secret}, {@code title}/{@code text} templates, {@code rate_limit}, {@code timeout}).
 * Templates are kept as text with their position; {@code io.opsgate.alerts.template} checks them.
 */
final class ReceiversSection {
    static final List<String> KEYS = List.of("name", "slack_configs", "webhook_configs", "pagerduty_configs",
            "log_configs");
    static final List<String> COMMON_KEYS = List.of("send_resolved", "rate_limit", "timeout");
    static final List<String> SLACK_KEYS = keys("api_url", "api_url_file", "channel", "title", "text", "bot_token",
            "bot_token_file", "web_api_url");
    static final List<String> WEBHOOK_KEYS = keys("url", "url_file", "hmac_secret", "hmac_secret_file", "title", "text",
            "max_alerts");
    static final List<String> PAGERDUTY_KEYS = keys("routing_key", "routing_key_file", "url", "severity", "title",
            "text");
    static final List<String> LOG_KEYS = keys("text");
    static final List<String> PAGERDUTY_SEVERITIES = List.of("critical", "error", "warning", "info");
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    private ReceiversSection() {
    }

    private static List<String> keys(String... own) {
        List<String> all = new ArrayList<>(List.of(own));
        all.addAll(COMMON_KEYS);
        return List.copyOf(all);
    }

    /** @param node the {@code receivers} value, or null when absent */
    static List<OpsGateConfig.Receiver> read(ConfigNode node) throws ConfigException {
        if (node == null) {
            return Defaults.receivers();
        }
        List<ConfigNode> items = node.list("receivers (mappings with keys " + String.join(", ", KEYS) + ")");
        List<OpsGateConfig.Receiver> receivers = new ArrayList<>();
        Map<String, String> pathByName = new HashMap<>();
        for (ConfigNode item : items) {
            ConfigMap m = item.map(KEYS);
            ConfigNode nameNode = m.find("name");
            if (nameNode == null) {
                throw item.error("every receiver needs a name");
            }
            String name = nameNode.text();
            String earlier = pathByName.putIfAbsent(name, item.path());
            if (earlier != null) {
                throw nameNode.error("receiver name " + ConfigNode.quote(name) + " is already used by " + earlier);
            }
            receivers.add(new OpsGateConfig.Receiver(name,
                    each(m.find("slack_configs"), "Slack webhooks", SLACK_KEYS, ReceiversSection::slack),
                    each(m.find("webhook_configs"), "webhooks", WEBHOOK_KEYS, ReceiversSection::webhook),
                    each(m.find("pagerduty_configs"), "PagerDuty services", PAGERDUTY_KEYS, ReceiversSection::pagerDuty),
                    each(m.find("log_configs"), "log destinations", LOG_KEYS, ReceiversSection::log)));
        }
        return List.copyOf(receivers);
    }

    private interface Reader<T> {
        T read(ConfigMap m) throws ConfigException;
    }

    private static <T> List<T> each(ConfigNode node, String what, List<String> keys, Reader<T> reader)
            throws ConfigException {
        if (node == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (ConfigNode item : node.list(what + " (mappings with keys " + String.join(", ", keys) + ")")) {
            // "- {}" and "- " both mean "one destination with every default" (useful for log_configs).
            out.add(reader.read(item.isNull() ? ConfigMap.empty(item) : item.map(keys)));
        }
        return out;
    }

    private static OpsGateConfig.SlackConfig slack(ConfigMap m) throws ConfigException {
        if (SecretValues.source(m, "bot_token") != null) {
            return slackBot(m);
        }
        ConfigNode webApiUrl = m.find("web_api_url");
        if (webApiUrl != null) {
            throw webApiUrl.error("web_api_url is for bot mode; set bot_token (or bot_token_file) with it");
        }
        String apiUrl = required(m, "api_url", "the Slack incoming webhook URL (or bot_token_file and channel "
                + "for a bot that edits one message per alert group)");
        checkUrl(SecretValues.source(m, "api_url"), apiUrl, false);
        ConfigNode channel = m.find("channel");
        return new OpsGateConfig.SlackConfig(apiUrl, channel == null ? null : channel.text(),
                template(m, "title"), template(m, "text"), delivery(m, false, Defaults.SLACK_RATE_LIMIT),
                templateOrigins(m));
    }

    /**
     * Bot mode: a bot token and a channel instead of a webhook URL. Resolved alerts are sent by default, since the
     * message of a group is edited to show it resolved.
     */
    private static OpsGateConfig.SlackConfig slackBot(ConfigMap m) throws ConfigException {
        ConfigNode apiUrl = SecretValues.source(m, "api_url");
        if (apiUrl != null) {
            throw apiUrl.error("set either api_url (an incoming webhook) or bot_token (a bot posting through the "
                    + "Web API), not both");
        }
        String token = SecretValues.read(m, "bot_token");
        ConfigNode channel = m.find("channel");
        if (channel == null || channel.text().isBlank()) {
            throw m.node().error("missing channel: the channel the bot posts to (its id, e.g. C0123ABCD, or #name)");
        }
        String base = Defaults.SLACK_WEB_API_URL;
        ConfigNode baseNode = m.find("web_api_url");
        if (baseNode != null) {
            base = baseNode.text();
            checkUrl(baseNode, base, true);
            base = base.endsWith("/") ? base : base + "/";
        }
        return new OpsGateConfig.SlackConfig(null, channel.text(), template(m, "title"), template(m, "text"),
                delivery(m, true, Defaults.SLACK_RATE_LIMIT), templateOrigins(m), token, base);
    }

    private static OpsGateConfig.WebhookConfig webhook(ConfigMap m) throws ConfigException {
        String url = required(m, "url", "where to POST the notifications");
        checkUrl(SecretValues.source(m, "url"), url, false);
        ConfigNode maxAlerts = m.find("max_alerts");
        return new OpsGateConfig.WebhookConfig(url, SecretValues.read(m, "hmac_secret"),
                template(m, "title"), template(m, "text"), delivery(m, true, 0), templateOrigins(m),
                maxAlerts == null ? 0 : maxAlerts.integer(0, 1_000_000));
    }

    private static OpsGateConfig.PagerDutyConfig pagerDuty(ConfigMap m) throws ConfigException {
        String routingKey = required(m, "routing_key", "the Events API v2 integration key");
        ConfigNode urlNode = m.find("url");
        String url = Defaults.PAGERDUTY_URL;
        if (urlNode != null) {
            url = urlNode.text();
            checkUrl(urlNode, url, true);
        }
        ConfigNode severityNode = m.find("severity");
        String severity = null;
        if (severityNode != null) {
            severity = severityNode.text().toLowerCase(Locale.ROOT);
            if (!PAGERDUTY_SEVERITIES.contains(severity)) {
                throw severityNode.error("expected one of " + String.join(", ", PAGERDUTY_SEVERITIES) + ", got "
                        + ConfigNode.quote(severityNode.text()) + Suggestions.hint(severity, PAGERDUTY_SEVERITIES)
                        .replaceFirst("; expected one of: .*", ""));
            }
        }
        return new OpsGateConfig.PagerDutyConfig(routingKey, url, severity, template(m, "title"), template(m, "text"),
                delivery(m, true, 0), templateOrigins(m));
    }

    private static OpsGateConfig.LogConfig log(ConfigMap m) throws ConfigException {
        return new OpsGateConfig.LogConfig(template(m, "text"), delivery(m, true, 0), templateOrigins(m));
    }

    private static String required(ConfigMap m, String key, String what) throws ConfigException {
        String value = SecretValues.read(m, key);
        if (value == null) {
            throw m.node().error("missing " + key + " (or " + key + "_file): " + what);
        }
        return value;
    }

    /** Never quotes the URL: Slack webhook URLs and many webhook URLs carry their token in the path. */
    private static void checkUrl(ConfigNode node, String url, boolean showValue) throws ConfigException {
        String shown = showValue ? " " + ConfigNode.quote(url) : "";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw node.error("expected an absolute http(s) URL, got an invalid one" + shown + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw node.error("expected an absolute http(s) URL such as https://hooks.example.com/path" + shown);
        }
    }

    private static String template(ConfigMap m, String key) throws ConfigException {
        ConfigNode node = m.find(key);
        return node == null ? null : node.text();
    }

    /** Where {@code title} and {@code text} are, for the template checker's errors. */
    private static Origins templateOrigins(ConfigMap m) throws ConfigException {
        Map<String, ConfigOrigin> at = new HashMap<>();
        for (String key : List.of("title", "text")) {
            ConfigNode node = m.find(key);
            if (node != null) {
                at.put(key, node.origin());
            }
        }
        return new Origins(m.node().origin(), at);
    }

    private static OpsGateConfig.Delivery delivery(ConfigMap m, boolean sendResolvedDefault, double defaultRate)
            throws ConfigException {
        ConfigNode sendResolved = m.find("send_resolved");
        boolean resolved = sendResolved == null ? sendResolvedDefault : Flags.read(sendResolved);
        double rate = defaultRate;
        ConfigNode rateNode = m.find("rate_limit");
        if (rateNode != null) {
            rate = rateNode.decimal(0, 10_000);
        }
        Duration timeout = Defaults.NOTIFY_TIMEOUT;
        ConfigNode timeoutNode = m.find("timeout");
        if (timeoutNode != null) {
            timeout = timeoutNode.duration();
            if (timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw timeoutNode.error("must be above 0 and at most " + Durations.format(MAX_TIMEOUT));
            }
        }
        return new OpsGateConfig.Delivery(resolved, rate > 0 ? Optional.of(rate) : Optional.empty(), timeout);
    }
}
