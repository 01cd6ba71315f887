package io.opsgate.alerts.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What one committed webhook changed.
 *
 * @param changed       alerts that opened or closed an incident ({@link Incident}) and await notification
 * @param deduplicated  copies that changed nothing: of the open incident (other peers, whatever their startsAt,
 *                      retries, group re-sends) or of a closed one (a lagging peer's stale copy)
 * @param earliestFlush the soonest a group touched by this webhook can be due (group_interval may push it later)
 */
public record IngestResult(int changed, int deduplicated, Optional<Instant> earliestFlush) {
}
