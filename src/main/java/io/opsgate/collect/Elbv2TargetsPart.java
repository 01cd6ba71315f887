package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Instant;
import java.util.List;

/**
 * The {@code elbv2_targets} collector: DescribeTargetGroups (paged) and DescribeTargetHealth per target group, read
 * once per cycle through {@link CycleInventory} and reused by discovery's elbv2-targets kind; DescribeLoadBalancers is
 * the read the tags collector shares. Both APIs are free; no CloudWatch query. It runs beside the other parts
 * ({@link #beside()}): with 200 target groups and ELBv2's 10 Describe* requests a second its calls take longer than
 * the rest of the cycle, and nothing else waits for them. Throttling keeps the last data, marked stale
 * ({@link TargetHealthReader}).
 */
final class Elbv2TargetsPart implements CollectorPart {
    private final TargetKey target;
    private final TargetHealthReader reader;

    Elbv2TargetsPart(TargetKey target, TargetHealthReader reader) {
        this.target = target;
        this.reader = reader;
    }

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
        var loadBalancers = inventory.loadBalancers();
        var groups = inventory.targetGroupHealth(reader);
        return PartPlan.of(List.of(), values -> Elbv2TargetFamilies.build(target, groups, loadBalancers));
    }
}
