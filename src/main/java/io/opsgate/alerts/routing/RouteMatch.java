package io.opsgate.alerts.routing;

import java.time.Duration;
import java.util.List;

/**
 * A route an alert matched, with the settings it inherited down the tree.
 *
 * @param routeId        stable id of the route: its path in the tree ("0" is the root, "0.2.1" its descendants)
 * @param receivers      the receiver names this route delivers to (one or more)
 * @param groupBy        label names that split this route's alerts into groups; {@code ["..."]} groups by every label
 * @param groupWait      how long to gather alerts of one new group before the first notification
 * @param repeatInterval how long before a still-firing, already-notified alert is notified again
 * @param groupInterval  how long after a group's last notification its next changes are notified (Alertmanager's
 *                       group_interval); group_wait still applies when it is longer
 */
public record RouteMatch(
        String routeId,
        List<String> receivers,
        List<String> groupBy,
        Duration groupWait,
        Duration repeatInterval,
        Duration groupInterval) {

    public RouteMatch {
        receivers = List.copyOf(receivers);
        groupBy = List.copyOf(groupBy);
    }

    /** A route whose later changes wait only group_wait, like its first (no group_interval). */
    public RouteMatch(String routeId, List<String> receivers, List<String> groupBy, Duration groupWait,
                      Duration repeatInterval) {
        this(routeId, receivers, groupBy, groupWait, repeatInterval, groupWait);
    }
}
