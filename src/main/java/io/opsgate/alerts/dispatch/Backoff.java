package io.opsgate.alerts.dispatch;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (a uniform pick in [0, min(cap, base * 2^attempt)]): retries of many
 * notifications that failed together spread out instead of hitting the destination again in lockstep.
 */
public record Backoff(Duration base, Duration cap) {
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = cap.toMillis();
        long grown = base.toMillis() << Math.min(attempt, 30);
        if (grown > 0 && grown < ceiling) {
            ceiling = grown;
        }
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }
}
