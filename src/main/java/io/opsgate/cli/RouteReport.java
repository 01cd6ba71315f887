package io.opsgate.cli;

import io.opsgate.alerts.routing.AlertmanagerMatchers;
import io.opsgate.alerts.routing.LabelMatcher;
import io.opsgate.alerts.routing.MatchType;
import io.opsgate.alerts.routing.MatcherSyntaxException;
import io.opsgate.alerts.routing.RouteMatch;
import io.opsgate.alerts.routing.RoutingTree;
import io.opsgate.config.ConfigException;
import io.opsgate.config.Durations;
import io.opsgate.config.OpsGateConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code check-config --route}: where an alert with the given labels goes, one line per matching route. */
final class RouteReport {
    private RouteReport() {
    }

    /** @return the exit code: 0, or 1 for labels that do not parse */
    static int print(OpsGateConfig config, String labelsText, PrintWriter out, PrintWriter err) throws ConfigException {
        RoutingTree tree = RoutingTree.compile(config.route());
        Map<String, String> labels = new LinkedHashMap<>();
        try {
            for (LabelMatcher m : AlertmanagerMatchers.parse(labelsText)) {
                if (m.type() != MatchType.EQUAL) {
                    err.println("opsgate: --route: " + m + ": give label values with =, not " + m.type().operator());
                    return 1;
                }
                labels.put(m.name(), m.value());
            }
        } catch (MatcherSyntaxException e) {
            err.println("opsgate: --route: " + e.getMessage());
            return 1;
        }
        for (RouteMatch match : tree.route(labels)) {
            out.printf("route %s -> %s (group_by [%s], group_wait %s, repeat_interval %s)%n", match.routeId(),
                    String.join(", ", match.receivers()), String.join(", ", match.groupBy()),
                    Durations.format(match.groupWait()), Durations.format(match.repeatInterval()));
        }
        return 0;
    }
}
