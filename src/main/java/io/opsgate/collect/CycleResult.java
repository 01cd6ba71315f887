package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one cycle of one target produced: families of the collectors that succeeded, and the error of
 * each that failed. A collector is in exactly one of the two maps.
 */
public record CycleResult(TargetKey target, Map<CollectorName, List<MetricFamily>> succeeded,
                          Map<CollectorName, String> failed, Duration duration) {
    public CycleResult {
        succeeded = Map.copyOf(succeeded);
        failed = Map.copyOf(failed);
    }
}
