package io.opsgate.alerts.notify;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.alerts.model.Notification;
import java.util.List;
import java.util.Optional;

/** What of a notification a destination takes, given its send_resolved. */
final class Sendable {
    /** The outcome of a notification that had nothing for the destination: no request was made. */
    static final DeliveryOutcome NOTHING_TO_SEND = new DeliveryOutcome.Delivered(0);

    private Sendable() {
    }

    /** The notification with its resolved alerts dropped unless {@code sendResolved}; empty when nothing is left. */
    static Optional<Notification> filter(Notification n, boolean sendResolved) {
        if (n.alerts().isEmpty()) {
            return Optional.empty();
        }
        if (sendResolved) {
            return Optional.of(n);
        }
        List<Alert> firing = n.alerts().stream().filter(a -> a.status() == AlertStatus.FIRING).toList();
        if (firing.isEmpty()) {
            return Optional.empty();
        }
        if (firing.size() == n.alerts().size()) {
            return Optional.of(n);
        }
        return Optional.of(n.withAlerts(AlertStatus.FIRING, firing));
    }
}
