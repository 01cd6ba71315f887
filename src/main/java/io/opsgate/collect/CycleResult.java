package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * What one cycle of one target produced: families of the collectors that succeeded, and the error of
 * each that failed. A collector is in exactly one of the two maps. {@code instances} is what DescribeInstances
 * returned this cycle, or null when the EC2 collector did not read (or failed to read) them; {@code databases} and
 * {@code loadBalancers} likewise (DescribeDBInstances, DescribeLoadBalancers), and {@code targetGroups}
 * (DescribeTargetGroups with DescribeTargetHealth, read by the elbv2_targets collector), so that discovery reuses them.
 */
public record CycleResult(TargetKey target, Map<CollectorName, List<MetricFamily>> succeeded,
                          Map<CollectorName, String> failed, Duration duration, List<Instance> instances,
                          List<DBInstance> databases, List<LoadBalancer> loadBalancers,
                          List<TargetGroupHealth> targetGroups) {
    public CycleResult {
        succeeded = Map.copyOf(succeeded);
        failed = Map.copyOf(failed);
    }
}
