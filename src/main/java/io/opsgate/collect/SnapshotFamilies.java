package io.opsgate.collect;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * The newest completed snapshot of each volume. A pending snapshot is no backup yet, and one that failed (error) never
 * will be: only completed ones count. Every volume gets a completed-snapshot count, 0 included, so a rule finds
 * volumes without any backup with {@code == 0} instead of an absent series.
 */
final class SnapshotFamilies {
    private SnapshotFamilies() {
    }

    static List<MetricFamily> build(TargetKey target, List<Volume> volumes, List<Snapshot> snapshots) {
        Map<String, Instant> newest = new HashMap<>();
        Map<String, Integer> completed = new HashMap<>();
        for (Snapshot s : snapshots) {
            if (s.state() != SnapshotState.COMPLETED || s.volumeId() == null || s.startTime() == null) {
                continue;
            }
            completed.merge(s.volumeId(), 1, Integer::sum);
            newest.merge(s.volumeId(), s.startTime(), (a, b) -> a.isAfter(b) ? a : b);
        }
        LabelStrings strings = new LabelStrings();
        FamilyBuilder last = FamilyBuilder.gauge("aws_ebs_volume_last_snapshot_timestamp_seconds",
                "Start time of the newest completed snapshot of the EBS volume (the moment it backs up); absent for"
                        + " volumes without one.", strings);
        FamilyBuilder count = FamilyBuilder.gauge("aws_ebs_volume_completed_snapshots",
                "Completed snapshots of the EBS volume owned by this account; 0 means the volume has no backup.",
                strings);
        for (Volume v : volumes) {
            String id = v.volumeId();
            Instant t = newest.get(id);
            if (t != null) {
                last.add(t.toEpochMilli() / 1000.0, "account_id", target.accountId(), "region", target.region(),
                        "volume_id", id);
            }
            count.add(completed.getOrDefault(id, 0), "account_id", target.accountId(), "region", target.region(),
                    "volume_id", id);
        }
        return List.of(last.build(), count.build());
    }
}
