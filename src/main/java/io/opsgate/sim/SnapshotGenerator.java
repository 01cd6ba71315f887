package io.opsgate.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The account's EBS snapshots of one fleet, from hashes of the volume ids (as {@link ExtrasGenerator}, so the rest of
 * the fleet stays as it was). Most volumes have a daily snapshot from the last day; about one in ten has none and one
 * in ten only stale ones (8 to 40 days old). Pinned: volume 0 fresh, volume 1 stale (20 days), volume 2 none, volume
 * 3 with its newest snapshot still pending (the completed one before it is a day old). A snapshot of a deleted volume
 * and a few public snapshots of other owners (listed only without {@code Owner=self}) complete the picture.
 */
final class SnapshotGenerator {
    /** Amazon's own account, the owner of public snapshots in every region. */
    static final String PUBLIC_OWNER = "099720109477";

    private final long seed;
    private final Clock clock;

    SnapshotGenerator(long seed, Clock clock) {
        this.seed = seed;
        this.clock = clock;
    }

    List<SimSnapshot> generate(Fleet fleet) {
        long base = Hashing.mix(Hashing.mix(seed ^ 0x5aa95L, fleet.accountId()), fleet.region());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        List<SimSnapshot> out = new ArrayList<>();
        List<SimVolume> volumes = fleet.volumes();
        for (int i = 0; i < volumes.size(); i++) {
            SimVolume v = volumes.get(i);
            long h = Hashing.mix(base, v.id());
            double u = Hashing.unit(h);
            Duration newestAge;
            boolean pendingNewest = false;
            switch (i) {
                case 0 -> newestAge = Duration.ofHours(2);
                case 1 -> newestAge = Duration.ofDays(20);
                case 2 -> newestAge = null;
                case 3 -> { newestAge = Duration.ofDays(1); pendingNewest = true; }
                default -> newestAge = u < 0.1 ? null
                        : u < 0.2 ? Duration.ofHours(8 * 24 + Long.remainderUnsigned(h >>> 8, 32 * 24))
                        : Duration.ofMinutes(30 + Long.remainderUnsigned(h >>> 8, 23 * 60));
            }
            if (newestAge == null) {
                continue;
            }
            int copies = 1 + (int) Long.remainderUnsigned(h >>> 40, 3);
            for (int k = copies - 1; k >= 0; k--) {
                out.add(snapshot(base, v, k, now.minus(newestAge).minus(Duration.ofDays(k)), "completed", 100,
                        fleet.accountId()));
            }
            if (pendingNewest) {
                out.add(snapshot(base, v, copies, now.minus(Duration.ofMinutes(10)), "pending", 42, fleet.accountId()));
            }
        }
        if (!volumes.isEmpty()) {
            out.add(new SimSnapshot("snap-0" + hex(Hashing.mix(base, "orphan"), 16), "vol-ffffffff",
                    fleet.accountId(), "completed", now.minus(Duration.ofDays(3)), 100, 8, false,
                    "Copied for DestinationAmi from a deleted volume"));
        }
        for (int k = 0; k < 3; k++) {
            out.add(new SimSnapshot("snap-0" + hex(Hashing.mix(base, "public" + k), 16), "vol-ffffffff", PUBLIC_OWNER,
                    "completed", now.minus(Duration.ofDays(30L + k)), 100, 8, false, "public image snapshot " + k));
        }
        return List.copyOf(out);
    }

    private static SimSnapshot snapshot(long base, SimVolume v, int k, Instant start, String state, int progress,
                                        String owner) {
        return new SimSnapshot("snap-0" + hex(Hashing.mix(base, v.id() + "/" + k), 16), v.id(), owner, state, start,
                progress, v.sizeGiB(), v.encrypted(), "daily backup of " + v.id());
    }

    static String hex(long value, int digits) {
        String s = Long.toHexString(value);
        return s.length() >= digits ? s.substring(s.length() - digits) : "0".repeat(digits - s.length()) + s;
    }
}
