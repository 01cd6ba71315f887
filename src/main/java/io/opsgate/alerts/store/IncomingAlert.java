package io.opsgate.alerts.store;

import io.opsgate.alerts.model.Alert;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One alert as one route takes it: (route, fingerprint) is the unit of the incident model ({@link Incident}),
 * {@code groupId} the unit of grouping.
 *
 * @param groupId     the route's group this alert falls into: route id plus the values of its group_by labels
 * @param groupInterval a group already notified is notified of new changes no sooner than this after it
 * @param groupKey    Alertmanager's groupKey of the webhook that carried it, for PagerDuty dedup keys and links
 * @param externalUrl Alertmanager's external URL from that webhook
 * @param notificationReason that webhook's {@code notification_reason}; "" when it had none
 */
public record IncomingAlert(
        String routeId,
        List<String> receivers,
        String groupId,
        Map<String, String> groupLabels,
        Duration groupWait,
        Duration repeatInterval,
        Duration groupInterval,
        String groupKey,
        String externalUrl,
        Alert alert,
        String notificationReason) {

    public IncomingAlert(String routeId, List<String> receivers, String groupId, Map<String, String> groupLabels,
                         Duration groupWait, Duration repeatInterval, Duration groupInterval, String groupKey,
                         String externalUrl, Alert alert) {
        this(routeId, receivers, groupId, groupLabels, groupWait, repeatInterval, groupInterval, groupKey,
                externalUrl, alert, "");
    }

    public IncomingAlert {
        java.util.Objects.requireNonNull(notificationReason, "notificationReason");
        receivers = List.copyOf(receivers);
        groupLabels = Map.copyOf(groupLabels);
    }
}
