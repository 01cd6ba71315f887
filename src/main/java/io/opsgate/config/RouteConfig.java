package io.opsgate.config;

import java.time.Duration;
import java.util.List;

/**
 * One route of the {@code route} tree as configured, with what it inherits from its ancestors already filled in.
 * Matchers are kept as written (one or more Alertmanager matchers per entry); {@code io.opsgate.alerts.routing}
 * parses them, and reports a bad one at {@code at().of("matchers[i]")}.
 *
 * @param id       its path in the tree: "0" is the root, "0.1" the root's second child
 * @param matchers the {@code matchers} entries, each a string in Alertmanager's matcher syntax; the root has none
 */
public record RouteConfig(
        String id,
        List<String> matchers,
        boolean continueMatching,
        List<String> receivers,
        List<String> groupBy,
        Duration groupWait,
        Duration groupInterval,
        Duration repeatInterval,
        List<RouteConfig> routes,
        Origins at) {

    public RouteConfig {
        matchers = List.copyOf(matchers);
        receivers = List.copyOf(receivers);
        groupBy = List.copyOf(groupBy);
        routes = List.copyOf(routes);
    }
}
