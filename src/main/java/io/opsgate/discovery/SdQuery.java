package io.opsgate.discovery;

import io.opsgate.config.DiscoveryKind;
import io.opsgate.config.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What one http_sd request (or configured job) selects and how targets are addressed. Built from query parameters,
 * the same names in URLs and in config jobs:
 * <ul>
 * <li>{@code port=9100} (repeat or comma-separate for several targets per resource);
 *     {@code port_tag=prometheus_port} takes the ports from that tag's comma-separated value, falling back to
 *     {@code port} when the tag is absent (resources with neither are left out)</li>
 * <li>{@code tag.<Key>=value} exact, {@code tag_regex.<Key>=regex} RE2 syntax, fully anchored; an absent tag counts as
 *     the empty string, as in Prometheus relabelling</li>
 * <li>{@code state}, {@code account}, {@code region} and the kind's own attributes ({@code instance_type};
 *     {@code engine}, {@code instance_class}; {@code target_group}, {@code load_balancer})</li>
 * </ul>
 * Values of one parameter are alternatives (OR); different parameters must all hold (AND). EC2 selects
 * {@code state=running} unless a state is given; {@code state=any} selects every state.
 */
public final class SdQuery {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}");
    private static final Set<String> EC2_STATES =
            Set.of("pending", "running", "shutting-down", "terminated", "stopping", "stopped");
    private static final Set<String> TARGET_STATES =
            Set.of("initial", "healthy", "unhealthy", "unhealthy.draining", "unused", "draining", "unavailable");
    private static final String ANY = "any";

    /** A query parameter that cannot be used; {@link #parameter()} names it. */
    public static final class Invalid extends IllegalArgumentException {
        private final String parameter;

        Invalid(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    private final DiscoveryKind kind;
    private final List<Integer> ports;
    private final String portTag;
    private final List<Predicate<Discovered>> filters;
    private final boolean stateGiven;

    private SdQuery(DiscoveryKind kind, List<Integer> ports, String portTag, List<Predicate<Discovered>> filters,
                    boolean stateGiven) {
        this.kind = kind;
        this.ports = List.copyOf(ports);
        this.portTag = portTag;
        this.filters = List.copyOf(filters);
        this.stateGiven = stateGiven;
    }

    public DiscoveryKind kind() {
        return kind;
    }

    /** The parameter names a kind accepts; {@code tag.*} and {@code tag_regex.*} are prefixes. */
    public static List<String> parameterNames(DiscoveryKind kind) {
        List<String> names = new ArrayList<>(List.of("port", "port_tag", "state", "account", "region"));
        names.addAll(KindRules.attributeFilters(kind));
        if (KindRules.tagged(kind)) {
            names.addAll(List.of("tag.<Key>", "tag_regex.<Key>"));
        }
        return names;
    }

    /** @throws Invalid naming the first parameter that is unknown or malformed */
    public static SdQuery parse(DiscoveryKind kind, Map<String, List<String>> params) {
        List<Integer> ports = new ArrayList<>();
        String portTag = null;
        List<Predicate<Discovered>> filters = new ArrayList<>();
        boolean stateGiven = false;
        for (Map.Entry<String, List<String>> e : new TreeMap<>(params).entrySet()) {
            String name = e.getKey();
            List<String> values = e.getValue();
            if (KindRules.tagged(kind) && name.startsWith("tag.") && name.length() > 4) {
                String key = name.substring(4);
                Set<String> wanted = Set.copyOf(values);
                filters.add(d -> wanted.contains(d.tags().getOrDefault(key, "")));
            } else if (KindRules.tagged(kind) && name.startsWith("tag_regex.") && name.length() > 10) {
                String key = name.substring(10);
                List<com.google.re2j.Pattern> patterns = new ArrayList<>();
                for (String value : values) {
                    patterns.add(regex(name, value));
                }
                filters.add(d -> {
                    String v = d.tags().getOrDefault(key, "");
                    return patterns.stream().anyMatch(p -> p.matcher(v).find());
                });
            } else {
                switch (name) {
                    case "port" -> {
                        for (String value : split(name, values)) {
                            ports.add(port(name, value));
                        }
                    }
                    case "port_tag" -> {
                        if (!KindRules.tagged(kind)) {
                            throw unknown(kind, name);
                        }
                        if (values.size() != 1 || values.get(0).isEmpty()) {
                            throw new Invalid(name, "port_tag takes exactly one tag key, got " + values);
                        }
                        portTag = values.get(0);
                    }
                    case "state" -> {
                        Set<String> states = new LinkedHashSet<>(split(name, values));
                        checkStates(kind, states);
                        stateGiven = true;
                        if (!states.contains(ANY)) {
                            filters.add(attribute("state", states));
                        }
                    }
                    case "account" -> {
                        Set<String> accounts = checked(name, split(name, values), ACCOUNT, "a 12-digit account id");
                        filters.add(d -> accounts.contains(d.accountId()));
                    }
                    case "region" -> {
                        Set<String> regions = checked(name, split(name, values), REGION, "an AWS region like us-east-1");
                        filters.add(d -> regions.contains(d.region()));
                    }
                    default -> {
                        if (!KindRules.attributeFilters(kind).contains(name)) {
                            throw unknown(kind, name);
                        }
                        filters.add(attribute(name, new LinkedHashSet<>(split(name, values))));
                    }
                }
            }
        }
        return new SdQuery(kind, ports, portTag, filters, stateGiven);
    }

    /**
     * This query narrowed by another of the same kind (a job refined by URL parameters): filters of both must hold;
     * ports and port_tag given in {@code more} replace these.
     */
    public SdQuery and(SdQuery more) {
        List<Predicate<Discovered>> both = new ArrayList<>(filters);
        both.addAll(more.filters);
        boolean morePorts = !more.ports.isEmpty() || more.portTag != null;
        return new SdQuery(kind, morePorts ? more.ports : ports, morePorts ? more.portTag : portTag, both,
                stateGiven || more.stateGiven);
    }

    boolean matches(Discovered d) {
        if (kind == DiscoveryKind.EC2 && !stateGiven && !"running".equals(d.attributes().get("state"))) {
            return false;
        }
        for (Predicate<Discovered> f : filters) {
            if (!f.test(d)) {
                return false;
            }
        }
        return true;
    }

    /** The ports to address this resource on; empty when it has none (no usable port tag, no fallback). */
    List<Integer> ports(Discovered d) {
        if (portTag != null) {
            String value = d.tags().get(portTag);
            if (value != null) {
                return portsOfTag(value);
            }
        }
        if (!ports.isEmpty()) {
            return ports;
        }
        if (portTag != null) {
            return List.of();
        }
        int port = KindRules.defaultPort(kind) != 0 ? KindRules.defaultPort(kind) : d.port();
        return port > 0 ? List.of(port) : List.of();
    }

    /** Ports from a tag value like "9100" or "9100,9256"; a value that is not a list of ports yields none. */
    static List<Integer> portsOfTag(String value) {
        List<Integer> out = new ArrayList<>(2);
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
                return List.of();
            }
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                return List.of();
            }
            if (!out.contains(port)) {
                out.add(port);
            }
        }
        return out;
    }

    private static Predicate<Discovered> attribute(String name, Set<String> values) {
        return d -> values.contains(d.attributes().getOrDefault(name, ""));
    }

    private static List<String> split(String name, List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                String v = part.trim();
                if (v.isEmpty()) {
                    throw new Invalid(name, name + " has an empty value");
                }
                out.add(v);
            }
        }
        return out;
    }

    private static int port(String name, String value) {
        if (value.length() <= 5 && value.chars().allMatch(Character::isDigit)) {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw new Invalid(name, name + " must be a port number from 1 to 65535, got " + quote(value));
    }

    /** RE2 (RE2/J), anchored as {@code ^(?:re)$} like Alertmanager's and Prometheus's regexes. */
    private static com.google.re2j.Pattern regex(String name, String value) {
        try {
            return com.google.re2j.Pattern.compile("^(?:" + value + ")$");
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new Invalid(name, name + " is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    private static Set<String> checked(String name, List<String> values, Pattern shape, String expected) {
        for (String v : values) {
            if (!shape.matcher(v).matches()) {
                throw new Invalid(name, name + " must be " + expected + ", got " + quote(v));
            }
        }
        return Set.copyOf(values);
    }

    private static void checkStates(DiscoveryKind kind, Set<String> states) {
        Set<String> known = kind == DiscoveryKind.EC2 ? EC2_STATES : kind == DiscoveryKind.ELBV2_TARGETS ? TARGET_STATES : null;
        if (known == null) {
            return; // RDS has dozens of statuses and adds new ones: any value is accepted
        }
        for (String s : states) {
            if (!s.equals(ANY) && !known.contains(s)) {
                List<String> allowed = new ArrayList<>(new java.util.TreeSet<>(known));
                allowed.add(ANY);
                throw new Invalid("state", "state " + quote(s) + " is not a " + kind.key() + " state"
                        + Suggestions.hint(s, allowed));
            }
        }
    }

    private static Invalid unknown(DiscoveryKind kind, String name) {
        List<String> known = parameterNames(kind);
        return new Invalid(name, "unknown query parameter " + quote(name) + " for /sd/" + kind.key()
                + Suggestions.hint(name, known));
    }

    private static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
