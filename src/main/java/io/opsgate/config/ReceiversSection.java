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
            "log_configs", "msteamsv2_configs", "email_configs", "sns_configs");
    static final List<String> COMMON_KEYS = List.of("send_resolved", "rate_limit", "timeout");
    static final List<String> SLACK_KEYS = keys("api_url", "api_url_file", "channel", "title", "text", "bot_token",
            "bot_token_file", "web_api_url");
    static final List<String> WEBHOOK_KEYS = keys("url", "url_file", "hmac_secret", "hmac_secret_file", "title", "text",
            "max_alerts");
    static final List<String> PAGERDUTY_KEYS = keys("routing_key", "routing_key_file", "url", "severity", "title",
            "text");
    static final List<String> LOG_KEYS = keys("text");
    static final List<String> TEAMS_KEYS = keys("webhook_url", "webhook_url_file", "title", "text");
    static final List<String> EMAIL_KEYS = keys("to", "from", "smarthost", "hello", "auth_username", "auth_password",
            "auth_password_file", "starttls", "tls_ca_file", "tls_insecure_skip_verify", "subject", "html", "text");
    static final List<String> SNS_KEYS = keys("topic_arn", "region", "role_arn", "external_id", "subject", "message");
    static final List<String> STARTTLS_MODES = List.of("required", "optional", "none");
    /** arn:partition:sns:region:account:name; a FIFO topic's name ends in .fifo. */
    private static final java.util.regex.Pattern TOPIC_ARN = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:sns:([a-z0-9-]+):(\\d{12}):([A-Za-z0-9_-]{1,256}(\\.fifo)?)");
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
                    each(m.find("log_configs"), "log destinations", LOG_KEYS, ReceiversSection::log),
                    each(m.find("msteamsv2_configs"), "Teams workflow webhooks", TEAMS_KEYS, ReceiversSection::teams),
                    each(m.find("email_configs"), "email destinations", EMAIL_KEYS, ReceiversSection::email),
                    each(m.find("sns_configs"), "SNS topics", SNS_KEYS, ReceiversSection::sns)));
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

    private static OpsGateConfig.TeamsConfig teams(ConfigMap m) throws ConfigException {
        String url = required(m, "webhook_url", "the Workflows webhook URL (\"When a Teams webhook request is received\")");
        checkUrl(SecretValues.source(m, "webhook_url"), url, false);
        return new OpsGateConfig.TeamsConfig(url, template(m, "title"), template(m, "text"),
                delivery(m, true, Defaults.TEAMS_RATE_LIMIT), templateOrigins(m, "title", "text"));
    }

    private static OpsGateConfig.EmailConfig email(ConfigMap m) throws ConfigException {
        String to = requiredText(m, "to", "the recipients, comma-separated (a template)");
        String from = requiredText(m, "from", "the sender address (a template)");
        ConfigNode smarthost = m.find("smarthost");
        if (smarthost == null) {
            throw m.node().error("missing smarthost: the SMTP server as host:port, e.g. smtp.example.com:587");
        }
        String hostPort = smarthost.text();
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw smarthost.error("expected host:port with a port from 1 to 65535, e.g. smtp.example.com:587, got "
                    + ConfigNode.quote(hostPort));
        }
        ConfigNode startTlsNode = m.find("starttls");
        OpsGateConfig.StartTls startTls = OpsGateConfig.StartTls.REQUIRED;
        if (startTlsNode != null) {
            String mode = startTlsNode.text().toLowerCase(Locale.ROOT);
            if (!STARTTLS_MODES.contains(mode)) {
                throw startTlsNode.error("expected one of " + String.join(", ", STARTTLS_MODES) + ", got "
                        + ConfigNode.quote(startTlsNode.text()));
            }
            startTls = OpsGateConfig.StartTls.valueOf(mode.toUpperCase(Locale.ROOT));
        }
        ConfigNode user = m.find("auth_username");
        String password = SecretValues.read(m, "auth_password");
        if (password != null && user == null) {
            throw SecretValues.source(m, "auth_password").error("auth_password needs auth_username");
        }
        if (user != null && password == null) {
            throw user.error("auth_username needs auth_password (or auth_password_file)");
        }
        ConfigNode hello = m.find("hello");
        ConfigNode ca = m.find("tls_ca_file");
        String caFile = null;
        if (ca != null) {
            java.nio.file.Path path = ca.context().baseDir().resolve(ca.text());
            if (!java.nio.file.Files.isReadable(path)) {
                throw ca.error("cannot read " + path);
            }
            caFile = path.toString();
        }
        ConfigNode skip = m.find("tls_insecure_skip_verify");
        return new OpsGateConfig.EmailConfig(to, from, host, port, hello == null ? null : hello.text(), startTls,
                user == null ? null : user.text(), password, caFile, skip != null && Flags.read(skip),
                template(m, "subject"), template(m, "html"), template(m, "text"), delivery(m, false, 0),
                templateOrigins(m, "to", "from", "subject", "html", "text"));
    }

    private static OpsGateConfig.SnsConfig sns(ConfigMap m) throws ConfigException {
        ConfigNode arnNode = m.find("topic_arn");
        if (arnNode == null) {
            throw m.node().error("missing topic_arn: the SNS topic to publish to, e.g. "
                    + "arn:aws:sns:eu-west-1:123456789012:alerts");
        }
        String arn = arnNode.text();
        java.util.regex.Matcher parsed = TOPIC_ARN.matcher(arn);
        if (!parsed.matches()) {
            throw arnNode.error("expected an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts, got "
                    + ConfigNode.quote(arn));
        }
        ConfigNode regionNode = m.find("region");
        String region = regionNode == null ? parsed.group(1) : regionNode.text();
        ConfigNode role = m.find("role_arn");
        ConfigNode externalId = m.find("external_id");
        if (externalId != null && role == null) {
            throw externalId.error("external_id needs role_arn");
        }
        return new OpsGateConfig.SnsConfig(arn, region, role == null ? null : role.text(),
                externalId == null ? null : externalId.text(), template(m, "subject"), template(m, "message"),
                delivery(m, true, 0), templateOrigins(m, "subject", "message"));
    }

    private static String requiredText(ConfigMap m, String key, String what) throws ConfigException {
        ConfigNode node = m.find(key);
        if (node == null) {
            throw m.node().error("missing " + key + ": " + what);
        }
        return node.text();
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
        return templateOrigins(m, "title", "text");
    }

    /** Where the template values {@code keys} are, for the template checker's errors. */
    private static Origins templateOrigins(ConfigMap m, String... keys) throws ConfigException {
        Map<String, ConfigOrigin> at = new HashMap<>();
        for (String key : keys) {
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
