package io.opsgate.discovery;

import io.opsgate.config.DiscoveryKind;
import io.opsgate.collect.TargetKey;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;

/** Discovery's own health: inventory freshness and failures per kind, what is served, and how requests fare. */
public final class DiscoveryMetrics {
    private final Gauge up;
    private final Gauge lastSuccess;
    private final Gauge targets;
    private final Counter requests;

    public DiscoveryMetrics(PrometheusRegistry registry) {
        up = Gauge.builder().name("opsgate_discovery_up")
                .help("1 if the last inventory refresh of this kind, account and region succeeded; 0 if it failed and the previous list is served.")
                .labelNames("kind", "account_id", "region").register(registry);
        lastSuccess = Gauge.builder().name("opsgate_discovery_last_success_timestamp_seconds")
                .help("When the inventory of this kind, account and region was last refreshed successfully.")
                .labelNames("kind", "account_id", "region").register(registry);
        targets = Gauge.builder().name("opsgate_discovery_resources")
                .help("Resources of this kind in the served inventory, before any query filter.")
                .labelNames("kind").register(registry);
        requests = Counter.builder().name("opsgate_sd_requests_total")
                .help("http_sd requests by kind and HTTP status code.")
                .labelNames("kind", "code").register(registry);
    }

    void refreshed(DiscoveryKind kind, TargetKey target, Instant at) {
        up.labelValues(kind.key(), target.accountId(), target.region()).set(1);
        lastSuccess.labelValues(kind.key(), target.accountId(), target.region()).set(at.toEpochMilli() / 1000.0);
    }

    void failed(DiscoveryKind kind, TargetKey target) {
        up.labelValues(kind.key(), target.accountId(), target.region()).set(0);
    }

    public void served(Inventory inventory) {
        for (DiscoveryKind kind : DiscoveryKind.values()) {
            targets.labelValues(kind.key()).set(inventory.items(kind).size());
        }
    }

    public void request(String kind, int status) {
        requests.labelValues(kind, String.valueOf(status)).inc();
    }
}
