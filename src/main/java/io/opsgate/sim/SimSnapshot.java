package io.opsgate.sim;

import java.time.Instant;

/**
 * One EBS snapshot. {@code state} is DescribeSnapshots' ("pending", "completed", "error"); {@code volumeId} may name a
 * volume that no longer exists, as AWS keeps snapshots of deleted volumes.
 */
public record SimSnapshot(String id, String volumeId, String ownerId, String state, Instant startTime, int progress,
        int volumeSizeGiB, boolean encrypted, String description) {
}
