package io.opsgate.sim;

/**
 * An AWS API's request rate: full at the start, refilled continuously at its rate, capped at one second's worth. A
 * refused request takes no token, so a client that backs off recovers as AWS lets it.
 */
final class TokenBucket {
    private final double perSecond;
    private double tokens;
    private long last = Long.MIN_VALUE;

    TokenBucket(double perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
    }

    /** Whether a request at {@code nanos} (System.nanoTime) may pass; takes a token if so. */
    synchronized boolean take(long nanos) {
        if (last != Long.MIN_VALUE) {
            tokens = Math.min(perSecond, tokens + (nanos - last) / 1e9 * perSecond);
        }
        last = nanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
