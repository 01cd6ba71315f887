package io.opsgate.alerts.store;

import io.opsgate.alerts.model.AlertStatus;
import java.time.Instant;
import java.util.List;

/** An outbox row as the API shows it. {@code finishedAt} and {@code lastError} may be null. */
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
        Instant finishedAt) {
    public OutboxRecord {
        fingerprints = List.copyOf(fingerprints);
    }
}
