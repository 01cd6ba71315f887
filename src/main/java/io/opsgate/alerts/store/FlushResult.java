package io.opsgate.alerts.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Notifications written to the outbox by one flush, and when the next group flush or reminder falls due.
 */
public record FlushResult(List<PendingDelivery> created, Optional<Instant> nextDue) {
    public FlushResult {
        created = List.copyOf(created);
    }
}
