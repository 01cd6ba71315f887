package io.opsgate.sim;

/**
 * Metric values as pure functions of (seed, resource, time): every resource follows its own load cycle, so any
 * query for any past window is answerable without storing samples, and two queries agree with each other.
 * The series are plausible rather than physically exact (usage and balance are not integrated from each other).
 * A volume's BurstBalance can be forced from a moment on ({@link BurstOverrides}, the admin API's drain and refill).
 */
final class MetricDynamics {

    static final String BURST_BALANCE = "BurstBalance";
    static final String CREDIT_BALANCE = "CPUCreditBalance";
    static final String CREDIT_USAGE = "CPUCreditUsage";
    static final String SURPLUS_BALANCE = "CPUSurplusCreditBalance";
    static final String SURPLUS_CHARGED = "CPUSurplusCreditsCharged";
    static final String ROUTE53_NAMESPACE = "AWS/Route53";
    static final String HEALTH_CHECK_STATUS = "HealthCheckStatus";

    private final long seed;
    private final BurstOverrides overrides;
    /**
     * NaN: every resource follows its natural cycle. Otherwise the physical profile: this share of the resources is
     * full and idle (BurstBalance 100, the credit balance at its maximum, nothing spent); the others drain at 50-100 %
     * of the fastest rate their type allows ({@link SimPhysics}) to below the alert thresholds, refill at a quarter of
     * that (volumes) or by earning (instances), and stay full for the rest of their cycle.
     */
    private volatile double idleShare = Double.NaN;

    MetricDynamics(long seed) {
        this(seed, new BurstOverrides());
    }

    MetricDynamics(long seed, BurstOverrides overrides) {
        this.seed = seed;
        this.overrides = overrides;
    }

