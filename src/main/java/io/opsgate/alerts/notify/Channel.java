package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Notification;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * One destination of a receiver: a Slack webhook, a generic webhook, a PagerDuty routing key, the log.
 * Implementations are non-blocking (Vert.x WebClient) and never throw: every failure is an outcome.
 * The dispatcher, not the channel, retries, backs off and enforces {@link #rateLimit()}.
 */
public interface Channel {
    /** Unique among all channels, stable across restarts: {@code <receiver>/<type>[<index>]}, e.g. {@code team/slack[0]}. */
    String id();

    /** {@code slack}, {@code webhook}, {@code pagerduty}, {@code log}: the {@code channel} label of the metrics. */
    String type();

    /** Messages per second this destination accepts (Slack: 1 per webhook); empty for no limit. */
    Optional<Double> rateLimit();

    /**
     * Whether resolved alerts go to this destination (Alertmanager's {@code send_resolved}). When false,
     * {@link #deliver} sends only the firing alerts of a notification; when none fire, it sends nothing and
     * reports {@code Delivered(0)}. The core may skip such notifications before storing them.
     */
    default boolean sendResolved() {
        return true;
    }

    Future<DeliveryOutcome> deliver(Notification notification);

    /**
     * Delivers with the lane's {@link MessageMemory}: a channel that keeps one message per alert group (Slack bot
     * mode) reads and records it there; every other channel ignores it.
     */
    default Future<DeliveryOutcome> deliver(Notification notification, MessageMemory memory) {
        return deliver(notification);
    }
}
