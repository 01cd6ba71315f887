package io.opsgate.collect;

import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * One ELBv2 target group with the health of its registered targets, as DescribeTargetGroups and DescribeTargetHealth
 * returned them (the elbv2_targets collector reads them; discovery's elbv2-targets kind reuses them).
 *
 * @param stale true when this cycle's DescribeTargetHealth of the group was throttled (or not made, having backed off)
 *              and {@code targets} are those of the last read that succeeded
 * @param known false when the group's health has never been read: {@code targets} is empty because nothing is known,
 *              not because the group has no targets
 */
public record TargetGroupHealth(TargetGroup group, List<TargetHealthDescription> targets, boolean stale, boolean known) {
    public TargetGroupHealth {
        targets = List.copyOf(targets);
    }

    /** A group read this cycle. */
    public TargetGroupHealth(TargetGroup group, List<TargetHealthDescription> targets) {
        this(group, targets, false, true);
    }

    /** The same targets carried into a cycle whose read of them did not succeed, with the group as listed now. */
    TargetGroupHealth carried(TargetGroup listed) {
        return new TargetGroupHealth(listed, targets, true, known);
    }

    /** A group listed this cycle whose health has never been read. */
    static TargetGroupHealth unknown(TargetGroup listed) {
        return new TargetGroupHealth(listed, List.of(), true, false);
    }
}
