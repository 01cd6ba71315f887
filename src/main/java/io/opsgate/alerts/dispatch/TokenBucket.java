package io.opsgate.alerts.dispatch;

/**
 * A token bucket per destination ({@code Channel.rateLimit()}, e.g. Slack's 1 message/s per webhook). Capacity is
 * one second's worth (at least one token), so a burst never exceeds what the destination allows in a second.
 * Confined to the dispatcher's context; times are in nanoseconds of a monotonic clock.
 */
final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long updatedAt;

    TokenBucket(double perSecond, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1, perSecond);
        this.tokens = capacity;
        this.updatedAt = nowNanos;
    }

    /** Takes a token and answers 0, or answers how many nanoseconds to wait before one is available. */
    long take(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - updatedAt) * perNano);
        updatedAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }
}
