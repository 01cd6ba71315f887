package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * EBS backups as a collector part. The account's own snapshots are listed on their own schedule
 * ({@code collection.snapshots.interval}, {@link SlowSchedule}; one paginated DescribeSnapshots, shared through
 * {@link CycleInventory} with the snapshots-per-Region quota); every cycle in between joins that list with the
 * cycle's volumes, so the part succeeds each cycle and its last-success time stays fresh. A volume created after the
 * last listing is left out of the counts until the next one: it cannot have been seen backed up yet. While a failed
 * listing waits for its retry the part is not due: its families stay as they were, marked stale.
 */
final class SnapshotPart implements CollectorPart {
    private final TargetKey target;
    private final SlowSchedule schedule;
    private Map<String, SnapshotFamilies.Backups> backups;
    private Instant listedAt;

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
        if (schedule.due(now)) {
            try {
                backups = SnapshotFamilies.backups(inventory.ownSnapshots());
                listedAt = now;
                schedule.succeeded(now);
            } catch (RuntimeException e) {
                schedule.failed(now);
                throw e;
            }
        } else if (schedule.stale() || backups == null) {
            return PartPlan.notDue();
        }
        Instant listed = listedAt;
        List<Volume> volumes = inventory.volumes().stream()
                .filter(v -> v.createTime() == null || !v.createTime().isAfter(listed)).toList();
        Map<String, SnapshotFamilies.Backups> known = backups;
        return PartPlan.of(List.of(), values -> SnapshotFamilies.build(target, volumes, known));
    }
}
