package io.opsgate.collect;

import java.util.function.LongSupplier;

/**
 * Spaces the calls of one API to at most {@code perSecond} per second (Service Quotas allows 10), by making the
 * caller wait before a call that would come too early. Time and waiting are injected, so tests check the spacing
 * without sleeping. Thread-safe; blocking (call it on a worker thread).
 */
final class RequestPacer {
    /** Waits the given nanoseconds. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long spacingNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextFree = Long.MIN_VALUE;

    RequestPacer(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.spacingNanos = (long) (1e9 / perSecond);
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    static RequestPacer realTime(double perSecond) {
        return new RequestPacer(perSecond, System::nanoTime, nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos));
    }

    /** Returns when the next call may be made, having reserved its slot. */
    void acquire() {
        long wait;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            long slot = nextFree == Long.MIN_VALUE || nextFree - now < 0 ? now : nextFree;
            nextFree = slot + spacingNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CycleTimeoutException("interrupted while pacing requests");
            }
        }
    }
}
