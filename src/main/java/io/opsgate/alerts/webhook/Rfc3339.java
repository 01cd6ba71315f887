package io.opsgate.alerts.webhook;

import io.opsgate.alerts.model.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * RFC 3339 timestamps as Alertmanager writes them (Go's RFC3339Nano: {@code 2024-05-01T10:00:00.123456789Z}).
 * {@link OffsetDateTime#parse} costs more than everything else in a webhook together (profiled: 60% of parsing), so
 * the UTC form Alertmanager sends is read directly; anything else goes to the JDK parser, which stays the judge of
 * validity of dates, after {@link #GRAMMAR} has held it to RFC 3339's syntax: the JDK's ISO parser also takes
 * years beyond 9999 with a sign ({@code +10000-01-01T00:00:00Z}), which RFC 3339 (four-digit years) and Go's
 * {@code time.Time} JSON encoding do not have, and which would sort after every real timestamp.
 */
final class Rfc3339 {
    /** RFC 3339 section 5.6 date-time, with at most nine fraction digits (Go's RFC3339Nano). */
    private static final Pattern GRAMMAR = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})");

    private Rfc3339() {
    }

    static Instant parse(String s) {
        int n = s.length();
        if (n >= 20 && n <= 30 && s.charAt(n - 1) == 'Z' && s.charAt(4) == '-' && s.charAt(7) == '-'
                && s.charAt(10) == 'T' && s.charAt(13) == ':' && s.charAt(16) == ':') {
            int year = Timestamps.number(s, 0, 4);
            int month = Timestamps.number(s, 5, 7);
            int day = Timestamps.number(s, 8, 10);
            int hour = Timestamps.number(s, 11, 13);
            int minute = Timestamps.number(s, 14, 16);
            int second = Timestamps.number(s, 17, 19);
            int nanos = 0;
            boolean fractionOk = true;
            if (n > 20) {
                fractionOk = s.charAt(19) == '.' && n - 21 >= 1 && n - 21 <= 9;
                if (fractionOk) {
                    int fraction = Timestamps.number(s, 20, n - 1);
                    fractionOk = fraction >= 0;
                    nanos = fraction;
                    for (int i = n - 21; i < 9; i++) {
                        nanos *= 10;
                    }
                }
            } else {
                fractionOk = s.charAt(19) == 'Z';
            }
            if (fractionOk && year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour >= 0
                    && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59) {
                // Days 29-31 take the JDK path, which knows month lengths and leap years.
                return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                        .toInstant(java.time.ZoneOffset.UTC);
            }
        }
        if (!GRAMMAR.matcher(s).matches()) {
            throw new DateTimeParseException("not an RFC 3339 date-time", s, 0);
        }
        return OffsetDateTime.parse(s).toInstant();
    }
}
