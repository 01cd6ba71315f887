package io.opsgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code route} tree with Alertmanager's keys and rules: the root names a receiver and has no matchers
 * and no {@code continue}; children inherit receiver, group_by, group_wait, group_interval and repeat_interval; each
 * {@code matchers} entry is one or more matchers in Alertmanager's syntax (kept as text with its position:
 * {@code io.opsgate.alerts.routing} parses it). Every receiver a route names must be defined under {@code receivers}.
 */
final class RouteSection {
    static final List<String> KEYS = List.of("receiver", "receivers", "group_by", "group_wait", "group_interval",
            "repeat_interval", "matchers", "continue", "routes");
    /** Alertmanager's deprecated forms, accepted as keys only to explain what to write instead. */
    private static final List<String> DEPRECATED = List.of("match", "match_re");
    private static final String ALL_LABELS = "...";

    private RouteSection() {
    }

    /** @param top the top-level mapping, which may or may not have a {@code route} */
    static RouteConfig read(ConfigMap top, List<OpsGateConfig.Receiver> receivers) throws ConfigException {
        List<String> names = receivers.stream().map(OpsGateConfig.Receiver::name).toList();
        ConfigNode node = top.find("route");
        if (node == null) {
            RouteConfig fallback = Defaults.route();
            if (!names.contains(fallback.receivers().get(0))) {
                throw top.node().absentChild("route").error("missing; without a route every alert goes to the"
                        + " receiver \"" + Defaults.LOG_RECEIVER + "\", which receivers does not define");
            }
            return fallback;
        }
        return route(node, "0", null, names, true);
    }

    private static RouteConfig route(ConfigNode node, String id, RouteConfig parent, List<String> receiverNames,
                                   boolean root) throws ConfigException {
        List<String> allowed = new ArrayList<>(KEYS);
        allowed.addAll(DEPRECATED);
        ConfigMap m = node.map(allowed);
        for (String key : DEPRECATED) {
            ConfigNode deprecated = m.find(key);
            if (deprecated != null) {
                throw deprecated.error(key + " is Alertmanager's deprecated form and is not supported; write"
                        + " matchers: ['name=\"value\"'] (or 'name=~\"regex\"' for match_re)");
            }
        }
        RouteConfig defaults = parent != null ? parent : Defaults.route();

        List<String> receivers = receivers(m, receiverNames);
        if (receivers == null) {
            if (root) {
                throw m.node().error("the root route needs a receiver (every alert that no child route takes goes"
                        + " there)");
            }
            receivers = defaults.receivers();
        }

        Map<String, ConfigOrigin> origins = new LinkedHashMap<>();
        List<String> matchers = matchers(m.find("matchers"), origins);
        ConfigNode continueNode = m.find("continue");
        boolean continueMatching = continueNode != null && Flags.read(continueNode);
        if (root && !matchers.isEmpty()) {
            throw m.find("matchers").error("the root route must not have matchers: it takes every alert");
        }
        if (root && continueNode != null) {
            throw continueNode.error("the root route cannot have continue: it has no siblings");
        }

        ConfigNode groupByNode = m.find("group_by");
        List<String> groupBy = groupByNode == null ? defaults.groupBy() : groupBy(groupByNode);
        Duration groupWait = duration(m, "group_wait", defaults.groupWait(), true);
        Duration groupInterval = duration(m, "group_interval", defaults.groupInterval(), false);
        Duration repeatInterval = duration(m, "repeat_interval", defaults.repeatInterval(), false);

        Origins at = new Origins(node.origin(), origins);
        RouteConfig self = new RouteConfig(id, matchers, continueMatching, receivers, groupBy, groupWait, groupInterval,
                repeatInterval, List.of(), at);
        List<RouteConfig> children = new ArrayList<>();
        ConfigNode routesNode = m.find("routes");
        if (routesNode != null) {
            List<ConfigNode> items = routesNode.list("routes (mappings with keys " + String.join(", ", KEYS) + ")");
            for (int i = 0; i < items.size(); i++) {
                children.add(route(items.get(i), id + "." + i, self, receiverNames, false));
            }
        }
        return new RouteConfig(id, matchers, continueMatching, receivers, groupBy, groupWait, groupInterval,
                repeatInterval, children, at);
    }

    /** The receivers the route names itself, or null when it names none (it then inherits). */
    private static List<String> receivers(ConfigMap m, List<String> known) throws ConfigException {
        ConfigNode one = m.find("receiver");
        ConfigNode many = m.find("receivers");
        if (one != null && many != null) {
            throw many.error("set either receiver or receivers, not both");
        }
        if (one != null) {
            return List.of(known(one, known));
        }
        if (many == null) {
            return null;
        }
        List<ConfigNode> items = many.list("receiver names");
        if (items.isEmpty()) {
            throw many.error("must name at least one receiver; leave it out to inherit the parent's");
        }
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode item : items) {
            String name = known(item, known);
            if (!names.add(name)) {
                throw item.error("receiver " + ConfigNode.quote(name) + " is listed twice");
            }
        }
        return List.copyOf(names);
    }

    private static String known(ConfigNode node, List<String> known) throws ConfigException {
        String name = node.text();
        if (!known.contains(name)) {
            throw node.error("unknown receiver " + ConfigNode.quote(name)
                    + (known.isEmpty() ? "; define it under receivers" : Suggestions.hint(name, known)));
        }
        return name;
    }

    /** The matcher strings as written; {@code origins} gets where each is, as {@code matchers[i]}. */
    private static List<String> matchers(ConfigNode node, Map<String, ConfigOrigin> origins) throws ConfigException {
        if (node == null) {
            return List.of();
        }
        List<String> all = new ArrayList<>();
        for (ConfigNode item : node.list("matcher strings such as 'severity=~\"critical|page\"'")) {
            if (!item.isScalar()) {
                throw item.error("expected a matcher string such as 'severity=\"critical\"', got " + item.describe());
            }
            origins.put("matchers[" + all.size() + "]", item.origin());
            all.add(item.text());
        }
        return all;
    }

    private static List<String> groupBy(ConfigNode node) throws ConfigException {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode item : node.list("label names")) {
            String name = item.text();
            if (name.isEmpty()) {
                throw item.error("label names must not be empty");
            }
            if (!names.add(name)) {
                throw item.error("label " + ConfigNode.quote(name) + " is listed twice");
            }
        }
        if (names.contains(ALL_LABELS) && names.size() > 1) {
            throw node.error("\"...\" groups by every label, so it must be the only entry");
        }
        return List.copyOf(names);
    }

    private static Duration duration(ConfigMap m, String key, Duration inherited, boolean zeroAllowed)
            throws ConfigException {
        ConfigNode node = m.find(key);
        if (node == null) {
            return inherited;
        }
        Duration d = node.duration();
        if (d.isZero() && !zeroAllowed) {
            throw node.error("must be above 0");
        }
        return d;
    }
}
