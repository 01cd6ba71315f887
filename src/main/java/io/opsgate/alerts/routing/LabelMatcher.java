package io.opsgate.alerts.routing;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One Alertmanager matcher such as {@code severity=~"critical|page"}. As in Alertmanager, a label the alert does not
 * have counts as the empty string (so {@code team!="db"} matches an alert without {@code team}, and {@code team=""}
 * matches only such alerts), and a regex must match the whole value: it is anchored as {@code ^(?:re)$}.
 */
public final class LabelMatcher {
    private final String name;
    private final MatchType type;
    private final String value;
    private final Pattern pattern;

    private LabelMatcher(String name, MatchType type, String value, Pattern pattern) {
        this.name = name;
        this.type = type;
        this.value = value;
        this.pattern = pattern;
    }

    /**
     * @throws IllegalArgumentException for a regex Alertmanager (Go's RE2) would not accept or that Java reads
     *                                  differently; the message says why
     */
    public static LabelMatcher of(String name, MatchType type, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Pattern pattern = type.isRegex() ? Re2Regex.compileAnchored(value) : null;
        return new LabelMatcher(name, type, value, pattern);
    }

    public String name() {
        return name;
    }

    public MatchType type() {
        return type;
    }

    public String value() {
        return value;
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (type) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case REGEX -> pattern.matcher(actual).matches();
            case NOT_REGEX -> !pattern.matcher(actual).matches();
        };
    }

    /** Alertmanager's canonical form, {@code name="value"} with the value quoted; parses back to an equal matcher. */
    @Override
    public String toString() {
        return MatcherParser.quoteIfNeeded(name) + type.operator() + MatcherParser.quote(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && m.name.equals(name) && m.type == type && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, value);
    }
}
