package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

/**
 * The slow schedule of the quota and snapshot collectors as a state machine driven by random cycles (a cycle every
 * 5 minutes, give or take a skipped one) whose reads succeed or fail at random, checked against a model: a read is
 * made exactly when it is due; after a success the next is an interval later; after n failures in a row the retry
 * waits min(interval, cycle × 2^(n−1)); the data is stale exactly while the last read failed.
 */
class SlowScheduleProperties {
    private static final Duration CYCLE = Duration.ofMinutes(5);
    private static final Duration INTERVAL = Duration.ofHours(1);

    record Step(int cyclesLater, boolean readSucceeds) {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(1, 3),
                Arbitraries.of(true, true, false)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 300)
    void readsExactlyWhenDueAndBacksOffAfterFailures(@ForAll("runs") List<Step> steps) {
        SlowSchedule schedule = new SlowSchedule(INTERVAL, CYCLE);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Instant modelNext = null;
        int failuresInARow = 0;
        Boolean lastSucceeded = null;
        for (Step s : steps) {
            now = now.plus(CYCLE.multipliedBy(s.cyclesLater()));
            boolean modelDue = modelNext == null || !now.isBefore(modelNext);
            assertThat(schedule.due(now)).isEqualTo(modelDue);
            if (modelDue) {
                if (s.readSucceeds()) {
                    schedule.succeeded(now);
                    failuresInARow = 0;
                    modelNext = now.plus(INTERVAL);
                    lastSucceeded = true;
                } else {
                    schedule.failed(now);
                    failuresInARow++;
                    Duration backoff = CYCLE.multipliedBy(1L << Math.min(failuresInARow - 1, 20));
                    modelNext = now.plus(backoff.compareTo(INTERVAL) > 0 ? INTERVAL : backoff);
                    lastSucceeded = false;
                }
            }
            assertThat(schedule.nextAt()).isEqualTo(modelNext);
            assertThat(schedule.stale()).isEqualTo(Boolean.FALSE.equals(lastSucceeded));
            // Never more often than once a cycle, never less often than once an interval.
            assertThat(Duration.between(now, schedule.nextAt())).isBetween(CYCLE, INTERVAL);
        }
    }

    @Property(tries = 100)
    void retryDelayDoublesUpToTheInterval(@ForAll("failures") int failures) {
        SlowSchedule schedule = new SlowSchedule(INTERVAL, CYCLE);
        Duration delay = schedule.retryDelay(failures);
        assertThat(delay).isLessThanOrEqualTo(INTERVAL);
        if (failures > 1) {
            Duration previous = schedule.retryDelay(failures - 1);
            assertThat(delay).isIn(previous.multipliedBy(2), INTERVAL);
        } else {
            assertThat(delay).isEqualTo(CYCLE);
        }
    }

    @Provide
    Arbitrary<Integer> failures() {
        return Arbitraries.integers().between(1, 1000);
    }
}
