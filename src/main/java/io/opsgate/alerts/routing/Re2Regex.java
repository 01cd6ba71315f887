package io.opsgate.alerts.routing;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles Alertmanager's regexes, which are Go RE2 syntax, with {@link java.util.regex}. The two agree on most
 * syntax; where they differ, this class either translates ({@code (?P<name>...)}, POSIX classes such as
 * {@code [[:alpha:]]}, a literal {@code [} or {@code &&} inside a class, a {@code {} that is not a repetition) or
 * rejects what RE2 rejects (backreferences, lookaround, atomic groups, possessive quantifiers), so a route matches
 * the same alerts here as in Alertmanager.
 */
final class Re2Regex {
    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));
    private static final Pattern POSIX = Pattern.compile("\\[:(\\^?)([a-z]+):]");
    private static final Pattern REPETITION = Pattern.compile("\\{\\d+(,\\d*)?}");
    private static final Pattern MULTILINE_FLAG = Pattern.compile("\\(\\?[a-zA-Z]*m[a-zA-Z-]*[:)]");
    private static final Pattern UNGREEDY_FLAG = Pattern.compile("\\(\\?[a-zA-Z-]*U[a-zA-Z-]*[:)]");
    /** Escapes Java knows and RE2 does not (RE2 rejects them, so Alertmanager would refuse the config). */
    private static final String JAVA_ONLY_ESCAPES = "hHRXGZecNkVuEK";

    private Re2Regex() {
    }

    /** The pattern {@code ^(?:regex)$}, as Alertmanager anchors it. */
    static Pattern compileAnchored(String regex) {
        String java = translate(regex);
        try {
            // UNIX_LINES: in RE2 only \n ends a line, so "." matches \r and U+2028 as Go does.
            return Pattern.compile("^(?:" + java + ")\\z", Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex " + MatcherParser.quote(regex) + ": "
                    + e.getDescription());
        }
    }

    static String translate(String re) {
        if (UNGREEDY_FLAG.matcher(re).find()) {
            throw invalid(re, "the U flag means \"ungreedy\" in RE2 but something else in Java; write lazy"
                    + " quantifiers such as .*? instead");
        }
        StringBuilder out = new StringBuilder(re.length() + 8);
        boolean inClass = false;
        // Without (?m), RE2's $ is the end of the text; Java's also matches before a final line break.
        boolean multiline = MULTILINE_FLAG.matcher(re).find();
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                if (i + 1 >= re.length()) {
                    throw invalid(re, "trailing backslash");
                }
                char next = re.charAt(i + 1);
                if (next == 'Q') {
                    int end = re.indexOf("\\E", i + 2);
                    int stop = end < 0 ? re.length() : end + 2;
                    out.append(re, i, stop);
                    i = stop;
                    continue;
                }
                i = escape(re, i, next, inClass, out);
                continue;
            }
            if (inClass) {
                if (c == ']' && !atClassStart(re, i)) {
                    inClass = false;
                    out.append(c);
                } else if (c == '[') {
                    Matcher posix = POSIX.matcher(re).region(i, re.length());
                    if (posix.lookingAt()) {
                        String java = POSIX_CLASSES.get(posix.group(2));
                        if (java == null) {
                            throw invalid(re, "unknown character class [:" + posix.group(2) + ":]");
                        }
                        out.append(posix.group(1).isEmpty() ? java : negate(java));
                        i = posix.end();
                        continue;
                    }
                    out.append("\\[");
                } else if (c == '&') {
                    out.append("\\&");
                } else {
                    out.append(c);
                }
                i++;
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    out.append(c);
                    if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
                        out.append('^');
                        i++;
                    }
                }
                case '(' -> {
                    if (re.startsWith("(?P<", i)) {
                        out.append("(?<");
                        i += 4;
                        continue;
                    }
                    if (re.startsWith("(?=", i) || re.startsWith("(?!", i) || re.startsWith("(?<=", i)
                            || re.startsWith("(?<!", i)) {
                        throw invalid(re, "lookaround is not supported by Alertmanager's regex engine (RE2)");
                    }
                    if (re.startsWith("(?>", i)) {
                        throw invalid(re, "atomic groups are not supported by Alertmanager's regex engine (RE2)");
                    }
                    out.append(c);
                }
                case '$' -> out.append(multiline ? "$" : "\\z");
                case '*', '+', '?' -> {
                    out.append(c);
                    if (i + 1 < re.length() && re.charAt(i + 1) == '+') {
                        throw invalid(re, "possessive quantifiers are not supported by Alertmanager's regex"
                                + " engine (RE2)");
                    }
                }
                case '{' -> {
                    Matcher repetition = REPETITION.matcher(re).region(i, re.length());
                    if (repetition.lookingAt()) {
                        out.append(repetition.group());
                        i = repetition.end();
                        if (i < re.length() && re.charAt(i) == '+') {
                            throw invalid(re, "possessive quantifiers are not supported by Alertmanager's regex"
                                    + " engine (RE2)");
                        }
                        continue;
                    }
                    // RE2 reads a brace that does not start a repetition as a literal; Java rejects it.
                    out.append("\\{");
                }
                default -> out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    /**
     * Translates the escape {@code \\next} at {@code i}: octal codes and {@code \\v} become {@code \\x{..}},
     * {@code \\s}/{@code \\S} get RE2's narrower class (no vertical tab); a lone digit is a backreference, which
     * RE2 lacks, as are Java's own escapes.
     *
     * @return the index after the escape
     */
    private static int escape(String re, int i, char next, boolean inClass, StringBuilder out) {
        if (next >= '0' && next <= '7') {
            int end = i + 2;
            while (end < re.length() && end < i + 4 && re.charAt(end) >= '0' && re.charAt(end) <= '7') {
                end++;
            }
            if (next != '0' && end == i + 2) {
                throw invalid(re, "backreferences are not supported by Alertmanager's regex engine (RE2)");
            }
            out.append("\\x{").append(Integer.toHexString(Integer.parseInt(re.substring(i + 1, end), 8))).append('}');
            return end;
        }
        if (next == '8' || next == '9') {
            throw invalid(re, "backreferences are not supported by Alertmanager's regex engine (RE2)");
        }
        if (JAVA_ONLY_ESCAPES.indexOf(next) >= 0) {
            throw invalid(re, "\\" + next + " is not supported by Alertmanager's regex engine (RE2)");
        }
        switch (next) {
            case 'v' -> out.append("\\x{b}");
            case 's' -> out.append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
            case 'S' -> out.append("[^\\t\\n\\f\\r ]");
            default -> out.append('\\').append(next);
        }
        return i + 2;
    }

    /** A {@code ]} right after {@code [} or {@code [^} is a literal member of the class, not its end. */
    private static boolean atClassStart(String re, int i) {
        return re.charAt(i - 1) == '[' && !isEscaped(re, i - 1)
                || i >= 2 && re.charAt(i - 1) == '^' && re.charAt(i - 2) == '[' && !isEscaped(re, i - 2);
    }

    private static boolean isEscaped(String re, int i) {
        int backslashes = 0;
        for (int j = i - 1; j >= 0 && re.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String negate(String javaClass) {
        if (javaClass.startsWith("\\p")) {
            return "\\P" + javaClass.substring(2);
        }
        return "\\" + Character.toUpperCase(javaClass.charAt(1));
    }

    private static IllegalArgumentException invalid(String re, String why) {
        return new IllegalArgumentException("invalid regex " + MatcherParser.quote(re) + ": " + why);
    }
}
