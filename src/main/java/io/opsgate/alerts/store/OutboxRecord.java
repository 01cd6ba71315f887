package io.opsgate.alerts.store;

import io.opsgate.alerts.model.AlertStatus;
import java.time.Instant;
import java.util.List;

/**
 * An outbox row as the API shows it. {@code finishedAt} and {@code lastError} may be null; {@code notificationReason}
 * is "" when unknown.
 */
public record OutboxRecord(
        long id,
        String route,
        String receiver,
        String destination,
        String channelType,
        AlertStatus alertStatus,
        List<String> fingerprints,
        DeliveryState state,
        int attempts,
        String lastError,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant finishedAt,
        String notificationReason) {
    public OutboxRecord(long id, String route, String receiver, String destination, String channelType,
                        AlertStatus alertStatus, List<String> fingerprints, DeliveryState state, int attempts,
                        String lastError, Instant createdAt, Instant nextAttemptAt, Instant finishedAt) {
        this(id, route, receiver, destination, channelType, alertStatus, fingerprints, state, attempts, lastError,
                createdAt, nextAttemptAt, finishedAt, "");
    }

    public OutboxRecord {
        fingerprints = List.copyOf(fingerprints);
    }
}
