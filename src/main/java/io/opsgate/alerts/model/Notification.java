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
 * @param attempt      delivery attempts already made (0 on the first; above 0 on a retry, and on a re-send after a
 *                     crash of a request that was in flight)
 * @param idempotencyKey the same on every attempt of this notification, and on no other notification: receivers
 *                     deduplicate re-sends by it. A notification that replaces (supersedes) another gets a new key.
 * @param notificationReason Alertmanager's {@code notification_reason} (0.32 and later) of the newest webhook that
 *                     changed the group, or {@code repeat interval elapsed} for a reminder; "" when unknown
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
        int attempt,
        String idempotencyKey,
        String notificationReason) {

    /** A notification without a known reason (Alertmanager before 0.32 does not send one). */
    public Notification(long id, String route, String receiver, String destination, String groupKey,
                        AlertStatus status, List<Alert> alerts, Map<String, String> groupLabels,
                        Map<String, String> commonLabels, Map<String, String> commonAnnotations, String externalUrl,
                        Instant createdAt, int attempt, String idempotencyKey) {
        this(id, route, receiver, destination, groupKey, status, alerts, groupLabels, commonLabels, commonAnnotations,
                externalUrl, createdAt, attempt, idempotencyKey, "");
    }

    /** A notification keyed by its outbox id alone ({@code opsgate-<id>}): for previews and fixtures. */
    public Notification(long id, String route, String receiver, String destination, String groupKey,
                        AlertStatus status, List<Alert> alerts, Map<String, String> groupLabels,
                        Map<String, String> commonLabels, Map<String, String> commonAnnotations, String externalUrl,
                        Instant createdAt, int attempt) {
        this(id, route, receiver, destination, groupKey, status, alerts, groupLabels, commonLabels, commonAnnotations,
                externalUrl, createdAt, attempt, "opsgate-" + id);
    }

    /** The same notification (same key) holding other alerts, e.g. only what a destination takes. */
    public Notification withAlerts(AlertStatus newStatus, List<Alert> newAlerts) {
        return new Notification(id, route, receiver, destination, groupKey, newStatus, newAlerts, groupLabels,
                commonLabels, commonAnnotations, externalUrl, createdAt, attempt, idempotencyKey, notificationReason);
    }

    /** The same notification at another attempt. */
    public Notification withAttempt(int newAttempt) {
        return new Notification(id, route, receiver, destination, groupKey, status, alerts, groupLabels,
                commonLabels, commonAnnotations, externalUrl, createdAt, newAttempt, idempotencyKey, notificationReason);
    }

    public Notification {
        java.util.Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        java.util.Objects.requireNonNull(notificationReason, "notificationReason");
        alerts = List.copyOf(alerts);
        groupLabels = Map.copyOf(groupLabels);
        commonLabels = Map.copyOf(commonLabels);
        commonAnnotations = Map.copyOf(commonAnnotations);
    }
}