    /** Switches to the physical profile with this idle share (0-1), or back to the natural cycles with NaN. */
    void setIdleShare(double share) {
        if (!Double.isNaN(share) && !(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("idle share must be from 0 to 1, got " + share);
        }
        idleShare = share;
    }

    /** In the physical profile: whether this resource is one of the full, idle ones. */
    boolean idle(String resourceId) {
        double share = idleShare;
        return !Double.isNaN(share) && Hashing.unit(Hashing.mix(Hashing.mix(seed, resourceId), 9)) < share;
    }

    /** Seconds between two raw samples: EBS publishes every minute, EC2 basic monitoring every five. */
    static long sampleSeconds(String metricName) {
        if ("ResourceCount".equals(metricName) || "CallCount".equals(metricName)) {
            return UsageSeries.SAMPLE_SECONDS;
        }
        return BURST_BALANCE.equals(metricName) || HEALTH_CHECK_STATUS.equals(metricName) ? 60 : 300;
    }

    /** HealthCheckStatus (1 healthy, 0 not) sampled every minute, as Route 53 publishes it, over [t, t+period). */
    private static double healthCheckStatistic(SimHealthCheck check, String stat, long t, long period) {
        long samples = Math.max(1, period / 60);
        double min = 1;
        double max = 0;
        double sum = 0;
        for (long k = 0; k < samples; k++) {
            double v = check.healthyAt(t + k * 60) ? 1 : 0;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        return switch (stat) {
            case "SampleCount" -> samples;
            case "Minimum" -> min;
            case "Maximum" -> max;
            case "Sum" -> sum;
            default -> sum / samples;
        };
    }

    /** The statistic of one period [t, t+period). */
    double statistic(String metric, String stat, Object resource, long t, long period) {
        if (resource instanceof UsageSeries usage) {
            return usage.statistic(stat, period);
        }
        if (resource instanceof SimHealthCheck check) {
            return healthCheckStatistic(check, stat, t, period);
        }
        long sample = sampleSeconds(metric);
        long samples = Math.max(1, period / sample);
        if (resource instanceof SimVolume v && !"SampleCount".equals(stat)) {
            double forced = overrides.valueFor(v.id(), t, period);
            if (!Double.isNaN(forced)) {
                return "Sum".equals(stat) ? round(forced * samples) : forced;
            }
        }
        switch (stat) {
            case "SampleCount":
                return samples;
            case "Minimum":
                return Math.min(value(metric, resource, t), value(metric, resource, t + period - sample));
            case "Maximum":
                return Math.max(value(metric, resource, t), value(metric, resource, t + period - sample));
            case "Sum":
                return round(value(metric, resource, t + period / 2) * samples);
            default: // Average and the percentiles
                return value(metric, resource, t + period / 2);
        }
    }

    double value(String metric, Object resource, long t) {
        if (resource instanceof SimVolume v) {
            return burstBalance(v, t);
        }
        SimInstance i = (SimInstance) resource;
        return switch (metric) {
            case CREDIT_BALANCE -> creditBalance(i, t);
            case CREDIT_USAGE -> creditUsage(i, t);
            case SURPLUS_BALANCE -> surplusBalance(i, t);
            case SURPLUS_CHARGED -> surplusCharged(i, t);
            default -> 0.0;
        };
    }

    /** Percent 0..100: drains while the volume's periodic load runs, refills afterwards; deep cycles hit 0. */
    double burstBalance(SimVolume v, long t) {
        if (!Double.isNaN(idleShare)) {
            return idle(v.id()) ? 100.0 : round(physicalLevel(v.id(), 100, SimPhysics.maxDrainPercentPerSecond(v),
                    -1, 10, t));
        }
        long h = Hashing.mix(seed, v.id());
        long cycle = 3600L * (3 + Math.floorMod(h, 22));
        double f = Math.floorMod(t + (h >>> 20), cycle) / (double) cycle;
        double drainShare = 0.3 + 0.3 * Hashing.unit(Hashing.mix(h, 1));
        // Large gp2 volumes have a baseline above the burst rate and barely touch their bucket.
        double depth = v.sizeGiB() >= 1000 ? 5 * Hashing.unit(Hashing.mix(h, 2))
                : 10 + 130 * Hashing.unit(Hashing.mix(h, 2));
        double tri = f < drainShare ? f / drainShare : (1 - f) / (1 - drainShare);
        return round(clamp(100 - depth * tri, 0, 100));
    }

    /** The credit cycle as a level that may go below zero: the negative part is surplus (unlimited mode). */
    private double creditLevel(SimInstance i, long t) {
        long h = Hashing.mix(seed, i.id());
        long cycle = 3600L * (2 + Math.floorMod(h, 29));
        double f = Math.floorMod(t + (h >>> 20), cycle) / (double) cycle;
        double centre = 0.2 + 0.6 * Hashing.unit(Hashing.mix(h, 3));
        double amplitude = 0.1 + 0.5 * Hashing.unit(Hashing.mix(h, 4));
        return centre + amplitude * Math.cos(2 * Math.PI * f);
    }

    double creditBalance(SimInstance i, long t) {
        int max = InstanceTypes.spec(i.instanceType()).maxCredits();
        if (!Double.isNaN(idleShare)) {
            InstanceTypes.Spec spec = InstanceTypes.spec(i.instanceType());
            return idle(i.id()) ? max : round(physicalLevel(i.id(), max, SimPhysics.maxCreditDrainPerSecond(spec),
                    spec.creditsPerHour() / 3600.0, Math.min(19, 0.1 * max), t));
        }
        return round(max * clamp(creditLevel(i, t), 0, 1));
    }

    /** Credits spent in five minutes: always positive, at most one credit per vCPU-minute. */
    double creditUsage(SimInstance i, long t) {
        InstanceTypes.Spec spec = InstanceTypes.spec(i.instanceType());
        if (!Double.isNaN(idleShare)) {
            if (idle(i.id())) {
                return 0.0;
            }
            // Spent in five minutes: what the balance lost plus what was earned meanwhile.
            double fell = creditBalance(i, t) - creditBalance(i, t + 300);
            return fell > 0 ? round(fell + spec.creditsPerHour() / 12.0) : 0.0;
        }
        double earnedPer5Min = spec.creditsPerHour() / 12.0;
        double level = creditLevel(i, t);
        double k = 0.3 + 1.3 * Hashing.unit(Hashing.mix(Hashing.mix(seed, i.id()), 5));
        // Spending is highest while the balance falls, i.e. when the level is low.
        double usage = earnedPer5Min * k * (1.2 - clamp(level, 0, 1)) + 0.01;
        return round(Math.min(spec.vcpus() * 5.0, usage));
    }

    double surplusBalance(SimInstance i, long t) {
        if (!"unlimited".equals(i.creditMode()) || !Double.isNaN(idleShare)) {
            return 0.0;
        }
        int max = InstanceTypes.spec(i.instanceType()).maxCredits();
        return round(Math.min(max, max * Math.max(0, -creditLevel(i, t))));
    }

    /** Surplus beyond half the 24-hour earnings is billed in this simulation. */
    double surplusCharged(SimInstance i, long t) {
        double surplus = surplusBalance(i, t);
        int max = InstanceTypes.spec(i.instanceType()).maxCredits();
        return surplus > max * 0.5 ? round((surplus - max * 0.5) * 0.05) : 0.0;
    }

    /**
     * One cycle of an active resource in the physical profile: full, then falling at 50-100 % of {@code maxDrain}
     * down to a floor under {@code lowest}, then rising at {@code refill} per second ({@code -1}: a quarter of the
     * drain) back to full. {@code maxDrain} 0: always full.
     */
    private double physicalLevel(String id, double full, double maxDrain, double refill, double lowest, long t) {
        if (maxDrain <= 0) {
            return full;
        }
        long h = Hashing.mix(Hashing.mix(seed, id), 10);
        double drain = maxDrain * (0.5 + 0.5 * Hashing.unit(Hashing.mix(h, 1)));
        double rise = refill < 0 ? drain / 4 : refill;
        double floor = lowest * Hashing.unit(Hashing.mix(h, 2));
        double down = (full - floor) / drain;
        double up = (full - floor) / rise;
        long cycle = (long) Math.ceil(down + up) + 3600L * (1 + Math.floorMod(h, 4));
        double phase = Math.floorMod(t + (h >>> 20), cycle);
        if (phase < down) {
            return full - drain * phase;
        }
        if (phase < down + up) {
            return floor + rise * (phase - down);
        }
        return full;
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
