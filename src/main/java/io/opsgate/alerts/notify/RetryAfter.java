package io.opsgate.alerts.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
final class RetryAfter {
    private static final Pattern SECONDS = Pattern.compile("\\d{1,10}");
    /** Longer waits are a misconfigured server; the dispatcher's max age decides when to give up anyway. */
    private static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    /** Empty when the header is absent or malformed; a date in the past is a zero wait. */
    static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (SECONDS.matcher(value).matches()) {
            return Optional.of(cap(Duration.ofSeconds(Long.parseLong(value))));
        }
        try {
            // RFC_1123_DATE_TIME reads IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the form servers must send.
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : cap(wait));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
