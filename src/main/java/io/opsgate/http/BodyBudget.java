package io.opsgate.http;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The request body bytes held at once across every connection, and the rule for when they would exceed the
 * budget: a body may take the room of the largest body still arriving if that one is larger than it will be, which
 * is then shed (503 with Retry-After; Alertmanager retries 5xx); otherwise the newcomer is refused with 503 itself.
 * So a few huge or stalled bodies can hold the budget against their equals but never against small webhooks, and
 * the heap never holds more than the budget in bodies, whatever clients do.
 * <p>
 * Shared by every event loop; each method is short and synchronized.
 */
public final class BodyBudget {
    /** One body being received: what it holds, and how to shed it. */
    public interface Holder {
        /** Answers 503 and closes the connection; called with the budget's lock held, so it must not call back. */
        void shed();
    }

    private final long max;
    private final Map<Holder, Long> held = new IdentityHashMap<>();
    private final Map<Holder, Boolean> sheddable = new IdentityHashMap<>();
    private long used;
    private long shedCount;
    private long refusedCount;

    public BodyBudget(long maxBytes) {
        this.max = maxBytes;
    }

    public long max() {
        return max;
    }

    /**
     * Adds {@code bytes} to what {@code holder} holds, shedding larger partial bodies if needed.
     *
     * @return false when there is no room: the caller answers 503 and releases
     */
    public synchronized boolean reserve(Holder holder, long bytes) {
        long mine = held.getOrDefault(holder, 0L) + bytes;
        while (used + bytes > max) {
            Holder largest = null;
            long largestBytes = mine;
            for (Map.Entry<Holder, Long> e : held.entrySet()) {
                if (e.getKey() != holder && e.getValue() > largestBytes && sheddable.getOrDefault(e.getKey(), false)) {
                    largest = e.getKey();
                    largestBytes = e.getValue();
                }
            }
            if (largest == null) {
                refusedCount++;
                return false;
            }
            release(largest);
            shedCount++;
            largest.shed();
        }
        held.put(holder, mine);
        sheddable.put(holder, true);
        used += bytes;
        return true;
    }

    /** The body is complete and being handled: from now on it finishes rather than being shed. */
    public synchronized void complete(Holder holder) {
        if (held.containsKey(holder)) {
            sheddable.put(holder, false);
        }
    }

    /** Gives back everything {@code holder} holds; safe to call more than once. */
    public synchronized void release(Holder holder) {
        Long bytes = held.remove(holder);
        sheddable.remove(holder);
        if (bytes != null) {
            used -= bytes;
        }
    }

    public synchronized long used() {
        return used;
    }

    /** Partial bodies shed to make room for smaller ones. */
    public synchronized long shed() {
        return shedCount;
    }

    /** Bodies refused for want of room. */
    public synchronized long refused() {
        return refusedCount;
    }
}
