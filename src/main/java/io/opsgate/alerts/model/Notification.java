package io.opsgate.alerts.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One message to one destination, as stored in the outbox before any delivery attempt. The alerts of one
 * route that arrived within its group_wait are one notification.
 *
 * @param id           the outbox id, unique per store
 * @param route        the matched route's id (its path in the routing tree, e.g. {@code "0.2"})
 * @param receiver     the receiver name from the configuration
 * @param destination  which channel of the receiver (the channel id)
 * @param groupKey     Alertmanager's groupKey of the first alert's webhook; empty when unknown
 * @param status       FIRING if any alert in it fires, else RESOLVED
 * @param externalUrl  Alertmanager's external URL, for links; may be empty
 * @param attempt      delivery attempts already made (0 on the first)
 */
public record Notification(
        long id,
        String route,
        String receiver,
        String destination,
        String groupKey,
        AlertStatus status,
        List<Alert> alerts,
        Map<String, String> groupLabels,
        Map<String, String> commonLabels,
        Map<String, String> commonAnnotations,
        String externalUrl,
        Instant createdAt,
        int attempt) {

    public Notification {
        alerts = List.copyOf(alerts);
        groupLabels = Map.copyOf(groupLabels);
        commonLabels = Map.copyOf(commonLabels);
        commonAnnotations = Map.copyOf(commonAnnotations);
    }
}
