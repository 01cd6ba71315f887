package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.config.CollectorName;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TargetCycle} with a fake part in its sequence and a slow fake part beside it (held on a latch): the cycle's
 * result does not wait for the slow part, which is pending in it and delivers a result of its own; a cycle while it
 * still runs does not start it again; one that goes on past the deadline fails.
 */
class TargetCycleBesideTest {
    private static final TargetKey TARGET = new TargetKey("123456789012", "us-east-1");
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    private final ExecutorService besideThreads = Executors.newCachedThreadPool();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T17:00:00Z"));
    private final List<CollectorName> stillRunning = new ArrayList<>();

    @AfterEach
    void stop() {
        besideThreads.shutdownNow();
    }

    /** elbv2_targets beside the cycle, waiting on {@code release} and taking {@code takes} on the clock once let go. */
    private final class SlowBesidePart implements CollectorPart {
        final AtomicInteger runs = new AtomicInteger();
        volatile CountDownLatch release = new CountDownLatch(1);
        volatile Duration takes = Duration.ZERO;

        @Override
        public CollectorName name() {
            return CollectorName.ELBV2_TARGETS;
        }

        @Override
        public boolean beside() {
            return true;
        }

        @Override
        public PartPlan plan(CycleInventory inventory, Instant now) {
            runs.incrementAndGet();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            clock.advance(takes);
            return PartPlan.of(List.of(), values -> List.of(family("aws_elbv2_target_health")));
        }
    }

    private static CollectorPart sequencePart() {
        return new CollectorPart() {
            @Override
            public CollectorName name() {
                return CollectorName.EBS;
            }

            @Override
            public PartPlan plan(CycleInventory inventory, Instant now) {
                return PartPlan.of(List.of(), values -> List.of(family("aws_ebs_volume_info")));
            }
        };
    }

    private static MetricFamily family(String name) {
        return new MetricFamily(name, "test", MetricFamily.Type.GAUGE,
                List.of(new MetricFamily.Sample(io.prometheus.metrics.model.snapshots.Labels.EMPTY, 1)));
    }

    private TargetCycle cycle(SlowBesidePart slow) {
        OpsGateConfig.CostAware off = OpsGateConfig.CostAware.DEFAULT.withEnabled(false);
        return new TargetCycle(TARGET, List.of(sequencePart(), slow), null, null, null,
                new QuerySchedule(off, Duration.ofMinutes(5)), off, (reason, n) -> { }, clock, besideThreads,
                RequestPacer.realTime(1_000), stillRunning::add);
    }

    @Test
    void theSequencesResultDoesNotWaitAndTheSlowPartComesLaterWithItsOwnDuration() throws Exception {
        SlowBesidePart slow = new SlowBesidePart();
        TargetCycle cycle = cycle(slow);

        TargetCycle.CycleRun first = cycle.run(clock.instant().plus(TIMEOUT));
        assertThat(first.result().succeeded()).containsOnlyKeys(CollectorName.EBS);
        assertThat(first.result().failed()).isEmpty();
        assertThat(first.result().pending()).containsExactly(CollectorName.ELBV2_TARGETS);
        assertThat(first.late()).containsOnlyKeys(CollectorName.ELBV2_TARGETS);
        CompletableFuture<CycleResult> late = first.late().get(CollectorName.ELBV2_TARGETS);
        assertThat(late).isNotDone();

        // The interval comes round while it still runs: not started again, and told as such.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slow.runs.get() == 1);
        TargetCycle.CycleRun second = cycle.run(clock.instant().plus(TIMEOUT));
        assertThat(second.result().succeeded()).containsOnlyKeys(CollectorName.EBS);
        assertThat(second.result().failed()).isEmpty();
        assertThat(second.result().pending()).containsExactly(CollectorName.ELBV2_TARGETS);
        assertThat(second.late()).isEmpty();
        assertThat(stillRunning).containsExactly(CollectorName.ELBV2_TARGETS);

        slow.takes = Duration.ofSeconds(25);
        slow.release.countDown();
        CycleResult result = late.get(10, TimeUnit.SECONDS);
        assertThat(result.late()).isTrue();
        assertThat(result.succeeded()).containsOnlyKeys(CollectorName.ELBV2_TARGETS);
        assertThat(result.succeeded().get(CollectorName.ELBV2_TARGETS)).extracting(MetricFamily::name)
                .containsExactly("aws_elbv2_target_health");
        assertThat(result.failed()).isEmpty();
        assertThat(result.pending()).isEmpty();
        assertThat(result.took(CollectorName.ELBV2_TARGETS)).isEqualTo(Duration.ofSeconds(25));
        assertThat(slow.runs).hasValue(1);

        // Over: the next cycle starts it again.
        stillRunning.clear();
        slow.takes = Duration.ZERO;
        slow.release = new CountDownLatch(1);
        TargetCycle.CycleRun third = cycle.run(clock.instant().plus(TIMEOUT));
        assertThat(third.result().pending()).containsExactly(CollectorName.ELBV2_TARGETS);
        assertThat(stillRunning).isEmpty();
        slow.release.countDown();
        assertThat(third.late().get(CollectorName.ELBV2_TARGETS).get(10, TimeUnit.SECONDS).succeeded())
                .containsOnlyKeys(CollectorName.ELBV2_TARGETS);
        assertThat(slow.runs).hasValue(2);
    }

    @Test
    void aPartThatEndsWithinTheSequenceJoinsTheCyclesResult() {
        SlowBesidePart slow = new SlowBesidePart();
        slow.release.countDown();
        TargetCycle cycle = new TargetCycle(TARGET, List.of(sequencePart(), slow), null, null, null,
                new QuerySchedule(OpsGateConfig.CostAware.DEFAULT.withEnabled(false), Duration.ofMinutes(5)),
                OpsGateConfig.CostAware.DEFAULT.withEnabled(false), (reason, n) -> { }, clock, Runnable::run,
                RequestPacer.realTime(1_000), stillRunning::add);
        TargetCycle.CycleRun run = cycle.run(clock.instant().plus(TIMEOUT));
        assertThat(run.result().succeeded()).containsOnlyKeys(CollectorName.EBS, CollectorName.ELBV2_TARGETS);
        assertThat(run.result().pending()).isEmpty();
        assertThat(run.late()).isEmpty();
    }

    @Test
    void aPartStillRunningPastTheDeadlineFailsInItsLateResult() throws Exception {
        SlowBesidePart slow = new SlowBesidePart();
        TargetCycle cycle = cycle(slow);
        TargetCycle.CycleRun run = cycle.run(clock.instant().plus(TIMEOUT));
        assertThat(run.result().succeeded()).containsOnlyKeys(CollectorName.EBS);

        slow.takes = TIMEOUT.plusSeconds(1);
        slow.release.countDown();
        CycleResult result = run.late().get(CollectorName.ELBV2_TARGETS).get(10, TimeUnit.SECONDS);
        assertThat(result.succeeded()).isEmpty();
        assertThat(result.failed()).containsOnlyKeys(CollectorName.ELBV2_TARGETS);
        assertThat(result.failed().get(CollectorName.ELBV2_TARGETS)).startsWith("CycleTimeoutException");
        assertThat(Map.copyOf(result.tookByPart())).isEmpty();
    }
}
