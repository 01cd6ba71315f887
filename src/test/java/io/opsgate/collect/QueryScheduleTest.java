package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.config.OpsGateConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryScheduleTest {
    private static final Duration PERIOD = Duration.ofMinutes(5);
    private static final OpsGateConfig.CostAware ON = OpsGateConfig.CostAware.DEFAULT;
    /** A period boundary plus the publication delay: the first moment of a slot. */
    private static final Instant T0 = Instant.parse("2026-12-02T00:01:00Z");
    private static final MetricQuery GP2 = EbsFamilies.burstBalance("vol-1");
    /** 100 GiB gp2: 0.05 % per second at most. */
    private static final QuerySchedule.Bucket GP2_100 = new QuerySchedule.Bucket(GP2,
            BucketPhysics.burstBalanceDrainPercentPerSecond("gp2", 100), 20);

    /** Runs cycles every {@code interval} for {@code duration}; the value read is {@code level(t)}; returns read times. */
    private static List<Instant> run(QuerySchedule schedule, MetricQuery q, QuerySchedule.Bucket bucket,
                                     Duration interval, Duration duration, java.util.function.Function<Instant, Double> level) {
        List<Instant> reads = new ArrayList<>();
        for (Instant t = T0; t.isBefore(T0.plus(duration)); t = t.plus(interval)) {
            QuerySchedule.Decision d = schedule.plan(List.of(q), bucket == null ? Map.of() : Map.of(q, bucket), t);
            if (d.due().contains(q)) {
                reads.add(t);
                Double v = level.apply(t);
                // The newest datapoint is the one of the period before the current one.
                Instant ts = Instant.ofEpochSecond((t.getEpochSecond() - 60) / 300 * 300 - 300);
                schedule.record(d.due(), v == null ? Map.of() : Map.of(q, new CloudWatchFetcher.Datapoint(ts, v)), t);
            } else {
                assertThat(d.carried()).containsKey(q);
            }
        }
        return reads;
    }

    @Test
    void aFiveMinuteMetricIsReadOncePerPeriodWhateverTheInterval() {
        MetricQuery usage = Ec2Families.CreditMetric.USAGE.query("i-1");
        List<Instant> reads = run(new QuerySchedule(ON, PERIOD), usage, null, Duration.ofSeconds(30),
                Duration.ofHours(1), t -> 1.0);
        assertThat(reads).hasSize(12);
        for (int i = 1; i < reads.size(); i++) {
            assertThat(Duration.between(reads.get(i - 1), reads.get(i))).isEqualTo(PERIOD);
        }
    }

    @Test
    void aQueryWithItsOwnPeriodFollowsIt() {
        MetricQuery hourly = new MetricQuery("AWS/Usage", "CallCount",
                List.of(new MetricQuery.Dimension("Service", "EC2")), "Sum", Duration.ofHours(1));
        assertThat(run(new QuerySchedule(ON, PERIOD), hourly, null, Duration.ofMinutes(5), Duration.ofHours(3),
                t -> 1.0)).hasSize(3);
        MetricQuery minutely = new MetricQuery("AWS/Usage", "ResourceCount",
                List.of(new MetricQuery.Dimension("Service", "EC2")), "Maximum", Duration.ofMinutes(1));
        assertThat(run(new QuerySchedule(ON, PERIOD), minutely, null, Duration.ofMinutes(5), Duration.ofHours(1),
                t -> 1.0)).hasSize(12);
    }

    @Test
    void aFullIdleGp2IsReadWhenItCouldFirstHaveDrainedToTheThreshold() {
        // 80 points at 0.05 %/s = 1,600 s from the start of the datapoint's period (read at T0: period 23:55).
        List<Instant> reads = run(new QuerySchedule(ON, PERIOD), GP2, GP2_100, Duration.ofMinutes(5),
                Duration.ofHours(2), t -> 100.0);
        assertThat(reads.get(0)).isEqualTo(T0);
        assertThat(reads.get(1)).isEqualTo(Instant.parse("2026-12-02T00:26:00Z")); // first cycle after 00:21:40
        assertThat(reads).hasSize(5);
    }

    @Test
    void aBucketThatCannotDrainIsReadOncePerMaxInterval() {
        QuerySchedule.Bucket big = new QuerySchedule.Bucket(GP2, 0, 20);
        List<Instant> reads = run(new QuerySchedule(ON, PERIOD), GP2, big, Duration.ofSeconds(30), Duration.ofHours(3),
                t -> 100.0);
        assertThat(reads).containsExactly(T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
    }

    @Test
    void drainingLowAndUnknownLevelsAreReadEveryPeriod() {
        // Draining: once a read is lower than the one before, every period until it stops falling.
        long[] n = {0};
        List<Instant> draining = run(new QuerySchedule(ON, PERIOD), GP2, GP2_100, Duration.ofMinutes(1),
                Duration.ofHours(1), t -> 100.0 - n[0]++);
        assertThat(draining.get(1)).isEqualTo(Instant.parse("2026-12-02T00:22:00Z"));
        // 00:22 read 99 after 100: draining, so the next period (00:26) and every one after.
        assertThat(draining).hasSize(9);
        assertThat(draining.get(2)).isEqualTo(Instant.parse("2026-12-02T00:26:00Z"));
        for (int i = 3; i < draining.size(); i++) {
            assertThat(Duration.between(draining.get(i - 1), draining.get(i))).isEqualTo(PERIOD);
        }
        assertThat(run(new QuerySchedule(ON, PERIOD), GP2, GP2_100, Duration.ofMinutes(5), Duration.ofHours(1),
                t -> 15.0)).hasSize(12);
        assertThat(run(new QuerySchedule(ON, PERIOD), GP2, GP2_100, Duration.ofMinutes(5), Duration.ofHours(1),
                t -> null)).hasSize(12);
        QuerySchedule.Bucket unknown = new QuerySchedule.Bucket(GP2, Double.NaN, 20);
        assertThat(run(new QuerySchedule(ON, PERIOD), GP2, unknown, Duration.ofMinutes(5), Duration.ofHours(1),
                t -> 100.0)).hasSize(12);
    }

    @Test
    void creditUsageAndSurplusFollowTheirBalance() {
        MetricQuery balance = Ec2Families.CreditMetric.BALANCE.query("i-1");
        MetricQuery usage = Ec2Families.CreditMetric.USAGE.query("i-1");
        QuerySchedule.Bucket bucket = new QuerySchedule.Bucket(balance, 0, 20);
        QuerySchedule schedule = new QuerySchedule(ON, PERIOD);
        Map<MetricQuery, QuerySchedule.Bucket> buckets = Map.of(balance, bucket, usage, bucket);
        Instant t = T0;
        schedule.record(schedule.plan(List.of(balance, usage), buckets, t).due(),
                Map.of(balance, new CloudWatchFetcher.Datapoint(t.minus(PERIOD), 288), usage,
                        new CloudWatchFetcher.Datapoint(t.minus(PERIOD), 0.2)), t);
        QuerySchedule.Decision later = schedule.plan(List.of(balance, usage), buckets, t.plus(Duration.ofMinutes(30)));
        assertThat(later.due()).isEmpty();
        assertThat(later.carried()).containsEntry(balance, 288.0).containsEntry(usage, 0.2);
        assertThat(later.skipped()).containsEntry(QuerySchedule.Skip.CANNOT_CROSS, 2);
        assertThat(schedule.plan(List.of(balance, usage), buckets, t.plus(Duration.ofHours(1))).due())
                .containsExactly(balance, usage);
    }

    @Test
    void disabledRequestsEverythingEveryCycleButEachQueryOnce() {
        QuerySchedule off = new QuerySchedule(ON.withEnabled(false), PERIOD);
        assertThat(run(off, GP2, GP2_100, Duration.ofSeconds(30), Duration.ofMinutes(10), t -> 100.0)).hasSize(20);
        assertThat(off.plan(List.of(GP2, GP2), Map.of(), T0).due()).containsExactly(GP2);
        assertThat(new QuerySchedule(ON, PERIOD).plan(List.of(GP2, GP2), Map.of(), T0).due()).containsExactly(GP2);
    }
}
