package io.opsgate.alerts.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses matchers in the syntax of Alertmanager's UTF-8 matchers parser ({@code matcher/parse}, since 0.27; see
 * {@link AlertmanagerMatchers} for how it combines with the classic one):
 * {@code severity=~"critical|page"}, {@code team!=db}, {@code {a="b", c!~"d.*"}}. Names and values are either
 * double-quoted, with Go's escapes ({@code \"}, {@code \\}, {@code \n}, {@code \u00e9}, ...), or unquoted runs of
 * characters other than whitespace and {@code { } ! = ~ , \ " ' `}. Several matchers are separated by commas, may
 * be enclosed in braces and may end with a comma.
 */
public final class MatcherParser {
    private static final String RESERVED = "{}!=~,\\\"'`";
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final String input;
    private int pos;

    private MatcherParser(String input) {
        this.input = input;
    }

    /**
     * Every matcher in {@code input}; empty for an input without any (such as {@code {}}).
     *
     * @throws MatcherSyntaxException naming the column (1-based) of the problem
     */
    public static List<LabelMatcher> parse(String input) {
        return new MatcherParser(input).matchers();
    }

    private List<LabelMatcher> matchers() {
        List<LabelMatcher> result = new ArrayList<>();
        Token first = next();
        boolean braces = first.kind == Kind.OPEN;
        Token t = braces ? next() : first;
        while (true) {
            if (t.kind == Kind.EOF) {
                if (braces) {
                    throw error(t, "expected a close brace \"}\" at the end");
                }
                return result;
            }
            if (t.kind == Kind.CLOSE) {
                if (!braces) {
                    throw error(t, "unexpected \"}\" without an opening brace");
                }
                Token end = next();
                if (end.kind != Kind.EOF) {
                    throw error(end, "expected the end of the input after \"}\", got " + end.describe());
                }
                return result;
            }
            result.add(matcher(t));
            Token after = next();
            if (after.kind == Kind.COMMA) {
                t = next();
                if (t.kind == Kind.COMMA) {
                    throw error(t, "expected a matcher or a close brace after the comma, got \",\"");
                }
            } else if (after.kind == Kind.CLOSE || after.kind == Kind.EOF) {
                t = after;
            } else {
                throw error(after, "expected a comma" + (braces ? " or a close brace" : "") + " after the matcher, got "
                        + after.describe());
            }
        }
    }

    private LabelMatcher matcher(Token nameToken) {
        if (nameToken.kind != Kind.QUOTED && nameToken.kind != Kind.UNQUOTED) {
            throw error(nameToken, "expected a label name, got " + nameToken.describe());
        }
        // Alertmanager's UTF-8 parser takes any name, even a quoted empty one.
        String name = nameToken.text();
        Token op = next();
        MatchType type = switch (op.kind) {
            case EQUAL -> MatchType.EQUAL;
            case NOT_EQUAL -> MatchType.NOT_EQUAL;
            case REGEX -> MatchType.REGEX;
            case NOT_REGEX -> MatchType.NOT_REGEX;
            default -> throw error(op, "expected an operator such as =, !=, =~ or !~ after " + quote(name)
                    + ", got " + op.describe());
        };
        Token valueToken = next();
        if (valueToken.kind != Kind.QUOTED && valueToken.kind != Kind.UNQUOTED) {
            throw error(valueToken, "expected a label value after " + type.operator() + ", got "
                    + valueToken.describe() + (valueToken.kind == Kind.EOF ? "" : "; quote values with \"")
                    + (valueToken.kind == Kind.EOF ? " (write \"\" for the empty value)" : ""));
        }
        try {
            return LabelMatcher.of(name, type, valueToken.text());
        } catch (IllegalArgumentException e) {
            throw error(valueToken, e.getMessage());
        }
    }

    private Token next() {
        while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= input.length()) {
            return new Token(Kind.EOF, start, "");
        }
        char c = input.charAt(pos);
        switch (c) {
            case '{':
                pos++;
                return new Token(Kind.OPEN, start, "{");
            case '}':
                pos++;
                return new Token(Kind.CLOSE, start, "}");
            case ',':
                pos++;
                return new Token(Kind.COMMA, start, ",");
            case '=':
                pos++;
                if (pos < input.length() && input.charAt(pos) == '~') {
                    pos++;
                    return new Token(Kind.REGEX, start, "=~");
                }
                return new Token(Kind.EQUAL, start, "=");
            case '!':
                pos++;
                if (pos < input.length() && (input.charAt(pos) == '=' || input.charAt(pos) == '~')) {
                    pos++;
                    return input.charAt(pos - 1) == '='
                            ? new Token(Kind.NOT_EQUAL, start, "!=") : new Token(Kind.NOT_REGEX, start, "!~");
                }
                throw new MatcherSyntaxException(start + 1, "expected = or ~ after \"!\"");
            case '"':
                return quoted(start);
            default:
                if (RESERVED.indexOf(c) >= 0) {
                    throw new MatcherSyntaxException(start + 1, "unexpected " + quote(String.valueOf(c))
                            + (c == '\'' || c == '`' ? "; quote names and values with \" (double quotes)" : ""));
                }
                while (pos < input.length() && !isReserved(input.charAt(pos))) {
                    pos++;
                }
                return new Token(Kind.UNQUOTED, start, input.substring(start, pos));
        }
    }

    private Token quoted(int start) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c == '"') {
                pos++;
                return new Token(Kind.QUOTED, start, input.substring(start, pos), value.toString());
            }
            if (c == '\n') {
                throw new MatcherSyntaxException(pos + 1, "a line break inside quotes must be written as \\n");
            }
            if (c == '\\') {
                pos = GoEscapes.unescape(input, pos, value);
            } else {
                value.append(c);
                pos++;
            }
        }
        throw new MatcherSyntaxException(start + 1, "missing the closing \" of " + input.substring(start));
    }

    private static boolean isReserved(char c) {
        return Character.isWhitespace(c) || RESERVED.indexOf(c) >= 0;
    }

    private static MatcherSyntaxException error(Token t, String message) {
        return new MatcherSyntaxException(t.start + 1, message);
    }

    /** {@code "value"} with Go's escapes, as Alertmanager prints matchers. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String quoteIfNeeded(String name) {
        return PLAIN_NAME.matcher(name).matches() ? name : quote(name);
    }

    private enum Kind { OPEN, CLOSE, COMMA, EQUAL, NOT_EQUAL, REGEX, NOT_REGEX, QUOTED, UNQUOTED, EOF }

    private record Token(Kind kind, int start, String raw, String unquoted) {
        Token(Kind kind, int start, String raw) {
            this(kind, start, raw, raw);
        }

        String text() {
            return unquoted;
        }

        String describe() {
            return kind == Kind.EOF ? "the end of the input" : quote(raw);
        }
    }
}
