package io.opsgate.collect;

import io.opsgate.aws.RegionClients;
import io.opsgate.config.CollectorName;
import io.opsgate.config.OpsGateConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection cycle of one (account, region). Blocking: runs on a worker thread. Each {@link CollectorPart} makes
 * its inventory reads in isolation (one failing leaves the others' results intact; reads two parts share are made
 * once, see {@link CycleInventory}); the CloudWatch reads of all parts are planned together so the whole target
 * costs ⌈queries/500⌉ GetMetricData calls. The deadline is checked before each part and, inside the CloudWatch step,
 * before each call: a part whose step it stops fails and keeps its previous data in the snapshot.
 *
 * <p>Parts that are {@link CollectorPart#beside()} (Route 53 and ELBv2 target health, whose calls are paced to their
 * APIs' rate limits) are planned and built on a thread of their own from the start of the cycle. They share this
 * cycle's {@link CycleInventory} (thread-safe) and get its deadline, but the cycle does not wait for them: its result
 * is made when the other parts' sequence is done, so the EBS and EC2 data that alerts read is never held back by a
 * rate-limited API. A beside part that ended by then joins that result; one still running is pending in it (its last
 * families stay in the snapshot) and delivers a result of its own when it ends ({@link CycleRun#late()}).
 */
final class TargetCycle {
    private static final Logger LOG = LoggerFactory.getLogger(TargetCycle.class);

    private final TargetKey target;
    private final List<CollectorPart> parts;
    private final RegionClients clients;
    private final Ec2Reader ec2;
    private final CloudWatchFetcher cloudWatch;
    private final QuerySchedule schedule;
    private final OpsGateConfig.CostAware costAware;
    private final ObjIntConsumer<QuerySchedule.Skip> skipped;
    private final Clock clock;
    private final Executor beside;
    private final RequestPacer elbv2Pacer;
    /** A beside part's task of the last cycle, kept until it is over (a part runs one cycle at a time). */
    private final Map<CollectorName, CompletableFuture<BesideRun>> besideRunning = new EnumMap<>(CollectorName.class);
    private final Consumer<CollectorName> stillRunning;

    /** A cycle that requests every query every cycle (cost-aware polling off), for tests of the parts. */
    TargetCycle(TargetKey target, List<? extends CollectorPart> parts, RegionClients clients, Ec2Reader ec2,
                CloudWatchFetcher cloudWatch, Clock clock) {
        this(target, List.copyOf(parts), clients, ec2, cloudWatch,
                new QuerySchedule(OpsGateConfig.CostAware.DEFAULT.withEnabled(false), java.time.Duration.ofMinutes(5)),
                OpsGateConfig.CostAware.DEFAULT.withEnabled(false), (reason, n) -> { }, clock, Runnable::run,
                RequestPacer.realTime(1_000_000), name -> { });
    }

    /**
     * @param parts    the enabled collectors' parts, in the order their reads should run
     * @param schedule this target's CloudWatch schedule, kept across cycles
     * @param skipped  told how many queries were not requested this cycle, by reason
     * @param beside   runs the parts that are {@link CollectorPart#beside()}, a thread free for each of them
     *                 ({@code Runnable::run}: in the caller's thread, before the others)
     * @param elbv2Pacer paces every ELBv2 call of this (account, region), kept across cycles
     * @param stillRunning told of a beside part not started because its previous run is still going
     */
    TargetCycle(TargetKey target, List<CollectorPart> parts, RegionClients clients, Ec2Reader ec2,
                CloudWatchFetcher cloudWatch, QuerySchedule schedule, OpsGateConfig.CostAware costAware,
                ObjIntConsumer<QuerySchedule.Skip> skipped, Clock clock, Executor beside, RequestPacer elbv2Pacer,
                Consumer<CollectorName> stillRunning) {
        this.beside = beside;
        this.stillRunning = stillRunning;
        this.elbv2Pacer = elbv2Pacer;
        this.target = target;
        this.parts = List.copyOf(parts);
        this.clients = clients;
        this.ec2 = ec2;
        this.cloudWatch = cloudWatch;
        this.schedule = schedule;
        this.costAware = costAware;
        this.skipped = skipped;
        this.clock = clock;
    }

    /**
     * One cycle: the sequence's result as soon as the sequence is done, with the beside parts that ended by then; each
     * beside part still running is {@link CycleResult#pending()} and its result comes later, in {@link CycleRun#late()}.
     */
    CycleRun run(Instant deadline) {
        Instant started = clock.instant();
        Map<CollectorName, String> failed = new EnumMap<>(CollectorName.class);
        Map<CollectorName, List<MetricFamily>> succeeded = new EnumMap<>(CollectorName.class);
        CycleInventory inventory = new CycleInventory(clients, ec2, elbv2Pacer, deadline, clock);

        Set<CollectorName> pending = EnumSet.noneOf(CollectorName.class);
        Map<CollectorName, CompletableFuture<BesideRun>> besides = startBeside(inventory, started, failed, pending);
        Map<CollectorName, CollectorPart.PartPlan> plans = new LinkedHashMap<>();
        for (CollectorPart part : parts) {
            if (part.beside()) {
                continue;
            }
            try {
                checkDeadline(deadline);
                CollectorPart.PartPlan plan = part.plan(inventory, started);
                if (plan != CollectorPart.PartPlan.notDue()) {
                    plans.put(part.name(), plan);
                }
            } catch (RuntimeException e) {
                String reason = describe(e);
                LOG.warn("{}/{} {}: {}", target.accountId(), target.region(), part.name().key(), reason);
                failed.put(part.name(), reason);
            }
        }
        Map<MetricQuery, Double> values = readCloudWatch(plans, inventory, started, failed, deadline);
        for (Map.Entry<CollectorName, CollectorPart.PartPlan> e : plans.entrySet()) {
            if (failed.containsKey(e.getKey())) {
                continue;
            }
            try {
                succeeded.put(e.getKey(), e.getValue().build(values));
            } catch (RuntimeException ex) {
                String reason = describe(ex);
                LOG.warn("{}/{} {}: {}", target.accountId(), target.region(), e.getKey().key(), reason);
                failed.put(e.getKey(), reason);
            }
        }
        Map<CollectorName, Duration> took = new EnumMap<>(CollectorName.class);
        Map<CollectorName, CompletableFuture<CycleResult>> late = new EnumMap<>(CollectorName.class);
        besides.forEach((name, task) -> {
            if (task.isDone()) {
                // Ended within the sequence: it joins this result, as a part of the sequence would.
                addEnded(name, task, started, succeeded, failed, took);
            } else {
                pending.add(name);
                late.put(name, task.handle((run, error) -> lateResult(name, run, error, started, inventory)));
            }
        });
        CycleResult result = new CycleResult(target, succeeded, failed, Duration.between(started, clock.instant()),
                inventory.instancesIfRead(), inventory.databasesIfRead(), inventory.loadBalancersIfRead(),
                inventory.targetGroupHealthIfRead(), took, pending, false);
        return new CycleRun(result, late);
    }

    /**
     * A cycle's result, and a future for each beside part that was still running when it was made: that part's own
     * result, completed on the part's thread when it ends (null if the part turned out not to be due).
     */
    record CycleRun(CycleResult result, Map<CollectorName, CompletableFuture<CycleResult>> late) {
        CycleRun {
            late = Map.copyOf(late);
        }
    }

    /** What a beside part's run ended with: its families (null when it was not due) and when it ended. */
    private record BesideRun(List<MetricFamily> families, Instant ended) {
    }

    /** The result of a beside part that ended after its cycle's result; it carries the cycle's reads as they are now. */
    private CycleResult lateResult(CollectorName name, BesideRun run, Throwable error, Instant started,
                                   CycleInventory inventory) {
        if (error == null && run.families() == null) {
            return null;
        }
        Map<CollectorName, List<MetricFamily>> succeeded = new EnumMap<>(CollectorName.class);
        Map<CollectorName, String> failed = new EnumMap<>(CollectorName.class);
        Map<CollectorName, Duration> took = new EnumMap<>(CollectorName.class);
        CompletableFuture<BesideRun> ended = error == null ? CompletableFuture.completedFuture(run)
                : CompletableFuture.<BesideRun>failedFuture(error);
        addEnded(name, ended, started, succeeded, failed, took);
        return new CycleResult(target, succeeded, failed, Duration.between(started, clock.instant()),
                inventory.instancesIfRead(), inventory.databasesIfRead(), inventory.loadBalancersIfRead(),
                inventory.targetGroupHealthIfRead(), took, Set.of(), true);
    }

    /** Puts a beside part's ended run into a result's maps. */
    private void addEnded(CollectorName name, CompletableFuture<BesideRun> task, Instant started,
                          Map<CollectorName, List<MetricFamily>> succeeded, Map<CollectorName, String> failed,
                          Map<CollectorName, Duration> took) {
        try {
            BesideRun run = task.join();
            if (run.families() != null) {
                succeeded.put(name, run.families());
                took.put(name, Duration.between(started, run.ended()));
            }
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String reason = describe(cause);
            LOG.warn("{}/{} {}: {}", target.accountId(), target.region(), name.key(), reason);
            failed.put(name, reason);
        }
    }

    /**
     * Requests what the schedule finds due, in ⌈due/500⌉ calls, and fills the rest from the values last read. A failed
     * GetMetricData step fails only the parts that asked for CloudWatch data.
     */
    private Map<MetricQuery, Double> readCloudWatch(Map<CollectorName, CollectorPart.PartPlan> plans,
                                                    CycleInventory inventory, Instant now,
                                                    Map<CollectorName, String> failed, Instant deadline) {
        List<MetricQuery> all = new ArrayList<>();
        List<CollectorName> asking = new ArrayList<>();
        plans.forEach((name, plan) -> {
            if (!plan.queries().isEmpty()) {
                all.addAll(plan.queries());
                asking.add(name);
            }
        });
        if (all.isEmpty()) {
            return Map.of();
        }
        QuerySchedule.Decision decision = schedule.plan(all, costAware.enabled()
                ? CloudWatchBuckets.of(all, inventory, costAware) : Map.of(), now);
        try {
            checkDeadline(deadline);
            Map<MetricQuery, CloudWatchFetcher.Datapoint> read = decision.due().isEmpty() ? Map.of()
                    : cloudWatch.fetchNewestDatapoints(decision.due(), deadline);
            schedule.record(decision.due(), read, now);
            decision.skipped().forEach(skipped::accept);
            Map<MetricQuery, Double> values = new HashMap<>(decision.carried());
            read.forEach((q, d) -> values.put(q, d.value()));
            return values;
        } catch (RuntimeException e) {
            String reason = "GetMetricData: " + describe(e);
            LOG.warn("{}/{}: {}", target.accountId(), target.region(), reason);
            asking.forEach(c -> failed.put(c, reason));
            return Map.of();
        }
    }

    /**
     * Starts every beside part. A part whose previous run is still going (AWS's pace needs longer than the interval)
     * is not started again: it keeps its last families, is pending in this result, and {@link #stillRunning} is told;
     * its running task still delivers its own result when it ends.
     */
    private Map<CollectorName, CompletableFuture<BesideRun>> startBeside(CycleInventory inventory, Instant now,
                                                                        Map<CollectorName, String> failed,
                                                                        Set<CollectorName> pending) {
        Map<CollectorName, CompletableFuture<BesideRun>> started = new EnumMap<>(CollectorName.class);
        for (CollectorPart part : parts) {
            if (!part.beside()) {
                continue;
            }
            CompletableFuture<BesideRun> previous = besideRunning.get(part.name());
            if (previous != null && !previous.isDone()) {
                LOG.info("{}/{} {}: its previous run is still going; not started again, its last data is served",
                        target.accountId(), target.region(), part.name().key());
                pending.add(part.name());
                stillRunning.accept(part.name());
                continue;
            }
            CompletableFuture<BesideRun> task;
            try {
                task = CompletableFuture.supplyAsync(() -> {
                    checkDeadline(inventory.deadline());
                    CollectorPart.PartPlan plan = part.plan(inventory, now);
                    if (plan == CollectorPart.PartPlan.notDue()) {
                        return new BesideRun(null, clock.instant());
                    }
                    if (!plan.queries().isEmpty()) {
                        throw new IllegalStateException(part.name().key() + " runs beside the cycle but asked for"
                                + " CloudWatch queries");
                    }
                    List<MetricFamily> families = plan.build(Map.of());
                    // Its paced reads check the deadline before each call; a run that went on past it fails here too.
                    checkDeadline(inventory.deadline());
                    return new BesideRun(families, clock.instant());
                }, beside);
            } catch (RejectedExecutionException e) {
                failed.put(part.name(), describe(e));
                continue;
            }
            besideRunning.put(part.name(), task);
            started.put(part.name(), task);
        }
        return started;
    }

    private void checkDeadline(Instant deadline) {
        if (clock.instant().isAfter(deadline)) {
            throw new CycleTimeoutException("cycle timeout exceeded");
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
