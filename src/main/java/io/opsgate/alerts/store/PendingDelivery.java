package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Notification;
import java.time.Instant;

/**
 * An outbox row still to be delivered.
 *
 * @param acceptedAt  when the earliest alert in it was accepted from Alertmanager (start of the delivery latency)
 * @param dueAt       not before this instant (backoff, Retry-After)
 */
public record PendingDelivery(Notification notification, String channelType, Instant acceptedAt, Instant dueAt) {
    public PendingDelivery withRetry(Instant nextDue) {
        Notification n = notification;
        Notification next = new Notification(n.id(), n.route(), n.receiver(), n.destination(), n.groupKey(), n.status(),
                n.alerts(), n.groupLabels(), n.commonLabels(), n.commonAnnotations(), n.externalUrl(), n.createdAt(),
                n.attempt() + 1);
        return new PendingDelivery(next, channelType, acceptedAt, nextDue);
    }
}
