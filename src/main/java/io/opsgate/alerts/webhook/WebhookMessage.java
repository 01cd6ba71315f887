package io.opsgate.alerts.webhook;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import java.util.List;
import java.util.Map;

/**
 * A validated Alertmanager webhook (payload version 4): the fields the gateway uses.
 *
 * @param notificationReason why Alertmanager (0.32 and later) sent it, as it says in {@code notification_reason}
 *                           ("first notification", "new alerts added", "some alerts resolved", "all alerts resolved",
 *                           "repeat interval elapsed", or a value of a later version); "" when absent
 */
public record WebhookMessage(
        String receiver,
        AlertStatus status,
        String groupKey,
        String externalUrl,
        Map<String, String> groupLabels,
        List<Alert> alerts,
        String notificationReason) {

    public WebhookMessage(String receiver, AlertStatus status, String groupKey, String externalUrl,
                          Map<String, String> groupLabels, List<Alert> alerts) {
        this(receiver, status, groupKey, externalUrl, groupLabels, alerts, "");
    }

    public WebhookMessage {
        java.util.Objects.requireNonNull(notificationReason, "notificationReason");
        groupLabels = Map.copyOf(groupLabels);
        alerts = List.copyOf(alerts);
    }
}
