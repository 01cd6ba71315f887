package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tags} collector: the required tags checked on every volume, instance, RDS DB instance and load
 * balancer of the target. Volumes and instances are the reads the EBS and EC2 collectors make (shared through
 * {@link CycleInventory}); DescribeDBInstances, DescribeLoadBalancers and DescribeTags (20 load balancers per call)
 * are shared reads too, and discovery reuses the first two. No CloudWatch query.
 */
final class TagPart implements CollectorPart {
    private final TargetKey target;
    private final List<String> required;

    TagPart(TargetKey target, List<String> required) {
        this.target = target;
        this.required = List.copyOf(required);
    }

    @Override
    public CollectorName name() {
        return CollectorName.TAGS;
    }

    @Override
    public PartPlan plan(CycleInventory inventory, Instant now) {
        List<TagFamilies.Resource> resources = new ArrayList<>();
        resources.addAll(TagFamilies.volumes(inventory.volumes()));
        resources.addAll(TagFamilies.instances(inventory.instances()));
        resources.addAll(TagFamilies.databases(inventory.databases()));
        resources.addAll(TagFamilies.loadBalancers(inventory.loadBalancers(), inventory.loadBalancerTags()));
        return PartPlan.of(List.of(), values -> TagFamilies.build(target, required, resources));
    }
}
