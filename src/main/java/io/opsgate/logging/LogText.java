package io.opsgate.logging;

/**
 * Makes text from outside (label values, request fields, a destination's error body) safe to put in a log line: a
 * NUL, ESC or other control character written raw can forge a line break, recolour or rewrite a terminal, or cut the
 * line short in tools that read C strings. Control characters (C0, DEL, C1) and the Unicode line and paragraph
 * separators are written as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}. Everything else, backslashes
 * included (regexes and paths in annotations stay readable), is kept as it is.
 */
public final class LogText {
    private LogText() {
    }

    /** The text with control characters escaped; "null" for null (as string concatenation writes it). */
    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int n = text.length();
        int i = 0;
        while (i < n && !special(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text.toString();
        }
        StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!special(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** {@link #escape} of {@code String.valueOf(value)}, for a field that is not text (an exception, a record). */
    public static String escape(Object value) {
        return escape(value == null ? null : value.toString());
    }

    private static boolean special(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
