package io.opsgate.alerts.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Notifications written to the outbox by one flush, the pending ones they superseded (never to be sent), and when
 * the next group flush or reminder falls due.
 */
public record FlushResult(List<PendingDelivery> created, List<Long> superseded, Optional<Instant> nextDue) {
    public FlushResult {
        created = List.copyOf(created);
        superseded = List.copyOf(superseded);
    }
}
