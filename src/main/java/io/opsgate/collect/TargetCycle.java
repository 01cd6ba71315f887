package io.opsgate.collect;

import io.opsgate.aws.RegionClients;
import io.opsgate.config.CollectorName;
import io.opsgate.config.OpsGateConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection cycle of one (account, region). Blocking: runs on a worker thread. Each {@link CollectorPart} makes
 * its inventory reads in isolation (one failing leaves the others' results intact; reads two parts share are made
 * once, see {@link CycleInventory}); the CloudWatch reads of all parts are planned together so the whole target
 * costs ⌈queries/500⌉ GetMetricData calls. The deadline is checked before each part and, inside the CloudWatch step,
 * before each call: a part whose step it stops fails and keeps its previous data in the snapshot.
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

    /** A cycle that requests every query every cycle (cost-aware polling off), for tests of the parts. */
    TargetCycle(TargetKey target, List<? extends CollectorPart> parts, RegionClients clients, Ec2Reader ec2,
                CloudWatchFetcher cloudWatch, Clock clock) {
        this(target, List.copyOf(parts), clients, ec2, cloudWatch,
                new QuerySchedule(OpsGateConfig.CostAware.DEFAULT.withEnabled(false), java.time.Duration.ofMinutes(5)),
                OpsGateConfig.CostAware.DEFAULT.withEnabled(false), (reason, n) -> { }, clock);
    }

    /**
     * @param parts    the enabled collectors' parts, in the order their reads should run
     * @param schedule this target's CloudWatch schedule, kept across cycles
     * @param skipped  told how many queries were not requested this cycle, by reason
     */
    TargetCycle(TargetKey target, List<CollectorPart> parts, RegionClients clients, Ec2Reader ec2,
                CloudWatchFetcher cloudWatch, QuerySchedule schedule, OpsGateConfig.CostAware costAware,
                ObjIntConsumer<QuerySchedule.Skip> skipped, Clock clock) {
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

    CycleResult run(Instant deadline) {
        Instant started = clock.instant();
        Map<CollectorName, String> failed = new EnumMap<>(CollectorName.class);
        Map<CollectorName, List<MetricFamily>> succeeded = new EnumMap<>(CollectorName.class);
        CycleInventory inventory = new CycleInventory(clients, ec2);

        Map<CollectorName, CollectorPart.PartPlan> plans = new LinkedHashMap<>();
        for (CollectorPart part : parts) {
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
        return new CycleResult(target, succeeded, failed, Duration.between(started, clock.instant()),
                inventory.instancesIfRead(), inventory.databasesIfRead(), inventory.loadBalancersIfRead(),
                inventory.targetGroupHealthIfRead());
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
