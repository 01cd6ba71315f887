package io.opsgate.alerts.notify;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.opsgate.config.OpsGateConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes configured secrets from text that leaves the process's memory: a delivery's error (stored as
 * {@code lastError}, shown by {@code /api/v1/notifications}, logged by the dispatcher) quotes what a destination
 * answered, and destinations echo requests (a PagerDuty 400 can repeat the event with its {@code routing_key}).
 * Each secret is replaced as sent, JSON-escaped and URL-encoded, so an echo in any of these spellings is caught.
 *
 * <p>Secrets: PagerDuty routing keys, Slack bot tokens, HMAC secrets, SMTP passwords, SNS AssumeRole external ids (Teams
 * Workflows URLs are destination URLs: their {@code sig} is a query value), the bearer tokens and basic-auth passwords of the webhook and
 * http_sd endpoints, AWS static credentials; of each destination URL the whole URL, its user info, its query values, and the path of a Slack
 * webhook URL (everything after the host is the secret there) or, of other URLs, path segments long enough to be
 * tokens.
 */
public final class SecretRedactor {
    static final String MARK = "<redacted>";
    public static final SecretRedactor NONE = new SecretRedactor(List.of());
    /** Shorter query values and path segments of a URL are ids and words, not tokens. */
    private static final int MIN_URL_PART = 8;
    private static final int MIN_TOKEN_SEGMENT = 16;

    private final List<String> needles;

    private SecretRedactor(Collection<String> secrets) {
        Set<String> all = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s == null || s.isEmpty()) {
                continue;
            }
            all.add(s);
            all.add(jsonEscaped(s));
            all.add(jsonEscaped(s).replace("/", "\\/"));
            all.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
            all.add(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        List<String> sorted = new ArrayList<>(all);
        // longest first, so a URL goes before its path and a secret before a part of it
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.needles = List.copyOf(sorted);
    }

    /** The secrets of the whole configuration. */
    public static SecretRedactor of(OpsGateConfig config) {
        List<String> secrets = new ArrayList<>();
        for (OpsGateConfig.Receiver r : config.receivers()) {
            r.slack().forEach(c -> secrets.addAll(urlSecrets(c.apiUrl(), true)));
            r.slack().forEach(c -> secrets.add(c.botToken()));
            for (OpsGateConfig.WebhookConfig c : r.webhooks()) {
                secrets.addAll(urlSecrets(c.url(), false));
                secrets.add(c.hmacSecret());
            }
            for (OpsGateConfig.PagerDutyConfig c : r.pagerDuty()) {
                secrets.add(c.routingKey());
                secrets.addAll(urlSecrets(c.url(), false));
            }
            r.teams().forEach(c -> secrets.addAll(urlSecrets(c.webhookUrl(), false)));
            r.email().forEach(c -> secrets.add(c.password()));
            r.sns().forEach(c -> secrets.add(c.externalId()));
        }
        if (config.alerts() != null) {
            secrets.add(config.alerts().auth().bearerToken());
            secrets.add(config.alerts().auth().password());
        }
        if (config.discovery() != null && config.discovery().auth() != null) {
            secrets.add(config.discovery().auth().bearerToken());
            secrets.add(config.discovery().auth().password());
        }
        if (config.aws() != null && config.aws().credentials() != null) {
            secrets.add(config.aws().credentials().secretAccessKey());
            secrets.add(config.aws().credentials().sessionToken());
        }
        return of(secrets);
    }

    /** A redactor of exactly these secrets (nulls and empty strings are ignored). */
    public static SecretRedactor of(Collection<String> secrets) {
        return new SecretRedactor(secrets);
    }

    /** {@code text} with every secret replaced by {@code <redacted>}; null stays null. */
    public String redact(String text) {
        if (text == null || needles.isEmpty()) {
            return text;
        }
        String out = text;
        for (String needle : needles) {
            if (out.contains(needle)) {
                out = out.replace(needle, MARK);
            }
        }
        return out;
    }

    /** The outcome with its reason redacted. */
    DeliveryOutcome redact(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Failed f) {
            return new DeliveryOutcome.Failed(redact(f.reason()));
        }
        if (outcome instanceof DeliveryOutcome.RetryLater r) {
            return new DeliveryOutcome.RetryLater(redact(r.reason()), r.retryAfter());
        }
        return outcome;
    }

    /** The longest secret spelling: text cut to N characters needs N plus this much to be redacted whole. */
    int longest() {
        return needles.isEmpty() ? 0 : needles.get(0).length();
    }

    static List<String> urlSecrets(String url, boolean wholePath) {
        List<String> parts = new ArrayList<>();
        if (url == null) {
            return parts;
        }
        parts.add(url);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return parts; // not parseable: the whole URL is all we can name
        }
        parts.add(uri.getRawUserInfo());
        if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
            parts.add(uri.getUserInfo().substring(uri.getUserInfo().indexOf(':') + 1));
        }
        String path = uri.getRawPath();
        if (path != null && wholePath && path.length() > 1) {
            parts.add(path);
        }
        if (path != null) {
            for (String segment : path.split("/")) {
                if (segment.length() >= MIN_TOKEN_SEGMENT) {
                    parts.add(segment);
                }
            }
        }
        if (uri.getRawQuery() != null) {
            parts.add(uri.getRawQuery());
            for (String pair : uri.getRawQuery().split("&")) {
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.length() >= MIN_URL_PART) {
                    parts.add(value);
                }
            }
        }
        return parts;
    }

    /** As the secret appears inside a JSON string that Jackson (Vert.x's JSON codec) wrote. */
    private static String jsonEscaped(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
