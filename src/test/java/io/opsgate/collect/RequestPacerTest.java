package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacer on a fake clock: its spacing, and a burst like ELBv2's bucket (40 at once, then 10 a second). */
class RequestPacerTest {
    private static final long MS = 1_000_000;

    /** A clock that moves only when the pacer sleeps, recording each sleep. */
    private static final class FakeTime {
        long now = 1_000 * MS;
        final List<Long> sleeps = new ArrayList<>();
        /** Run once at the start of the next sleep, before the clock moves: another caller arriving meanwhile. */
        Runnable duringNextSleep;

        RequestPacer pacer(double perSecond, int burst) {
            return new RequestPacer(perSecond, burst, () -> now, nanos -> {
                sleeps.add(nanos);
                Runnable other = duringNextSleep;
                duringNextSleep = null;
                if (other != null) {
                    other.run();
                }
                now += nanos;
            });
        }
    }

    @Test
    void withoutBurstEveryCallWaitsItsSpacing() {
        FakeTime time = new FakeTime();
        RequestPacer pacer = time.pacer(5, 1);
        for (int i = 0; i < 4; i++) {
            pacer.acquire();
        }
        assertThat(time.sleeps).containsExactly(200 * MS, 200 * MS, 200 * MS);
    }

    @Test
    void aBurstGoesAtOnceThenThePaceAndRefillsWhenQuiet() {
        FakeTime time = new FakeTime();
        RequestPacer pacer = time.pacer(10, 40);
        for (int i = 0; i < 40; i++) {
            pacer.acquire();
        }
        assertThat(time.sleeps).as("the bucket's 40 without waiting").isEmpty();
        long start = time.now;
        for (int i = 0; i < 10; i++) {
            pacer.acquire();
        }
        assertThat(time.now - start).as("then 10 a second").isEqualTo(1_000 * MS);

        time.now += 4_000 * MS; // quiet for the 4 s an empty bucket needs to refill
        time.sleeps.clear();
        for (int i = 0; i < 40; i++) {
            pacer.acquire();
        }
        assertThat(time.sleeps).isEmpty();
        pacer.acquire();
        assertThat(time.sleeps).containsExactly(100 * MS);
    }

    @Test
    void aYieldingCallerLetsACallerThatComesWhileItWaitsGoFirst() {
        FakeTime time = new FakeTime();
        RequestPacer pacer = time.pacer(10, 1);
        pacer.acquire();
        long start = time.now;
        List<String> granted = new ArrayList<>();
        time.duringNextSleep = () -> {
            pacer.acquire();
            granted.add("sequence at " + (time.now - start) / MS + " ms");
        };
        pacer.acquireYielding();
        granted.add("beside at " + (time.now - start) / MS + " ms");
        assertThat(granted).containsExactly("sequence at 100 ms", "beside at 200 ms");
    }

    @Test
    void aCallerOfAcquireKeepsTheSlotItReservedFromOneThatComesWhileItWaits() {
        FakeTime time = new FakeTime();
        RequestPacer pacer = time.pacer(10, 1);
        pacer.acquire();
        time.duringNextSleep = pacer::acquire;
        pacer.acquire();
        // Both waits start at the same instant: the first caller's 100 ms slot, the newcomer's the one after it.
        assertThat(time.sleeps).containsExactly(100 * MS, 200 * MS);
    }
}
