package io.opsgate.alerts.store;

import java.util.List;

/**
 * What a start finds in the outbox.
 *
 * @param pending   every row to deliver, oldest first
 * @param resent    rows that were in flight when the previous run stopped and go out again (same key, attempt > 0)
 * @param dropped   rows that were in flight but a newer state of their group waits: folded into it, not re-sent
 */
public record Recovery(List<PendingDelivery> pending, int resent, int dropped) {
    public Recovery {
        pending = List.copyOf(pending);
    }
}
