package io.opsgate.alerts.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What one committed webhook changed.
 *
 * @param changed       alerts that were a new state (a new firing, a resolve, a re-fire) and await notification
 * @param deduplicated  alerts whose (route, fingerprint, status, startsAt) was already known, or older than the
 *                      known state (a lagging peer's copy)
 * @param earliestFlush the soonest a group touched by this webhook can be due (group_interval may push it later)
 */
public record IngestResult(int changed, int deduplicated, Optional<Instant> earliestFlush) {
}
