package io.opsgate.collect;

import io.opsgate.aws.RegionClients;
import java.time.Instant;

/**
 * Work that follows every cycle of a target on the same worker thread, reusing what the cycle read (the
 * discovery inventory reuses its DescribeInstances pages). Runs before the target is marked finished, so
 * readiness covers it too. Told again, on that part's thread, of the late result of each beside part that was
 * still running when the cycle's result was made ({@link CycleResult#late()}: the elbv2_targets collector's target
 * groups come that way). Must not throw: failures are the listener's to record.
 */
public interface CycleListener {
    CycleListener NONE = (target, clients, result, deadline, elbv2) -> { };

    /** @param elbv2 the target's ELBv2 reads, paced with the collectors' own ELBv2 calls */
    void afterCycle(TargetKey target, RegionClients clients, CycleResult result, Instant deadline, Elbv2Reads elbv2);
}
