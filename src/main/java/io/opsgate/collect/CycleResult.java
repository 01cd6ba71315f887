package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * What one cycle of one target produced: families of the collectors that succeeded, and the error of
 * each that failed. A collector is in exactly one of the two maps. {@code instances} is what DescribeInstances
 * returned this cycle, or null when the EC2 collector did not read (or failed to read) them.
 */
public record CycleResult(TargetKey target, Map<CollectorName, List<MetricFamily>> succeeded,
                          Map<CollectorName, String> failed, Duration duration, List<Instance> instances) {
    public CycleResult {
        succeeded = Map.copyOf(succeeded);
        failed = Map.copyOf(failed);
    }
}
