package io.opsgate.alerts.routing;

import java.util.Map;
import java.util.Objects;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * One Alertmanager matcher such as {@code severity=~"critical|page"}. As in Alertmanager, a label the alert does not
 * have counts as the empty string (so {@code team!="db"} matches an alert without {@code team}, and {@code team=""}
 * matches only such alerts), and a regex is RE2 (RE2/J, the Java port of Go's engine) anchored exactly as
 * Alertmanager anchors it: {@code ^(?:re)$}, searched with {@link com.google.re2j.Matcher#find()} as Go's
 * {@code MatchString} does (so even {@code a)|(b}, which Alertmanager accepts, means the same here).
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
     * @throws IllegalArgumentException for a regex RE2 does not accept; the message says why
     */
    public static LabelMatcher of(String name, MatchType type, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Pattern pattern = null;
        if (type.isRegex()) {
            try {
                pattern = Pattern.compile("^(?:" + value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regex " + MatcherParser.quote(value) + ": "
                        + e.getDescription());
            }
        }
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
            case REGEX -> pattern.matcher(actual).find();
            case NOT_REGEX -> !pattern.matcher(actual).find();
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
