package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * EBS backups as a collector part on its own schedule ({@code collection.snapshots.interval}): the account's own
 * snapshots (one paginated DescribeSnapshots, shared through {@link CycleInventory} with the snapshots-per-Region
 * quota) against this cycle's volumes. Between runs, and while a failed run waits for its retry, the part is not due
 * and its last families stay as they are.
 */
final class SnapshotPart implements CollectorPart {
    private final TargetKey target;
    private final SlowSchedule schedule;

    SnapshotPart(TargetKey target, Duration interval, Duration cycleInterval) {
        this.target = target;
        this.schedule = new SlowSchedule(interval, cycleInterval);
    }

    @Override
    public CollectorName name() {
        return CollectorName.SNAPSHOTS;
    }

    @Override
    public PartPlan plan(CycleInventory inventory, Instant now) {
        if (!schedule.due(now)) {
            return PartPlan.notDue();
        }
        try {
            var volumes = inventory.volumes();
            var snapshots = inventory.ownSnapshots();
            schedule.succeeded(now);
            return PartPlan.of(List.of(), values -> SnapshotFamilies.build(target, volumes, snapshots));
        } catch (RuntimeException e) {
            schedule.failed(now);
            throw e;
        }
    }
}
