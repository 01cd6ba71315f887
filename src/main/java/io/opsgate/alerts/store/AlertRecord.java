package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Alert;
import java.time.Instant;

/**
 * The current state of one alert on one route.
 *
 * @param pending    a state change that is not yet in a notification (waiting for its group_wait)
 * @param notifiedAt when it was last put into a notification, or null
 */
public record AlertRecord(String routeId, String groupId, Alert alert, boolean pending, Instant receivedAt,
                          Instant notifiedAt) {
}
