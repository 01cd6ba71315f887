package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Notification;
import java.time.Instant;

/**
 * An outbox row still to be delivered.
 *
 * @param groupId     the alert group it tells of: with the destination, its lane (one request in flight at a time)
 * @param acceptedAt  when the earliest alert in it was accepted from Alertmanager (start of the delivery latency)
 * @param dueAt       not before this instant (backoff, Retry-After)
 */
public record PendingDelivery(Notification notification, String channelType, String groupId, Instant acceptedAt,
                              Instant dueAt) {

    /** The (destination, group) this row belongs to. */
    public String lane() {
        return notification.destination() + '\u0000' + groupId;
    }

    public PendingDelivery withRetry(Instant nextDue) {
        return new PendingDelivery(notification.withAttempt(notification.attempt() + 1), channelType, groupId,
                acceptedAt, nextDue);
    }

    public PendingDelivery withDueAt(Instant at) {
        return new PendingDelivery(notification, channelType, groupId, acceptedAt, at);
    }
}
