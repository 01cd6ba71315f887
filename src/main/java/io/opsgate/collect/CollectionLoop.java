package io.opsgate.collect;

import io.opsgate.aws.AwsClientFactory;
import io.opsgate.config.CollectorName;
import io.opsgate.config.OpsGateConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules one fixed-rate cycle per (account, region), with a random first delay so that many targets
 * do not hit AWS in the same second. Cycles run on a bounded worker pool; scrapes never wait for them. Their
 * GetMetricData calls run on a second pool with a thread for each call the running cycles may have in flight
 * ({@code concurrency × cloudwatch.concurrency}), so a cycle's calls never queue behind another cycle's; likewise a
 * pool for the parts that run beside a cycle's sequence (route53, elbv2_targets) and one for DescribeTargetHealth.
 */
public final class CollectionLoop {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionLoop.class);

    private final Vertx vertx;
    private final OpsGateConfig.Collection settings;
    private final SnapshotStore store;
    private final CollectionMetrics metrics;
    private final Clock clock;
    private final Consumer<Snapshot> onSnapshot;
    private final List<CollectionTarget> targets = new ArrayList<>();
    /** Each target's periodic timer, by target id; replaced when a replica takes a target over (see collectIn). */
    private final Map<String, Long> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopped;
    private final TargetAssignment assignment;
    private final Random jitter;
    private final ThreadPoolExecutor cloudWatchCalls;
    private final ThreadPoolExecutor besideParts;
    private final ThreadPoolExecutor elbv2Calls;
    /** Beside parts' results not recorded yet, one future per cycle that had some. */
    private final java.util.Set<Future<Void>> lateRecords = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private WorkerExecutor workers;

    public CollectionLoop(Vertx vertx, OpsGateConfig config, AwsClientFactory factory, SnapshotStore store,
                          CollectionMetrics metrics, Clock clock, Random jitter, Consumer<Snapshot> onSnapshot) {
        this(vertx, config, factory, store, metrics, clock, jitter, onSnapshot, CycleListener.NONE);
    }

    /** @param listener runs after each cycle of each target, on its worker thread (the discovery inventory) */
    public CollectionLoop(Vertx vertx, OpsGateConfig config, AwsClientFactory factory, SnapshotStore store,
                          CollectionMetrics metrics, Clock clock, Random jitter, Consumer<Snapshot> onSnapshot,
                          CycleListener listener) {
        this(vertx, config, factory, store, metrics, clock, jitter, onSnapshot, listener, TargetAssignment.ALL);
    }

    /** @param assignment which targets this process collects (several replicas share them), told of each result */
    public CollectionLoop(Vertx vertx, OpsGateConfig config, AwsClientFactory factory, SnapshotStore store,
                          CollectionMetrics metrics, Clock clock, Random jitter, Consumer<Snapshot> onSnapshot,
                          CycleListener listener, TargetAssignment assignment) {
        this.vertx = vertx;
        this.assignment = assignment;
        this.settings = config.collection();
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.jitter = jitter;
        this.onSnapshot = onSnapshot;
        this.cloudWatchCalls = pool("opsgate-cloudwatch-", settings.concurrency() * settings.cloudWatchConcurrency());
        // Two parts of a target may run beside its sequence (route53, elbv2_targets); each cycle running may need both.
        this.besideParts = pool("opsgate-beside-", settings.concurrency() * BESIDE_PARTS);
        this.elbv2Calls = pool("opsgate-elbv2-", settings.concurrency() * Math.max(1, settings.elbv2Targets().concurrency() - 1));
        for (OpsGateConfig.Account account : config.accounts()) {
            AccountContext context = new AccountContext(account, factory);
            String route53Region = route53Region(account.regions());
            for (String region : account.regions()) {
                targets.add(new CollectionTarget(context, region, factory, settings, metrics, clock, listener,
                        cloudWatchCalls, config.aws().apiCallTimeout(), region.equals(route53Region), besideParts,
                        elbv2Calls));
            }
        }
    }

    /**
     * The region whose target collects the account's Route 53 health checks, once per cycle whatever the number of
     * regions (Route 53 is global): us-east-1 when configured, where the AWS/Route53 metrics live, so that they fold
     * into that target's batched GetMetricData plan; else the account's first region, which then reads them from
     * us-east-1 in calls of its own.
     */
    static String route53Region(List<String> regions) {
        return regions.contains("us-east-1") ? "us-east-1" : regions.get(0);
    }

    public void start() {
        workers = vertx.createSharedWorkerExecutor("opsgate-collect", settings.concurrency(),
                settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        long interval = settings.interval().toMillis();
        for (CollectionTarget target : targets) {
            long firstDelay = 1 + (long) (jitter.nextDouble() * settings.jitter() * interval);
            timers.put(target.id(), vertx.setPeriodic(firstDelay, interval, id -> tick(target)));
        }
        LOG.info("collecting {} target(s) every {}s", targets.size(), settings.interval().toSeconds());
    }

    public void stop() {
        stopped = true;
        timers.values().forEach(vertx::cancelTimer);
        timers.clear();
        if (workers != null) {
            workers.close();
        }
        cloudWatchCalls.shutdownNow();
        besideParts.shutdownNow();
        elbv2Calls.shutdownNow();
    }

    /** The parts of one target that may run beside its sequence: route53 and elbv2_targets. */
    private static final int BESIDE_PARTS = 2;

    /** Threads are made on demand and end after a minute idle, so a quiet service holds none between cycles. */
    private static ThreadPoolExecutor pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Ready once every target has finished its first cycle, whatever the outcome, here or (several replicas) on the
     * replica that collects it; here, a first cycle ends when its beside parts have recorded their results too, so a
     * replica that has just started serves every collector's first data when it reports ready.
     */
    public boolean ready() {
        return targets.stream().allMatch(t -> t.attempted() || assignment.attemptedElsewhere(t.id()));
    }

    /** The configured targets' ids (account name/region), as leases and published results name them. */
    public List<String> targetIds() {
        return targets.stream().map(CollectionTarget::id).toList();
    }

    /**
     * Moves the target's schedule so that its next cycle starts in {@code delayMillis} (at once when 0) and the
     * following ones every interval from there: a replica that takes a target over keeps the cadence of the previous
     * holder (its next cycle an interval after the last published one) instead of its own timer's phase, which could
     * collect the target twice within an interval or leave it uncollected for almost two.
     */
    public void collectIn(String targetId, long delayMillis) {
        for (CollectionTarget target : targets) {
            if (target.id().equals(targetId) && !stopped && workers != null) {
                long interval = settings.interval().toMillis();
                Long previous = timers.put(targetId, vertx.setPeriodic(Math.max(1, delayMillis), interval,
                        id -> tick(target)));
                if (previous != null) {
                    vertx.cancelTimer(previous);
                }
                if (stopped) { // stop() ran meanwhile and may have missed the new timer
                    timers.values().forEach(vertx::cancelTimer);
                }
            }
        }
    }

    /** Runs one cycle of every target now (targets already running are skipped); for tests and benchmarks. */
    public Future<Void> runAllOnce() {
        List<Future<Void>> runs = new ArrayList<>();
        for (CollectionTarget target : targets) {
            runs.add(tick(target));
        }
        return Future.all(runs).mapEmpty();
    }

    /**
     * Completes when every result of a beside part running now has been recorded (for tests and benchmarks: a cycle's
     * own future completes with its sequence's result).
     */
    public Future<Void> besideRecorded() {
        return Future.join(List.copyOf(lateRecords)).mapEmpty();
    }

    private Future<Void> tick(CollectionTarget target) {
        if (workers == null || !assignment.claim(target.id())) {
            return Future.succeededFuture(); // not started yet or stopped, or another replica collects this target
        }
        if (!target.tryStart()) {
            // The cycle still running holds the claim; its end tells the assignment.
            metrics.skipped(target.provisionalKey());
            LOG.warn("{}: previous cycle still running; skipping this one", target.provisionalKey());
            return Future.succeededFuture();
        }
        target.openClaim();
        Context context = vertx.getOrCreateContext();
        return workers.executeBlocking(target::runCycle, false)
                .onSuccess(run -> {
                    try {
                        record(target, run.result());
                    } finally {
                        recordLate(target, run, context);
                    }
                })
                .onFailure(e -> {
                    LOG.warn("{}: cycle failed: {}", target.provisionalKey(), e.toString());
                    metrics.targetFailed(target.provisionalKey(), settings.collectors());
                    assignment.failed(target.id());
                    target.markAttempted();
                    closeClaim(target);
                })
                .onComplete(ar -> target.finished())
                .<Void>mapEmpty()
                .otherwiseEmpty();
    }

    /**
     * The assignment is told a claimed cycle has finished once its beside parts have recorded too, so that a lease is
     * not handed over while their results are still to be published; a next cycle may have started meanwhile (their
     * previous run still going), hence a count.
     */
    private void closeClaim(CollectionTarget target) {
        if (target.closeClaim()) {
            assignment.finished(target.id());
        }
    }

    /**
     * Records each beside part's result when it ends, after the cycle's own (so on the same context, in order): a
     * second record into the snapshot, the metrics and the assignment for that target.
     */
    private void recordLate(CollectionTarget target, TargetCycle.CycleRun run, Context context) {
        if (run.late().isEmpty()) {
            target.markAttempted();
            closeClaim(target);
            return;
        }
        List<Future<Void>> recorded = new ArrayList<>();
        run.late().forEach((name, future) -> {
            Promise<Void> done = Promise.promise();
            future.whenComplete((result, error) -> context.runOnContext(v -> {
                try {
                    if (error != null) {
                        LOG.warn("{}: {} ended without a result: {}", target.provisionalKey(), name.key(), error.toString());
                    } else if (result != null) {
                        record(target, result);
                    }
                } finally {
                    done.complete();
                }
            }));
            recorded.add(done.future());
        });
        Future<Void> all = Future.join(recorded).mapEmpty();
        lateRecords.add(all);
        all.onComplete(ar -> {
            lateRecords.remove(all);
            target.markAttempted();
            closeClaim(target);
        });
    }

    private void record(CollectionTarget target, CycleResult result) {
        Map<CollectorKey, List<MetricFamily>> succeeded = new java.util.HashMap<>();
        for (Map.Entry<CollectorName, List<MetricFamily>> e : result.succeeded().entrySet()) {
            succeeded.put(new CollectorKey(e.getKey(), result.target()), e.getValue());
        }
        Snapshot snapshot = store.record(result.target(), succeeded);
        java.time.Instant finishedAt = clock.instant();
        metrics.recorded(result, finishedAt);
        onSnapshot.accept(snapshot);
        assignment.recorded(target.id(), result, snapshot, finishedAt);
    }
}
