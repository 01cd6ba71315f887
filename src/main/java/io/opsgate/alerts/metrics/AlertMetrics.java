package io.opsgate.alerts.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The gateway's self metrics (README, "Alert gateway" metrics table), registered in the service's own registry. */
public final class AlertMetrics {
    private final Counter webhookRequests;
    private final Counter received;
    private final Counter deduplicated;
    private final Counter notifications;
    private final Histogram deliverySeconds;
    private final AtomicLong outboxPending = new AtomicLong();

    public AlertMetrics(PrometheusRegistry registry) {
        webhookRequests = Counter.builder().name("opsgate_webhook_requests_total")
                .help("Alertmanager webhook requests by HTTP status code answered.")
                .labelNames("code").register(registry);
        received = Counter.builder().name("opsgate_alerts_received_total")
                .help("Alerts received in accepted webhooks, counted once per route they matched.")
                .register(registry);
        deduplicated = Counter.builder().name("opsgate_alerts_deduplicated_total")
                .help("Received alerts that changed no incident: copies from other Alertmanager peers (whatever "
                        + "their startsAt), retries, group re-sends, lagging peers' stale copies.")
                .register(registry);
        notifications = Counter.builder().name("opsgate_notifications_total")
                .help("Notification delivery attempts by channel type and outcome (delivered, retry, failed).")
                .labelNames("channel", "outcome").register(registry);
        GaugeWithCallback.builder().name("opsgate_outbox_pending")
                .help("Notifications in the outbox not yet delivered or failed for good.")
                .callback(cb -> cb.call(outboxPending.get())).register(registry);
        deliverySeconds = Histogram.builder().name("opsgate_notification_delivery_seconds")
                .help("Time from accepting the first alert of a notification to its delivery (group_wait included).")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800)
                .register(registry);
    }

    public void webhookAnswered(int code) {
        webhookRequests.labelValues(Integer.toString(code)).inc();
    }

    public void accepted(int alerts, int duplicates) {
        received.inc(alerts);
        deduplicated.inc(duplicates);
    }

    public void attempt(String channelType, String outcome) {
        notifications.labelValues(channelType, outcome).inc();
    }

    public void delivered(String channelType, Duration sinceAccepted) {
        attempt(channelType, "delivered");
        deliverySeconds.observe(Math.max(0, sinceAccepted.toNanos()) / 1e9);
    }

    /** A notification entered (+1) or left (-1) the set of undelivered outbox rows. */
    public void outboxChanged(int delta) {
        outboxPending.addAndGet(delta);
    }

    public long outboxPending() {
        return outboxPending.get();
    }
}
