package io.opsgate.alerts.routing;

import io.opsgate.config.ConfigException;
import io.opsgate.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Alertmanager's routing algorithm over an immutable tree of {@link RouteNode}s; safe to share between threads. */
public final class RoutingTree implements AlertRouter {
    private final RouteNode root;

    public RoutingTree(RouteNode root) {
        this.root = root;
    }

    /** The tree of a configured route; a bad matcher fails with its place in the file. */
    public static RoutingTree compile(RouteConfig route) throws ConfigException {
        return new RoutingTree(RouteCompiler.compile(route));
    }

    public RouteNode root() {
        return root;
    }

    @Override
    public List<RouteMatch> route(Map<String, String> labels) {
        List<RouteMatch> matches = new ArrayList<>(2);
        collect(root, labels, matches);
        return List.copyOf(matches);
    }

    /** @return whether {@code node} matched (then it or some descendant was added) */
    private static boolean collect(RouteNode node, Map<String, String> labels, List<RouteMatch> into) {
        if (!node.matches(labels)) {
            return false;
        }
        int before = into.size();
        for (RouteNode child : node.routes()) {
            if (collect(child, labels, into) && !child.continueMatching()) {
                break;
            }
        }
        if (into.size() == before) {
            into.add(node.toMatch());
        }
        return true;
    }
}
