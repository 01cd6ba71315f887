package io.opsgate.collect;

import io.opsgate.aws.RegionClients;
import java.time.Instant;

/**
 * Work that follows every cycle of a target on the same worker thread, reusing what the cycle read (the
 * discovery inventory reuses its DescribeInstances pages). Runs before the target is marked finished, so
 * readiness covers it too. Must not throw: failures are the listener's to record.
 */
public interface CycleListener {
    CycleListener NONE = (target, clients, result, deadline) -> { };

    void afterCycle(TargetKey target, RegionClients clients, CycleResult result, Instant deadline);
}
