package io.opsgate.collect;

import io.opsgate.aws.RegionClients;
import io.opsgate.config.CollectorName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final Clock clock;

    /** @param parts the enabled collectors' parts, in the order their reads should run */
    TargetCycle(TargetKey target, List<CollectorPart> parts, RegionClients clients, Ec2Reader ec2,
                CloudWatchFetcher cloudWatch, Clock clock) {
        this.target = target;
        this.parts = List.copyOf(parts);
        this.clients = clients;
        this.ec2 = ec2;
        this.cloudWatch = cloudWatch;
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
        Map<MetricQuery, Double> values = readCloudWatch(plans, failed, deadline);
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
                inventory.instancesIfRead(), inventory.databasesIfRead(), inventory.loadBalancersIfRead());
    }

    /** A failed GetMetricData step fails only the parts that asked for CloudWatch data. */
    private Map<MetricQuery, Double> readCloudWatch(Map<CollectorName, CollectorPart.PartPlan> plans,
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
        try {
            checkDeadline(deadline);
            return cloudWatch.fetchNewest(all, deadline);
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
