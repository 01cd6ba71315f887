package io.opsgate.alerts.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} and {@link Instant#parse} for the instants alerts carry, without the JDK's formatter.
 * Every alert's {@code startsAt} and {@code endsAt} are written and read as text several times between its webhook
 * and its delivery (the outbox payload, the template data, the webhook body): profiled under the issue #10
 * benchmark, {@code DateTimeFormatter} behind these two calls was about 5 % of the gateway's CPU samples. The text is
 * the JDK's, character for character; anything else (years outside 0000 to 9999, other spellings) goes to the JDK.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** Exactly {@code t.toString()}: {@code 2024-05-01T10:00:00Z}, with 3, 6 or 9 fraction digits when not zero. */
    public static String format(Instant t) {
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // 0000-01-01 and 9999-12-31 as epoch days: beyond them the JDK writes a sign and more digits
        if (days < -719_528 || days > 2_932_896) {
            return t.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(days);
        int nanos = t.getNano();
        char[] out = new char[nanos == 0 ? 20 : nanos % 1_000_000 == 0 ? 24 : nanos % 1000 == 0 ? 27 : 30];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (nanos != 0) {
            out[19] = '.';
            int fraction = out.length - 21;
            digits(out, 20, nanos / pow10(9 - fraction), fraction);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /** Exactly {@code Instant.parse(s)}, directly for the text {@link #format} writes. */
    public static Instant parse(String s) {
        int n = s.length();
        if ((n == 20 || n == 24 || n == 27 || n == 30) && s.charAt(4) == '-' && s.charAt(7) == '-'
                && s.charAt(10) == 'T' && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z'
                && (n == 20 || s.charAt(19) == '.')) {
            int year = number(s, 0, 4);
            int month = number(s, 5, 7);
            int day = number(s, 8, 10);
            int hour = number(s, 11, 13);
            int minute = number(s, 14, 16);
            int second = number(s, 17, 19);
            int nanos = n == 20 ? 0 : number(s, 20, n - 1);
            if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59
                    && second >= 0 && second <= 59 && nanos >= 0) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second, nanos * pow10(30 - n))
                            .toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e) {
                    // not a date (February 30th): the JDK says so in its own words below
                }
            }
        }
        return Instant.parse(s);
    }

    /** 10^k for the fraction digits missing from the 9: 0, 3 or 6 (text lengths 30, 27, 24; 20 has none). */
    private static int pow10(int k) {
        return switch (k) {
            case 0 -> 1;
            case 3 -> 1000;
            case 6 -> 1_000_000;
            default -> k > 6 ? 1 : (int) Math.pow(10, k);
        };
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The decimal number in s[from, to), or -1 if any character there is not a digit; also for the webhook's
     * RFC 3339 fast path.
     */
    public static int number(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
