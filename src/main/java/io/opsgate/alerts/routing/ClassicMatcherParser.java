package io.opsgate.alerts.routing;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Alertmanager's classic matchers parser ({@code pkg/labels.ParseMatchers}), the only one before 0.27 and the
 * fallback of every later version: lenient, regex-based. A leading {@code {} and a trailing {@code }} are optional;
 * matchers are split at commas outside double quotes; a name is {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; a value may be
 * bare (then it runs to the end, spaces included) or double-quoted, with {@code \"}, {@code \\} and {@code \n} as
 * escapes and any other backslash kept literally.
 */
final class ClassicMatcherParser {
    /** Alertmanager's own expression, run by RE2/J so that {@code \s} and {@code .*?} mean what they mean in Go. */
    private static final Pattern MATCHER =
            Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(=~|=|!=|!~)\\s*((?s).*?)\\s*$");

    private ClassicMatcherParser() {
    }

    /** @throws IllegalArgumentException when Alertmanager's classic parser rejects the input */
    static List<LabelMatcher> parse(String input) {
        String s = input.startsWith("{") ? input.substring(1) : input;
        s = s.endsWith("}") ? s.substring(0, s.length() - 1) : s;
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean insideQuotes = false;
        boolean escaped = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case ',' -> {
                    if (!insideQuotes) {
                        tokens.add(token.toString());
                        token.setLength(0);
                        continue;
                    }
                }
                case '"' -> {
                    if (!escaped) {
                        insideQuotes = !insideQuotes;
                    } else {
                        escaped = false;
                    }
                }
                case '\\' -> escaped = !escaped;
                default -> escaped = false;
            }
            token.append(c);
        }
        String last = goTrimSpace(token.toString());
        if (!last.isEmpty()) {
            tokens.add(last);
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (String t : tokens) {
            matchers.add(matcher(t));
        }
        return matchers;
    }

    private static LabelMatcher matcher(String s) {
        Matcher m = MATCHER.matcher(s);
        if (!m.find()) {
            throw new IllegalArgumentException("bad matcher format: " + s);
        }
        String raw = m.group(3);
        boolean expectTrailingQuote = false;
        if (!raw.isEmpty() && raw.charAt(0) == '"') {
            raw = raw.substring(1);
            expectTrailingQuote = true;
        }
        StringBuilder value = new StringBuilder(raw.length());
        boolean escaped = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (escaped) {
                escaped = false;
                switch (c) {
                    case 'n' -> value.append('\n');
                    case '"', '\\' -> value.append(c);
                    default -> value.append('\\').append(c); // a spurious escape is a literal backslash
                }
                continue;
            }
            switch (c) {
                case '\\' -> {
                    if (i < raw.length() - 1) {
                        escaped = true;
                    } else {
                        value.append('\\');
                    }
                }
                case '"' -> {
                    if (!expectTrailingQuote || i < raw.length() - 1) {
                        throw new IllegalArgumentException("matcher value contains unescaped double quote: "
                                + m.group(3));
                    }
                    expectTrailingQuote = false;
                }
                default -> value.append(c);
            }
        }
        if (expectTrailingQuote) {
            throw new IllegalArgumentException("matcher value contains unescaped double quote: " + m.group(3));
        }
        MatchType type = switch (m.group(2)) {
            case "=" -> MatchType.EQUAL;
            case "!=" -> MatchType.NOT_EQUAL;
            case "=~" -> MatchType.REGEX;
            default -> MatchType.NOT_REGEX;
        };
        return LabelMatcher.of(m.group(1), type, value.toString());
    }

    /** Go's {@code strings.TrimSpace}: Unicode white space, NBSP and NEL included (Java's strip() leaves those). */
    private static String goTrimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isGoSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000b', '\f', '\r', ' ', '\u0085', '\u00a0' -> true;
            default -> c > 0xff && Character.isSpaceChar(c);
        };
    }
}
