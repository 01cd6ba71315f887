package io.opsgate.collect;

import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * One ELBv2 target group with the health of its registered targets, as DescribeTargetGroups and DescribeTargetHealth
 * returned them in one cycle (the elbv2_targets collector reads them; discovery's elbv2-targets kind reuses them).
 */
public record TargetGroupHealth(TargetGroup group, List<TargetHealthDescription> targets) {
    public TargetGroupHealth {
        targets = List.copyOf(targets);
    }
}
