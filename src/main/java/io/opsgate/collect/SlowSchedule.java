package io.opsgate.collect;

import java.time.Duration;
import java.time.Instant;

/**
 * When a collector on a slower schedule than the cycle (Service Quotas limits, snapshots) reads next. Due at the first
 * cycle; after a success, due again {@code interval} later; after a failure, retried at the next cycle, then after
 * twice that, four times..., never later than {@code interval}, so a throttled or failing API is asked less and
 * less often while its last good data is kept and marked stale. Not thread-safe: one target's cycles never overlap.
 */
final class SlowSchedule {
    private final Duration interval;
    private final Duration firstRetry;
    private Instant nextAt;
    private int failures;

    /** @param firstRetry the delay of the first retry after a failure (the collection interval) */
    SlowSchedule(Duration interval, Duration firstRetry) {
        if (firstRetry.compareTo(interval) > 0) {
            throw new IllegalArgumentException("first retry " + firstRetry + " is later than the interval " + interval);
        }
        this.interval = interval;
        this.firstRetry = firstRetry;
    }

    boolean due(Instant now) {
        return nextAt == null || !now.isBefore(nextAt);
    }

    void succeeded(Instant now) {
        failures = 0;
        nextAt = now.plus(interval);
    }

    void failed(Instant now) {
        failures++;
        nextAt = now.plus(retryDelay(failures));
    }

    /** True while the last attempt failed: the data served is older than it should be. */
    boolean stale() {
        return failures > 0;
    }

    /** The wait after {@code failures} failures in a row: firstRetry × 2^(failures−1), capped at the interval. */
    Duration retryDelay(int failures) {
        int doublings = Math.min(failures - 1, 30);
        Duration delay = firstRetry.multipliedBy(1L << doublings);
        return delay.compareTo(interval) > 0 || delay.isNegative() ? interval : delay;
    }

    Instant nextAt() {
        return nextAt;
    }
}
