package io.opsgate.collect;

import java.util.function.LongSupplier;

/**
 * Spaces the calls of one API to at most {@code perSecond} per second (Service Quotas allows 10), by making the
 * caller wait before a call that would come too early. With a burst above 1 it is AWS's own token bucket: that many
 * calls may go at once after a quiet spell, then {@code perSecond} (ELBv2's Describe* bucket holds 40 and refills at
 * 10 a second). Time and waiting are injected, so tests check the spacing without sleeping. Thread-safe; blocking
 * (call it on a worker thread); concurrent callers each reserve their own slot.
 */
final class RequestPacer {
    /** Waits the given nanoseconds. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long spacingNanos;
    /** How far ahead of the steady pace a call may go: the burst's calls beyond the first. */
    private final long toleranceNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextFree = Long.MIN_VALUE;

    RequestPacer(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this(perSecond, 1, nanoTime, sleeper);
    }

    /** @param burst calls that may go at once after a quiet spell (the bucket's size), at least 1 */
    RequestPacer(double perSecond, int burst, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
        this.spacingNanos = (long) (1e9 / perSecond);
        this.toleranceNanos = (burst - 1) * spacingNanos;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    static RequestPacer realTime(double perSecond) {
        return realTime(perSecond, 1);
    }

    static RequestPacer realTime(double perSecond, int burst) {
        return new RequestPacer(perSecond, burst, System::nanoTime,
                nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos));
    }

    /**
     * Like {@link #acquire()}, but gives way to callers of {@link #acquire()}: it reserves no slot ahead, and takes one
     * only when a call may go now, so a caller of {@link #acquire()} that comes while it waits goes first. For bulk
     * calls that run beside the cycle (DescribeTargetHealth of every target group) and must not hold up the few ELBv2
     * calls of the cycle's own sequence (the tags collector's DescribeTags) that share the bucket.
     */
    void acquireYielding() {
        while (true) {
            long wait;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                long base = nextFree == Long.MIN_VALUE || nextFree - now < 0 ? now : nextFree;
                long slot = base - toleranceNanos - now < 0 ? now : base - toleranceNanos;
                wait = slot - now;
                if (wait <= 0) {
                    nextFree = base + spacingNanos;
                    return;
                }
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CycleTimeoutException("interrupted while pacing requests");
            }
        }
    }

    /** Returns when the next call may be made, having reserved its slot. */
    void acquire() {
        long wait;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            // GCRA: nextFree is when the bucket would be full again; a call may go while it is at most the burst ahead.
            long base = nextFree == Long.MIN_VALUE || nextFree - now < 0 ? now : nextFree;
            long slot = base - toleranceNanos - now < 0 ? now : base - toleranceNanos;
            nextFree = base + spacingNanos;
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
