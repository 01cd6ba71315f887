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

    /** What the families need of one volume's snapshots: kept between listings instead of the SDK's objects. */
    record Backups(Instant newest, int completed) {
    }

    /**
     * The completed snapshots per volume. The listing is kept until the next one (an hour by default), and the
     * SDK's 18,000 {@code Snapshot} objects of the issue #9 benchmark fleet, each with its ids, description and
     * times, held about 9 MB of the shipped heap (BENCHMARKS.md).
     */
    static Map<String, Backups> backups(List<Snapshot> snapshots) {
        Map<String, Backups> out = new HashMap<>();
        for (Snapshot s : snapshots) {
            if (s.state() != SnapshotState.COMPLETED || s.volumeId() == null || s.startTime() == null) {
                continue;
            }
            out.merge(s.volumeId(), new Backups(s.startTime(), 1), (a, b) -> new Backups(
                    a.newest().isAfter(b.newest()) ? a.newest() : b.newest(), a.completed() + b.completed()));
        }
        return Map.copyOf(out);
    }

    static List<MetricFamily> build(TargetKey target, List<Volume> volumes, Map<String, Backups> backups) {
        LabelStrings strings = new LabelStrings();
        FamilyBuilder last = FamilyBuilder.gauge("aws_ebs_volume_last_snapshot_timestamp_seconds",
                "Start time of the newest completed snapshot of the EBS volume (the moment it backs up); absent for"
                        + " volumes without one.", strings);
        FamilyBuilder count = FamilyBuilder.gauge("aws_ebs_volume_completed_snapshots",
                "Completed snapshots of the EBS volume owned by this account; 0 means the volume has no backup.",
                strings);
        for (Volume v : volumes) {
            String id = v.volumeId();
            Backups b = backups.get(id);
            if (b != null) {
                last.add(b.newest().toEpochMilli() / 1000.0, "account_id", target.accountId(), "region", target.region(),
                        "volume_id", id);
            }
            count.add(b == null ? 0 : b.completed(), "account_id", target.accountId(), "region", target.region(),
                    "volume_id", id);
        }
        return List.of(last.build(), count.build());
    }
}
