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
 */
public record RouteMatch(
        String routeId,
        List<String> receivers,
        List<String> groupBy,
        Duration groupWait,
        Duration repeatInterval) {

    public RouteMatch {
        receivers = List.copyOf(receivers);
        groupBy = List.copyOf(groupBy);
    }
}
