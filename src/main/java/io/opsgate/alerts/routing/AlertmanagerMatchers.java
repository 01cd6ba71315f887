package io.opsgate.alerts.routing;

import java.util.List;

/**
 * Parses a matchers string exactly as Alertmanager 0.27 and later do by default ("fallback" mode of
 * {@code matcher/compat}), which is what {@code check-config} follows: the classic parser's result when it accepts
 * the input (it also wins when both parsers accept and disagree), else the UTF-8 parser's
 * ({@link MatcherParser}); an input both reject is an error.
 *
 * <p>Alertmanager 0.25 (Debian stable) has only the classic parser. Everything it accepts is accepted here with the
 * same meaning; on top, like 0.27+, this accepts what only the UTF-8 parser reads: quoted label names with any
 * character ({@code "service.name"="x"}, {@code "é"=x}, even {@code ""=x}), unquoted names that are not Prometheus
 * names ({@code 1sev="x"}, {@code a.b=x}), and Go 1.22's {@code (?<name>...)} groups. Such a route needs
 * Alertmanager ≥ 0.27 if it is copied into an Alertmanager config. The differential test
 * ({@code MatcherAcceptanceTest}) checks both statements against both amtool versions.
 */
public final class AlertmanagerMatchers {
    private AlertmanagerMatchers() {
    }

    /**
     * @throws MatcherSyntaxException with the UTF-8 parser's reason and column when neither parser accepts
     */
    public static List<LabelMatcher> parse(String input) {
        try {
            return ClassicMatcherParser.parse(input);
        } catch (IllegalArgumentException classic) {
            return MatcherParser.parse(input);
        }
    }
}
