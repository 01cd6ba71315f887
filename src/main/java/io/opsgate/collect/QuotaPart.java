package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import io.opsgate.config.OpsGateConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/**
 * Service Quotas as a collector part. The limits change rarely and ListServiceQuotas allows 10 requests per second,
 * so they are listed on their own schedule ({@code collection.quotas.interval}, {@link SlowSchedule}); usage changes
 * as fast as the fleet, so it is read every cycle against the last limits listed: counted from the inventory where
 * OpsGate can ({@link QuotaUsage}; the snapshot count when DescribeSnapshots is read anyway, and at every listing),
 * else from the quota's own AWS/Usage metric in the cycle's batched GetMetricData plan. A failed listing fails the
 * part (opsgate_collector_up 0, its families kept) and, until a retry succeeds, the part is not due, so its data stays
 * as it was and stays marked stale.
 */
final class QuotaPart implements CollectorPart {
    private final TargetKey target;
    private final Function<CycleInventory, QuotaLister> listers;
    private final SlowSchedule schedule;
    private final Duration window;
    private QuotaLister lister;
    private List<ServiceQuota> quotas;
    private Double snapshotCount;

    /**
     * @param listers makes the lister from the target's clients on first use (the Service Quotas client is lazy)
     * @param window  the GetMetricData window: a rate quota's query period must fit in it
     */
    QuotaPart(TargetKey target, OpsGateConfig.Quotas settings, Duration cycleInterval, Duration window,
              Function<CycleInventory, QuotaLister> listers) {
        this.target = target;
        this.listers = listers;
        this.schedule = new SlowSchedule(settings.interval(), cycleInterval);
        this.window = window;
    }

    @Override
    public CollectorName name() {
        return CollectorName.QUOTAS;
    }

    @Override
    public PartPlan plan(CycleInventory inventory, Instant now) {
        boolean listing = schedule.due(now);
        if (listing) {
            try {
                if (lister == null) {
                    lister = listers.apply(inventory);
                }
                quotas = List.copyOf(lister.list());
                schedule.succeeded(now);
            } catch (RuntimeException e) {
                schedule.failed(now);
                throw e;
            }
        } else if (schedule.stale() || quotas == null) {
            return PartPlan.notDue();
        }
        List<ServiceQuota> current = quotas;
        Map<String, Double> counted = new HashMap<>();
        Map<String, UsageQuery> queried = new HashMap<>();
        for (ServiceQuota q : current) {
            QuotaUsage.Counter counter = QuotaUsage.counter(q.serviceCode(), q.quotaCode());
            if (counter != null) {
                Double count = count(counter, inventory, listing);
                if (count != null) {
                    counted.put(key(q), count);
                }
            } else {
                UsageQuery query = UsageQuery.of(q, window);
                if (query != null) {
                    queried.put(key(q), query);
                }
            }
        }
        List<MetricQuery> queries = new ArrayList<>(queried.size());
        queried.values().forEach(u -> queries.add(u.query()));
        return PartPlan.of(queries, values -> {
            Map<String, Double> usage = new HashMap<>(counted);
            queried.forEach((k, u) -> {
                Double v = values.get(u.query());
                if (v != null) {
                    usage.put(k, v * u.factor());
                }
            });
            return QuotaFamilies.build(target, current, usage, counted.keySet());
        });
    }

    private Double count(QuotaUsage.Counter counter, CycleInventory inventory, boolean listing) {
        return switch (counter.source()) {
            case INSTANCES -> counter.count().applyAsDouble(inventory.instances());
            case VOLUMES -> counter.count().applyAsDouble(inventory.volumes());
            case ADDRESSES -> counter.count().applyAsDouble(inventory.addresses());
            case SNAPSHOTS -> {
                // A full DescribeSnapshots is expensive: counted when it is read anyway, or at each listing.
                var snapshots = listing ? inventory.ownSnapshots() : inventory.ownSnapshotsIfRead();
                if (snapshots != null) {
                    snapshotCount = counter.count().applyAsDouble(snapshots);
                }
                yield snapshotCount;
            }
        };
    }

    static String key(ServiceQuota q) {
        return q.serviceCode() + "/" + q.quotaCode();
    }
}
