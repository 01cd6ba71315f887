package io.opsgate.sim;

/**
 * The fastest a simulated bucket can drain, from AWS's published rules, so that the simulator's drains stay within
 * physics: gp2 5.4 M I/O credits spent at 3,000 IOPS against a baseline of 3 IOPS/GiB (at least 100); st1 and sc1
 * 1 TiB of throughput credits per TiB spent at 250 (st1) or 80 (sc1) MiB/s per TiB against 40 or 12 MiB/s per TiB
 * (capped at 500/500 and 250/192 MiB/s); a burstable instance at 100 % on every vCPU less what it earns.
 * Written apart from the collector's own table on purpose: the tests compare the two.
 */
final class SimPhysics {
    private SimPhysics() {
    }

    /** BurstBalance percent per second at most; 0 for a volume that cannot drain. */
    static double maxDrainPercentPerSecond(SimVolume v) {
        double size = v.sizeGiB();
        double tib = size / 1024;
        return switch (v.volumeType()) {
            case "gp2" -> 100 * Math.max(0, 3000 - Math.min(16_000, Math.max(100, 3 * size))) / 5.4e6;
            case "st1" -> 100 * Math.max(0, Math.min(250 * tib, 500) - Math.min(40 * tib, 500)) / (tib * 1024 * 1024);
            case "sc1" -> 100 * Math.max(0, Math.min(80 * tib, 250) - Math.min(12 * tib, 192)) / (tib * 1024 * 1024);
            default -> 0;
        };
    }

    /** CPUCreditBalance credits per second at most. */
    static double maxCreditDrainPerSecond(InstanceTypes.Spec spec) {
        return Math.max(0, spec.vcpus() - spec.creditsPerHour() / 60.0) / 60;
    }
}
