package io.opsgate.collect;

import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * ELBv2 reads of one (account, region) for work that follows a cycle (discovery's elbv2-targets kind when no collector
 * read the target groups), every call paced by the same {@code collection.elbv2_targets.requests_per_second} pacer as
 * the collectors' ELBv2 calls: AWS throttles every Describe* call of an account and Region from one bucket, so a
 * second, unpaced caller would spend the rate the collectors keep to. Blocking; no call starts after the cycle's
 * deadline.
 */
public interface Elbv2Reads {
    /** DescribeLoadBalancers, paged. */
    List<LoadBalancer> loadBalancers();

    /** DescribeTargetGroups, paged, then DescribeTargetHealth of each group attached to a load balancer. */
    List<TargetGroupHealth> attachedTargetGroupHealth();
}
