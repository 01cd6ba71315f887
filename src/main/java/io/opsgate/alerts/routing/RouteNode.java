package io.opsgate.alerts.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One route of the routing tree, immutable, with the settings it inherits from its ancestors already filled in
 * (the configuration does that when it reads the tree; {@link RouteCompiler} parses its matchers), so matching
 * never looks upwards.
 *
 * @param id              its path in the tree: "0" is the root, "0.1" the root's second child
 * @param matchers        all must match; the root has none
 * @param continueMatching Alertmanager's {@code continue}: after this route matches, its later siblings are tried too
 * @param receivers       the receivers this route delivers to, one or more
 * @param groupBy         label names that split the route's alerts into groups; {@code ["..."]} groups by all labels
 * @param groupInterval   Alertmanager's group_interval: wait before notifying about new alerts of a notified group
 */
public record RouteNode(
        String id,
        List<LabelMatcher> matchers,
        boolean continueMatching,
        List<String> receivers,
        List<String> groupBy,
        Duration groupWait,
        Duration groupInterval,
        Duration repeatInterval,
        List<RouteNode> routes) {

    public RouteNode {
        matchers = List.copyOf(matchers);
        receivers = List.copyOf(receivers);
        groupBy = List.copyOf(groupBy);
        routes = List.copyOf(routes);
    }

    public boolean matches(Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    RouteMatch toMatch() {
        return new RouteMatch(id, receivers, groupBy, groupWait, repeatInterval, groupInterval);
    }
}
