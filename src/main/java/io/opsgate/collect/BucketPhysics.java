package io.opsgate.collect;

import java.util.Map;

/**
 * How fast a burst bucket can empty at most, from AWS's published rules, in the unit its CloudWatch metric uses.
 * {@link QuerySchedule} uses it to know how long a reading stays safely above its alert threshold.
 * <ul>
 *   <li>gp2: a bucket of 5.4 million I/O credits spent at most at 3,000 IOPS while it earns its baseline of
 *       3 IOPS per GiB (at least 100): a full 100 GiB volume lasts 5.4 M / (3,000 − 300) = 2,000 s. From 1,000 GiB
 *       the baseline is 3,000 IOPS or more and the bucket never drains.</li>
 *   <li>st1: 1 TiB of throughput credits per TiB, earned at 40 MiB/s per TiB and spent at most at 250 MiB/s per TiB
 *       (both at most 500 MiB/s): a full bucket of 2 TiB or less lasts 1 TiB / 210 MiB/s ≈ 83 minutes.</li>
 *   <li>sc1: 1 TiB per TiB, earned at 12 MiB/s per TiB (at most 192 MiB/s), spent at most at 80 MiB/s per TiB (at
 *       most 250 MiB/s): ≈ 4.3 hours up to 3.1 TiB.</li>
 *   <li>T2/T3/T3a/T4g: one credit is one vCPU at 100 % for a minute, so the balance falls by at most
 *       (vCPUs − credits earned per minute) per minute: a full t3.micro (2 vCPUs, 12 credits/h, 288 at most)
 *       lasts 288 / (2 − 0.2) = 160 minutes.</li>
 * </ul>
 */
final class BucketPhysics {
    static final double GP2_BUCKET_CREDITS = 5_400_000;
    static final double GP2_BURST_IOPS = 3_000;
    private static final double MIB_PER_TIB = 1024.0 * 1024;

    /** vCPUs and CPU credits earned per hour of each burstable size (EC2 User Guide, "CPU credits and baseline"). */
    record CreditSpec(int vcpus, double creditsPerHour) {
        double maxBalance() {
            return creditsPerHour * 24;
        }

        /** Credits per second the balance can fall at most: every vCPU at 100 %, minus what it earns meanwhile. */
        double maxDrainPerSecond() {
            return Math.max(0, vcpus - creditsPerHour / 60) / 60;
        }
    }

    private static final Map<String, CreditSpec> CREDIT_SPECS = Map.ofEntries(
            Map.entry("t2.nano", new CreditSpec(1, 3)),
            Map.entry("t2.micro", new CreditSpec(1, 6)),
            Map.entry("t2.small", new CreditSpec(1, 12)),
            Map.entry("t2.medium", new CreditSpec(2, 24)),
            Map.entry("t2.large", new CreditSpec(2, 36)),
            Map.entry("t2.xlarge", new CreditSpec(4, 54)),
            Map.entry("t2.2xlarge", new CreditSpec(8, 81.6)),
            Map.entry("t3.nano", new CreditSpec(2, 6)),
            Map.entry("t3.micro", new CreditSpec(2, 12)),
            Map.entry("t3.small", new CreditSpec(2, 24)),
            Map.entry("t3.medium", new CreditSpec(2, 24)),
            Map.entry("t3.large", new CreditSpec(2, 36)),
            Map.entry("t3.xlarge", new CreditSpec(4, 96)),
            Map.entry("t3.2xlarge", new CreditSpec(8, 192)),
            Map.entry("t3a.nano", new CreditSpec(2, 6)),
            Map.entry("t3a.micro", new CreditSpec(2, 12)),
            Map.entry("t3a.small", new CreditSpec(2, 24)),
            Map.entry("t3a.medium", new CreditSpec(2, 24)),
            Map.entry("t3a.large", new CreditSpec(2, 36)),
            Map.entry("t3a.xlarge", new CreditSpec(4, 96)),
            Map.entry("t3a.2xlarge", new CreditSpec(8, 192)),
            Map.entry("t4g.nano", new CreditSpec(2, 6)),
            Map.entry("t4g.micro", new CreditSpec(2, 12)),
            Map.entry("t4g.small", new CreditSpec(2, 24)),
            Map.entry("t4g.medium", new CreditSpec(2, 24)),
            Map.entry("t4g.large", new CreditSpec(2, 36)),
            Map.entry("t4g.xlarge", new CreditSpec(4, 96)),
            Map.entry("t4g.2xlarge", new CreditSpec(8, 192)));

    private BucketPhysics() {
    }

    /** The credit facts of a burstable size, or null for a size this table does not know (read every period). */
    static CreditSpec creditSpec(String instanceType) {
        return instanceType == null ? null : CREDIT_SPECS.get(instanceType);
    }

    /**
     * Percent of the bucket (BurstBalance's unit) a volume can lose per second at most; 0 for a volume that never
     * drains; NaN when the type or size is unknown (the schedule then reads it every period).
     */
    static double burstBalanceDrainPercentPerSecond(String volumeType, Integer sizeGiB) {
        if (volumeType == null || sizeGiB == null || sizeGiB <= 0) {
            return Double.NaN;
        }
        double tib = sizeGiB / 1024.0;
        return switch (volumeType) {
            case "gp2" -> {
                double baseline = Math.min(16_000, Math.max(100, 3.0 * sizeGiB));
                yield 100 * Math.max(0, GP2_BURST_IOPS - baseline) / GP2_BUCKET_CREDITS;
            }
            case "st1" -> throughputDrain(tib, Math.min(40 * tib, 500), Math.min(250 * tib, 500));
            case "sc1" -> throughputDrain(tib, Math.min(12 * tib, 192), Math.min(80 * tib, 250));
            default -> Double.NaN;
        };
    }

    /** A throughput bucket holds 1 TiB of credits per TiB of size; it drains at burst minus baseline (MiB/s). */
    private static double throughputDrain(double tib, double baselineMiBps, double burstMiBps) {
        return 100 * Math.max(0, burstMiBps - baselineMiBps) / (tib * MIB_PER_TIB);
    }
}
