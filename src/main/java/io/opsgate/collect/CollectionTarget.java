package io.opsgate.collect;

import io.opsgate.aws.AwsClientFactory;
import io.opsgate.aws.RegionClients;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.config.CollectorName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/** One scheduled (account, region): builds its clients on first use and runs cycles, never two at once. */
final class CollectionTarget {
    /** ListServiceQuotas' own limit in AWS. */
    private static final double QUOTAS_REQUESTS_PER_SECOND = 10;
    private final AccountContext account;
    private final String region;
    private final AwsClientFactory factory;
    private final OpsGateConfig.Collection settings;
    private final CollectionMetrics metrics;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Set once the first cycle has ended, its beside parts included (readiness covers every part's first data). */
    private final AtomicBoolean attempted = new AtomicBoolean();
    private final CycleListener listener;
    private final Executor cloudWatchCalls;
    private final Duration apiCallTimeout;
    private final boolean collectsRoute53;
    private final Executor besideParts;
    private final Executor elbv2Calls;
    private TargetCycle cycle;
    private RegionClients clients;
    /** Every ELBv2 call of this (account, region): the collectors' and discovery's. */
    private RequestPacer elbv2Pacer;

    /**
     * @param cloudWatchCalls runs this target's GetMetricData calls (up to {@code cloudwatch.concurrency} at once)
     * @param apiCallTimeout  the AWS clients' limit for one call
     * @param collectsRoute53 whether this target collects its account's Route 53 health checks (one per account)
     * @param besideParts     runs the parts that run beside the others' sequence (route53, elbv2_targets), a thread
     *                        free for each
     * @param elbv2Calls      runs this target's DescribeTargetHealth calls beyond the first (up to
     *                        {@code elbv2_targets.concurrency - 1} at once)
     */
    CollectionTarget(AccountContext account, String region, AwsClientFactory factory,
                     OpsGateConfig.Collection settings, CollectionMetrics metrics, Clock clock, CycleListener listener,
                     Executor cloudWatchCalls, Duration apiCallTimeout, boolean collectsRoute53, Executor besideParts,
                     Executor elbv2Calls) {
        this.collectsRoute53 = collectsRoute53;
        this.besideParts = besideParts;
        this.elbv2Calls = elbv2Calls;
        this.listener = listener;
        this.cloudWatchCalls = cloudWatchCalls;
        this.apiCallTimeout = apiCallTimeout;
        this.account = account;
        this.region = region;
        this.factory = factory;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Claims the target for one cycle; false if the previous cycle is still running. */
    boolean tryStart() {
        return running.compareAndSet(false, true);
    }

    /** The cycle's sequence is over: the next cycle may start (a beside part still running is not started twice). */
    void finished() {
        running.set(false);
    }

    /** Cycles claimed from the assignment and not yet over, beside parts included. */
    private final java.util.concurrent.atomic.AtomicInteger openClaims = new java.util.concurrent.atomic.AtomicInteger();

    void openClaim() {
        openClaims.incrementAndGet();
    }

    /** @return true when no claimed cycle of the target is left running (the assignment may be told it finished) */
    boolean closeClaim() {
        return openClaims.decrementAndGet() == 0;
    }

    /** The first cycle has ended, beside parts included. */
    void markAttempted() {
        attempted.set(true);
    }

    boolean attempted() {
        return attempted.get();
    }

    /** The target's name in leases and published results: the configured account name and the region. */
    String id() {
        return idOf(account.account(), region);
    }

    static String idOf(OpsGateConfig.Account account, String region) {
        return account.name() + "/" + region;
    }

    TargetKey provisionalKey() {
        return new TargetKey(account.knownIdOrName(), region);
    }

    /** Seconds of requests the ELBv2 pacer lets go at once: AWS's Describe* bucket holds 40 at 10 a second. */
    static final double ELBV2_BURST_SECONDS = 4;

    static int elbv2Burst(double requestsPerSecond) {
        return Math.max(1, (int) Math.floor(requestsPerSecond * ELBV2_BURST_SECONDS));
    }

    /**
     * Blocking. Must be called only between a successful {@link #tryStart()} and {@link #finished()}. The listener is
     * told of the cycle's result here, and of each late result of a beside part on that part's thread before its
     * future completes.
     */
    TargetCycle.CycleRun runCycle() {
        Instant deadline = clock.instant().plus(settings.timeout());
        TargetCycle.CycleRun run = cycle().run(deadline);
        Elbv2Reads elbv2 = new PacedElbv2Reads(clients.elbv2(), elbv2Pacer, deadline, clock);
        listener.afterCycle(run.result().target(), clients, run.result(), deadline, elbv2);
        Map<CollectorName, CompletableFuture<CycleResult>> late = new EnumMap<>(CollectorName.class);
        RegionClients cycleClients = clients;
        run.late().forEach((name, future) -> late.put(name, future.thenApply(result -> {
            if (result != null) {
                listener.afterCycle(result.target(), cycleClients, result, deadline, elbv2);
            }
            return result;
        })));
        return new TargetCycle.CycleRun(run.result(), late);
    }

    /**
     * The enabled collectors' parts, made once per target so that a part may keep state between cycles (a slower
     * schedule, the last values). A new collector adds its line here.
     */
    private List<CollectorPart> parts(TargetKey key, RequestPacer elbv2Pacer) {
        List<CollectorPart> parts = new ArrayList<>();
        if (settings.collectors().contains(CollectorName.EBS)) {
            parts.add(CorePart.ebs(key));
        }
        if (settings.collectors().contains(CollectorName.EC2)) {
            parts.add(CorePart.ec2(key));
        }
        if (settings.collectors().contains(CollectorName.EC2_STATUS)) {
            parts.add(CorePart.status(key));
        }
        // Before the quotas: the snapshots-per-Region count reuses the DescribeSnapshots this part makes.
        if (settings.collectors().contains(CollectorName.SNAPSHOTS)) {
            parts.add(new SnapshotPart(key, settings.snapshots().interval(), settings.interval()));
        }
        if (settings.collectors().contains(CollectorName.QUOTAS)) {
            parts.add(new QuotaPart(key, settings.quotas(), settings.interval(), settings.cloudWatchWindow(),
                    inventory -> new QuotaLister(inventory.clients().serviceQuotas(), settings.quotas().serviceCodes(),
                            RequestPacer.realTime(QUOTAS_REQUESTS_PER_SECOND))));
        }
        if (settings.collectors().contains(CollectorName.TAGS)) {
            parts.add(new TagPart(key, settings.requiredTags()));
        }
        if (settings.collectors().contains(CollectorName.ELBV2_TARGETS)) {
            parts.add(new Elbv2TargetsPart(key, new TargetHealthReader(elbv2Pacer, elbv2Calls,
                    settings.elbv2Targets().concurrency(), clock)));
        }
        if (collectsRoute53 && settings.collectors().contains(CollectorName.ROUTE53)) {
            // One pacer per account: this is the account's only Route 53 caller.
            RequestPacer pacer = RequestPacer.realTime(settings.route53().requestsPerSecond());
            // Calls of its own to CloudWatch in us-east-1 (the target's own client when it is us-east-1), so that the
            // part runs beside the regional reads rather than waiting for the batched plan and then holding the cycle
            // for its paced GetHealthCheckStatus calls. At most one GetMetricData call more than a joint batch; the
            // same metrics requested, so the same cost.
            parts.add(new Route53Part(key, settings.route53(),
                    inventory -> new Route53Reader(inventory.clients().route53(), pacer, Route53Reader.MAX_PAGE),
                    inventory -> new CloudWatchFetcher(inventory.clients().usEast1CloudWatch(),
                            settings.cloudWatchPeriod(), settings.cloudWatchWindow(), clock,
                            count -> metrics.metricsRequested(new TargetKey(key.accountId(), "us-east-1"), count), cloudWatchCalls,
                            settings.cloudWatchConcurrency(), apiCallTimeout),
                    settings.timeout(), clock));
        }
        return parts;
    }

    private TargetCycle cycle() {
        if (cycle == null) {
            TargetKey key = new TargetKey(account.accountId(), region);
            clients = factory.clientsFor(key.accountId(), region, account.credentials());
            CloudWatchFetcher fetcher = new CloudWatchFetcher(clients.cloudWatch(), settings.cloudWatchPeriod(),
                    settings.cloudWatchWindow(), clock, count -> metrics.metricsRequested(key, count),
                    cloudWatchCalls, settings.cloudWatchConcurrency(), apiCallTimeout);
            QuerySchedule schedule = new QuerySchedule(settings.costAware(), settings.cloudWatchPeriod());
            // One pacer for every ELBv2 call of the (account, region): AWS throttles them from one bucket.
            double elbv2Rate = settings.elbv2Targets().requestsPerSecond();
            elbv2Pacer = RequestPacer.realTime(elbv2Rate, elbv2Burst(elbv2Rate));
            cycle = new TargetCycle(key, parts(key, elbv2Pacer), clients, new Ec2Reader(clients.ec2()), fetcher,
                    schedule, settings.costAware(), (reason, count) -> metrics.metricsSkipped(key, reason, count), clock,
                    besideParts, elbv2Pacer, name -> metrics.besideSkipped(key, name));
        }
        return cycle;
    }
}
