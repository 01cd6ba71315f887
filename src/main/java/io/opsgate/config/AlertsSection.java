package io.opsgate.config;

import static io.opsgate.config.Durations.format;

import java.time.Duration;
import java.util.List;

/** Reads the {@code alerts} section: the Alertmanager webhook gateway's endpoint, store and delivery settings. */
final class AlertsSection {
    static final List<String> KEYS = List.of("enabled", "auth", "max_body_size", "store", "delivery");
    static final List<String> STORE_KEYS = StoreSection.KEYS;
    static final List<String> DELIVERY_KEYS = List.of("initial_backoff", "max_backoff", "max_age", "concurrency");
    private static final long MIN_BODY = 1024;
    private static final long MAX_BODY = 1L << 30;

    private AlertsSection() {
    }

    /** @param section the {@code alerts} node, or null when absent (the gateway is then off) */
    static OpsGateConfig.Alerts read(ConfigNode section) throws ConfigException {
        if (section == null) {
            return Defaults.alerts();
        }
        ConfigMap m = section.map(KEYS);
        boolean enabled = bool(m.find("enabled"), true);

        AuthConfig auth = AuthSection.read(m, false);

        ConfigNode bodyNode = m.find("max_body_size");
        long maxBody = Defaults.ALERTS_MAX_BODY;
        if (bodyNode != null) {
            try {
                maxBody = ByteSizes.parse(bodyNode.text());
            } catch (IllegalArgumentException e) {
                throw bodyNode.error(e.getMessage());
            }
            if (maxBody < MIN_BODY || maxBody > MAX_BODY) {
                throw bodyNode.error("must be from 1KiB to 1GiB, got " + ByteSizes.format(maxBody));
            }
        }

        OpsGateConfig.Store store = StoreSection.read(m.section("store", STORE_KEYS));

        ConfigMap delivery = m.section("delivery", DELIVERY_KEYS);
        Duration initial = positive(delivery.find("initial_backoff"), Defaults.ALERTS_INITIAL_BACKOFF);
        ConfigNode maxBackoffNode = delivery.find("max_backoff");
        Duration maxBackoff = positive(maxBackoffNode, Defaults.ALERTS_MAX_BACKOFF);
        if (maxBackoff.compareTo(initial) < 0) {
            ConfigNode blame = maxBackoffNode != null ? maxBackoffNode : delivery.find("initial_backoff");
            throw blame.error("alerts.delivery.max_backoff (" + format(maxBackoff)
                    + ") must not be shorter than initial_backoff (" + format(initial) + ")");
        }
        Duration maxAge = positive(delivery.find("max_age"), Defaults.ALERTS_MAX_AGE);
        ConfigNode concurrencyNode = delivery.find("concurrency");
        int concurrency = concurrencyNode == null ? Defaults.ALERTS_CONCURRENCY : concurrencyNode.integer(1, 4096);
        return new OpsGateConfig.Alerts(enabled, auth, maxBody, store,
                initial, maxBackoff, maxAge, concurrency);
    }

    private static Duration positive(ConfigNode node, Duration fallback) throws ConfigException {
        if (node == null) {
            return fallback;
        }
        Duration d = node.duration();
        if (d.isZero()) {
            throw node.error("must be longer than 0s");
        }
        return d;
    }

    private static boolean bool(ConfigNode node, boolean fallback) throws ConfigException {
        if (node == null) {
            return fallback;
        }
        String text = node.text();
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw node.error("expected true or false, got " + ConfigNode.quote(text));
        };
    }
}
