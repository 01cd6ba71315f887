package io.opsgate.alerts.webhook;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import java.util.List;
import java.util.Map;

/** A validated Alertmanager webhook (payload version 4): the fields the gateway uses. */
public record WebhookMessage(
        String receiver,
        AlertStatus status,
        String groupKey,
        String externalUrl,
        Map<String, String> groupLabels,
        List<Alert> alerts) {

    public WebhookMessage {
        groupLabels = Map.copyOf(groupLabels);
        alerts = List.copyOf(alerts);
    }
}
