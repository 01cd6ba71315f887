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

        RequestPacer pacer(double perSecond, int burst) {
            return new RequestPacer(perSecond, burst, () -> now, nanos -> {
                sleeps.add(nanos);
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
}
