package io.opsgate.config;

import java.time.Duration;
import java.util.List;

/**
 * Reads the {@code server} section: the listen address and the limits that keep the HTTP server answering under
 * slow, idle or oversized clients ({@link OpsGateConfig.HttpLimits}).
 */
final class ServerSection {
    static final List<String> KEYS = List.of("listen", "idle_timeout", "request_header_timeout",
            "request_body_timeout", "max_connections", "max_inflight_body_bytes", "metrics_auth");
    private static final long MIN_BUDGET = 64 * 1024;
    private static final long MAX_BUDGET = 1L << 32;

    private ServerSection() {
    }

    static OpsGateConfig.Server read(ConfigMap m) throws ConfigException {
        OpsGateConfig.HttpLimits d = OpsGateConfig.HttpLimits.DEFAULT;
        OpsGateConfig.HttpLimits limits = new OpsGateConfig.HttpLimits(
                timeout(m.find("idle_timeout"), d.idleTimeout()),
                timeout(m.find("request_header_timeout"), d.requestHeaderTimeout()),
                timeout(m.find("request_body_timeout"), d.requestBodyTimeout()),
                m.find("max_connections") == null ? d.maxConnections() : m.find("max_connections").integer(8, 1_000_000),
                budget(m.find("max_inflight_body_bytes"), d.maxInflightBodyBytes()));
        AuthConfig metricsAuth = AuthSection.read(m, "metrics_auth", false);
        ConfigNode listen = m.find("listen");
        OpsGateConfig.Server address;
        try {
            address = listen == null ? OpsGateConfig.Server.DEFAULT : ListenAddress.parse(listen.text());
        } catch (IllegalArgumentException e) {
            throw listen.error(e.getMessage());
        }
        return new OpsGateConfig.Server(address.listenHost(), address.listenPort(), limits, metricsAuth);
    }

    /** A body larger than the whole budget could never be admitted: refuse the combination at load time. */
    static void checkAgainstBodySize(ConfigMap server, OpsGateConfig.Server read, OpsGateConfig.Alerts alerts,
                                     ConfigNode alertsSection) throws ConfigException {
        long budget = read.limits().maxInflightBodyBytes();
        if (!alerts.enabled() || alerts.maxBodyBytes() <= budget) {
            return;
        }
        ConfigNode blame = server.find("max_inflight_body_bytes");
        if (blame == null && alertsSection != null) {
            blame = alertsSection.map(AlertsSection.KEYS).find("max_body_size");
        }
        String message = "server.max_inflight_body_bytes (" + ByteSizes.format(budget)
                + ") must be at least alerts.max_body_size (" + ByteSizes.format(alerts.maxBodyBytes()) + ")";
        throw blame != null ? blame.error(message) : new ConfigException(message);
    }

    private static Duration timeout(ConfigNode node, Duration fallback) throws ConfigException {
        if (node == null) {
            return fallback;
        }
        Duration d = node.duration();
        if (d.compareTo(Duration.ofMillis(100)) < 0) {
            throw node.error("must be at least 100ms, got " + Durations.format(d));
        }
        return d;
    }

    private static long budget(ConfigNode node, long fallback) throws ConfigException {
        if (node == null) {
            return fallback;
        }
        long bytes;
        try {
            bytes = ByteSizes.parse(node.text());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
        if (bytes < MIN_BUDGET || bytes > MAX_BUDGET) {
            throw node.error("must be from 64KiB to 4GiB, got " + ByteSizes.format(bytes));
        }
        return bytes;
    }
}
