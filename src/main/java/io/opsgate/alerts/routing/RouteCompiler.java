package io.opsgate.alerts.routing;

import io.opsgate.config.ConfigException;
import io.opsgate.config.ConfigOrigin;
import io.opsgate.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the configured route tree into {@link RouteNode}s, parsing every {@code matchers} entry as Alertmanager
 * does ({@link AlertmanagerMatchers}); a bad one is reported at its place in the file ({@code file:line:col: key: ...}).
 */
public final class RouteCompiler {
    private RouteCompiler() {
    }

    public static RouteNode compile(RouteConfig route) throws ConfigException {
        List<LabelMatcher> matchers = new ArrayList<>();
        for (int i = 0; i < route.matchers().size(); i++) {
            String text = route.matchers().get(i);
            ConfigOrigin at = route.at().of("matchers[" + i + "]");
            List<LabelMatcher> parsed;
            try {
                parsed = AlertmanagerMatchers.parse(text);
            } catch (MatcherSyntaxException e) {
                throw at.error("invalid matcher " + MatcherParser.quote(text) + ": " + e.getMessage());
            }
            // An entry without any matcher ('{}' or '') adds none, as in Alertmanager.
            matchers.addAll(parsed);
        }
        List<RouteNode> children = new ArrayList<>();
        for (RouteConfig child : route.routes()) {
            children.add(compile(child));
        }
        return new RouteNode(route.id(), matchers, route.continueMatching(), route.receivers(), route.groupBy(),
                route.groupWait(), route.groupInterval(), route.repeatInterval(), children);
    }
}
