package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * What one cycle of one target produced: families of the collectors that succeeded, and the error of
 * each that failed. A collector is in at most one of the two maps. {@code instances} is what DescribeInstances
 * returned this cycle, or null when the EC2 collector did not read (or failed to read) them; {@code databases} and
 * {@code loadBalancers} likewise (DescribeDBInstances, DescribeLoadBalancers), and {@code targetGroups}
 * (DescribeTargetGroups with DescribeTargetHealth, read by the elbv2_targets collector), so that discovery reuses them.
 *
 * <p>A cycle's result is published as soon as its sequence is done. A part that runs beside the sequence
 * ({@link CollectorPart#beside()}) and is still running then is in neither map but in {@code pending}: its previous
 * families stay in the snapshot, and when it ends its families or its failure come in a result of their own, with
 * {@code late} true, that carries that part alone (and the reads the cycle had made by then).
 *
 * @param duration     from the start of the cycle until this result was made
 * @param tookByPart   per collector in {@code succeeded}: from the start of the cycle until its families were built
 * @param pending      beside parts whose families are not in this result because a run of theirs (this cycle's, or
 *                     an earlier one still going) had not ended; they keep their previous families meanwhile
 * @param late         true for the result of a beside part that ended after its cycle's result was published
 */
public record CycleResult(TargetKey target, Map<CollectorName, List<MetricFamily>> succeeded,
                          Map<CollectorName, String> failed, Duration duration, List<Instance> instances,
                          List<DBInstance> databases, List<LoadBalancer> loadBalancers,
                          List<TargetGroupHealth> targetGroups, Map<CollectorName, Duration> tookByPart,
                          Set<CollectorName> pending, boolean late) {
    public CycleResult {
        succeeded = Map.copyOf(succeeded);
        failed = Map.copyOf(failed);
        tookByPart = Map.copyOf(tookByPart);
        pending = Set.copyOf(pending);
    }

    /** How long a collector of this result took: its own time if it ran beside the sequence, else the result's. */
    public Duration took(CollectorName collector) {
        return tookByPart.getOrDefault(collector, duration);
    }
}
