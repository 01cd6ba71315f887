package io.opsgate.alerts.routing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The escapes of a Go double-quoted string ({@code strconv.Unquote}), which Alertmanager's parser applies to quoted
 * names and values. {@code \x} and octal escapes are bytes; a run of them must form valid UTF-8.
 */
final class GoEscapes {
    private GoEscapes() {
    }

    /**
     * Appends the character(s) of the escape starting at {@code input[at] == '\\'} to {@code out}.
     *
     * @return the index after the escape
     */
    static int unescape(String input, int at, StringBuilder out) {
        if (at + 1 >= input.length()) {
            throw new MatcherSyntaxException(at + 1, "a backslash must be followed by an escape such as \\\" or \\\\");
        }
        char e = input.charAt(at + 1);
        switch (e) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case '\\' -> out.append('\\');
            case '"' -> out.append('"');
            case 'u' -> {
                out.appendCodePoint(hex(input, at, 4));
                return at + 6;
            }
            case 'U' -> {
                int cp = hex(input, at, 8);
                if (!Character.isValidCodePoint(cp)) {
                    throw new MatcherSyntaxException(at + 1, "escape " + input.substring(at, at + 10)
                            + " is not a Unicode code point");
                }
                out.appendCodePoint(cp);
                return at + 10;
            }
            case 'x', '0', '1', '2', '3', '4', '5', '6', '7' -> {
                return bytes(input, at, out);
            }
            default -> throw new MatcherSyntaxException(at + 1, "unknown escape \\" + e
                    + " (to match a literal backslash in a regex, write \\\\" + e + ")");
        }
        return at + 2;
    }

    private static int hex(String input, int at, int digits) {
        int end = at + 2 + digits;
        if (end > input.length()) {
            throw new MatcherSyntaxException(at + 1, "escape \\" + input.charAt(at + 1) + " needs " + digits
                    + " hex digits");
        }
        try {
            return Integer.parseUnsignedInt(input.substring(at + 2, end), 16);
        } catch (NumberFormatException ex) {
            throw new MatcherSyntaxException(at + 1, "escape \\" + input.charAt(at + 1) + " needs " + digits
                    + " hex digits, got " + input.substring(at + 2, end));
        }
    }

    /** A run of {@code \xhh} and {@code \ooo} byte escapes, decoded as UTF-8 together. */
    private static int bytes(String input, int at, StringBuilder out) {
        ByteBuffer buffer = ByteBuffer.allocate(input.length());
        int i = at;
        while (i + 1 < input.length() && input.charAt(i) == '\\') {
            char e = input.charAt(i + 1);
            if (e == 'x') {
                buffer.put((byte) hex(input, i, 2));
                i += 4;
            } else if (e >= '0' && e <= '7') {
                if (i + 4 > input.length()) {
                    throw new MatcherSyntaxException(i + 1, "octal escapes need 3 digits");
                }
                int value;
                try {
                    value = Integer.parseInt(input.substring(i + 1, i + 4), 8);
                } catch (NumberFormatException ex) {
                    throw new MatcherSyntaxException(i + 1, "octal escapes need 3 digits");
                }
                if (value > 255) {
                    throw new MatcherSyntaxException(i + 1, "octal escape above \\377");
                }
                buffer.put((byte) value);
                i += 4;
            } else {
                break;
            }
        }
        buffer.flip();
        try {
            out.append(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer));
        } catch (CharacterCodingException ex) {
            throw new MatcherSyntaxException(at + 1, "byte escapes do not form valid UTF-8");
        }
        return i;
    }
}
