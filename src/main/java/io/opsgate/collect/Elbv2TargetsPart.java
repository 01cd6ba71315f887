package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Instant;
import java.util.List;

/**
 * The {@code elbv2_targets} collector: DescribeTargetGroups (paged) and DescribeTargetHealth per target group, read
 * once per cycle through {@link CycleInventory} and reused by discovery's elbv2-targets kind; DescribeLoadBalancers is
 * the read the tags collector shares. Both APIs are free; no CloudWatch query.
 */
final class Elbv2TargetsPart implements CollectorPart {
    private final TargetKey target;

    Elbv2TargetsPart(TargetKey target) {
        this.target = target;
    }

    @Override
    public CollectorName name() {
        return CollectorName.ELBV2_TARGETS;
    }

    @Override
    public PartPlan plan(CycleInventory inventory, Instant now) {
        var loadBalancers = inventory.loadBalancers();
        var groups = inventory.targetGroupHealth();
        return PartPlan.of(List.of(), values -> Elbv2TargetFamilies.build(target, groups, loadBalancers));
    }
}
