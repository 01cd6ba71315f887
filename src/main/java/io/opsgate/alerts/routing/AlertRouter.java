package io.opsgate.alerts.routing;

import java.util.List;
import java.util.Map;

/**
 * Alertmanager's routing semantics over an alert's label set: depth-first, the first matching child wins unless it
 * has {@code continue: true}; a route whose children do not match handles the alert itself.
 */
public interface AlertRouter {
    /** Every route that takes the alert, in tree order; never empty when the root matches (the root matches all). */
    List<RouteMatch> route(Map<String, String> labels);
}
