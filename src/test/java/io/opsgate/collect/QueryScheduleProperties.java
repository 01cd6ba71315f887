package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.config.OpsGateConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For any bucket trajectory within physics (never falling faster than the bucket's maximum drain; refills at any
 * speed), CloudWatch publishing each 5-minute average one publication delay after its period ends, and any
 * collection interval up to the period: the cycle that first sees a datapoint below the threshold under cost-aware
 * polling is the cycle that first sees it when polling every cycle, and no query is requested twice in a period.
 */
class QueryScheduleProperties {
    private static final int PERIOD = 300;
    private static final double THRESHOLD = 20;
    private static final MetricQuery Q = EbsFamilies.burstBalance("vol-1");

    /** One piece of the trajectory: {@code minutes} long, falling by {@code fraction} of the maximum drain. */
    record Segment(int minutes, double fraction) {
    }

    @Provide
    Arbitrary<List<Segment>> trajectories() {
        Arbitrary<Segment> drain = Combinators.combine(Arbitraries.integers().between(1, 240),
                Arbitraries.doubles().between(0, 1)).as(Segment::new);
        Arbitrary<Segment> refill = Combinators.combine(Arbitraries.integers().between(1, 60),
                Arbitraries.doubles().between(-20, 0)).as(Segment::new);
        Arbitrary<Segment> full = Arbitraries.just(new Segment(1, 1.0));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, drain), net.jqwik.api.Tuple.of(2, refill), net.jqwik.api.Tuple.of(1, full))
                .list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 300)
    void noCrossingIsSeenLaterThanByPollingEveryCycle(
            @ForAll("trajectories") List<Segment> segments,
            @ForAll @IntRange(min = 0, max = 100) int start,
            @ForAll @IntRange(min = 1, max = 60) int drainMilliPercentPerSecond,
            @ForAll("intervals") int interval,
            @ForAll @IntRange(min = 0, max = 299) int phase,
            @ForAll("delays") int delay,
            @ForAll("maxIntervals") int maxInterval) {
        double drain = drainMilliPercentPerSecond / 1000.0;
        int hours = 10;
        double[] minute = trajectory(segments, start, drain, hours * 60);
        int periods = minute.length / 5;
        double[] average = new double[periods];
        for (int k = 0; k < periods; k++) {
            double sum = 0;
            for (int m = 0; m < 5; m++) {
                sum += minute[k * 5 + m];
            }
            average[k] = sum / 5;
        }
        OpsGateConfig.CostAware settings = new OpsGateConfig.CostAware(true, THRESHOLD / 100, 20,
                Duration.ofSeconds(maxInterval), Duration.ofSeconds(delay), 0.01);
        QuerySchedule schedule = new QuerySchedule(settings, Duration.ofSeconds(PERIOD));
        QuerySchedule.Bucket bucket = new QuerySchedule.Bucket(Q, drain, THRESHOLD);
        long lastSlot = Long.MIN_VALUE;
        Integer seenByEveryCycle = null;
        Integer seenBySchedule = null;
        for (long t = 2L * PERIOD + delay + phase % interval; t < (long) periods * PERIOD + PERIOD + delay; t += interval) {
            int k = (int) ((t - delay) / PERIOD) - 1; // newest published datapoint
            if (k < 0 || k >= periods) {
                continue;
            }
            boolean low = average[k] < THRESHOLD;
            if (low && seenByEveryCycle == null) {
                seenByEveryCycle = (int) t;
            }
            QuerySchedule.Decision d = schedule.plan(List.of(Q), Map.of(Q, bucket), Instant.ofEpochSecond(t));
            if (d.due().contains(Q)) {
                long slot = Math.floorDiv(t - delay, PERIOD);
                assertThat(slot).as("one read per period").isGreaterThan(lastSlot);
                lastSlot = slot;
                schedule.record(d.due(), Map.of(Q, new CloudWatchFetcher.Datapoint(
                        Instant.ofEpochSecond((long) k * PERIOD), average[k])), Instant.ofEpochSecond(t));
                if (low && seenBySchedule == null) {
                    seenBySchedule = (int) t;
                }
            }
            if (seenByEveryCycle != null) {
                break;
            }
        }
        assertThat(seenBySchedule).as("first cycle that sees the crossing").isEqualTo(seenByEveryCycle);
    }

    /** One value per minute; each minute falls by at most {@code drain × 60}. */
    private static double[] trajectory(List<Segment> segments, double start, double drain, int minutes) {
        double[] v = new double[minutes];
        double level = start;
        int s = 0;
        int left = segments.get(0).minutes();
        for (int m = 0; m < minutes; m++) {
            v[m] = level;
            double fraction = segments.get(s).fraction();
            level = Math.max(0, Math.min(100, level - fraction * drain * 60));
            if (--left == 0) {
                s = (s + 1) % segments.size();
                left = segments.get(s).minutes();
            }
        }
        return v;
    }

    @Provide
    Arbitrary<Integer> intervals() {
        return Arbitraries.of(10, 30, 60, 90, 120, 150, 300);
    }

    @Provide
    Arbitrary<Integer> delays() {
        return Arbitraries.of(0, 60, 120, 240);
    }

    @Provide
    Arbitrary<Integer> maxIntervals() {
        return Arbitraries.of(300, 900, 3600, 86_400);
    }
}
