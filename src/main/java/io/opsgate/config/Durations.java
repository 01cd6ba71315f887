package io.opsgate.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Prometheus syntax ({@code 1h30m}, {@code 500ms}, {@code 1d}), so that operators can use the same
 * notation here as in their Prometheus and Alertmanager configs.
 *
 * <p>Units, largest first, each at most once: {@code y} (365 days), {@code w}, {@code d}, {@code h}, {@code m},
 * {@code s}, {@code ms}. A bare {@code 0} is zero. Negative durations and fractions ({@code 1.5h}) are not allowed,
 * exactly as in Prometheus.
 */
public final class Durations {
    private static final Pattern SYNTAX = Pattern.compile(
            "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");

    /** Milliseconds per unit, in the order of the groups of {@link #SYNTAX}. */
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
    private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

    private Durations() {
    }

    /**
     * Parses a Prometheus duration.
     *
     * @throws IllegalArgumentException if {@code s} is not a valid duration; the message quotes the input
     */
    public static Duration parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("expected a duration like 30s or 5m, got nothing");
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SYNTAX.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("expected a duration like 30s or 5m, got \"" + s + "\"");
        }
        long total = 0;
        try {
            for (int i = 0; i < UNIT_MILLIS.length; i++) {
                String digits = m.group(i + 1);
                if (digits != null) {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(digits), UNIT_MILLIS[i]));
                }
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration \"" + s + "\" is too long");
        }
        return Duration.ofMillis(total);
    }

    /**
     * Formats a duration so that {@link #parse} reads it back, using the largest units first ({@code 90m} becomes
     * {@code 1h30m}). Precision below a millisecond is dropped because the syntax cannot express it.
     *
     * @throws IllegalArgumentException if {@code d} is negative
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative durations have no Prometheus syntax: " + d);
        }
        long rest = d.toMillis();
        if (rest == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            long n = rest / UNIT_MILLIS[i];
            if (n > 0) {
                out.append(n).append(UNIT_NAMES[i]);
                rest -= n * UNIT_MILLIS[i];
            }
        }
        return out.toString();
    }
}
