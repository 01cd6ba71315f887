package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The drain rates against the figures AWS publishes (and the arithmetic). */
class BucketPhysicsTest {

    /** Seconds a full bucket (100 %) lasts at the fastest drain. */
    private static double fullBucketSeconds(String type, int sizeGiB) {
        return 100 / BucketPhysics.burstBalanceDrainPercentPerSecond(type, sizeGiB);
    }

    @Test
    void gp2DrainsAtBurstMinusBaseline() {
        // 5.4 M credits / (3,000 - 300) IOPS = 2,000 s for 100 GiB; baseline 100 IOPS below 34 GiB: 5.4 M / 2,900.
        assertThat(fullBucketSeconds("gp2", 100)).isCloseTo(2000, within(1e-6));
        assertThat(fullBucketSeconds("gp2", 8)).isCloseTo(5_400_000 / 2900.0, within(1e-6));
        assertThat(fullBucketSeconds("gp2", 8) / 60).isCloseTo(31, within(0.1));
        // From 1,000 GiB the baseline is at least the burst rate: the bucket never drains.
        assertThat(BucketPhysics.burstBalanceDrainPercentPerSecond("gp2", 1000)).isZero();
        assertThat(BucketPhysics.burstBalanceDrainPercentPerSecond("gp2", 2000)).isZero();
    }

    @Test
    void st1AndSc1DrainTheirThroughputBucket() {
        // st1 1 TiB: bucket 1 TiB = 1,048,576 MiB, burst 250 - baseline 40 = 210 MiB/s.
        assertThat(fullBucketSeconds("st1", 1024)).isCloseTo(1_048_576 / 210.0, within(1e-6));
        assertThat(fullBucketSeconds("st1", 125)).isCloseTo(1_048_576 / 210.0, within(1e-6));
        // 4 TiB: burst capped at 500, baseline 160.
        assertThat(fullBucketSeconds("st1", 4096)).isCloseTo(4 * 1_048_576 / 340.0, within(1e-6));
        // 12.5 TiB: the baseline reaches 500 MiB/s, the cap of both.
        assertThat(BucketPhysics.burstBalanceDrainPercentPerSecond("st1", 12800)).isZero();
        // sc1 1 TiB: 80 - 12 = 68 MiB/s, about 4.3 hours.
        assertThat(fullBucketSeconds("sc1", 1024) / 3600).isCloseTo(4.28, within(0.01));
    }

    @Test
    void unknownTypesAndSizesHaveNoRule() {
        assertThat(BucketPhysics.burstBalanceDrainPercentPerSecond("gp3", 100)).isNaN();
        assertThat(BucketPhysics.burstBalanceDrainPercentPerSecond("gp2", null)).isNaN();
        assertThat(BucketPhysics.creditSpec("m5.large")).isNull();
    }

    @Test
    void cpuCreditsDrainAtAllVcpusMinusEarnings() {
        BucketPhysics.CreditSpec micro = BucketPhysics.creditSpec("t3.micro");
        assertThat(micro.maxBalance()).isEqualTo(288);
        // 288 credits / (2 - 12/60) credits per minute = 160 minutes (the "about 2.7 hours").
        assertThat(micro.maxBalance() / micro.maxDrainPerSecond() / 60).isCloseTo(160, within(1e-6));
        assertThat(BucketPhysics.creditSpec("t2.micro").maxDrainPerSecond()).isCloseTo((1 - 0.1) / 60, within(1e-12));
        assertThat(BucketPhysics.creditSpec("t4g.2xlarge").maxBalance()).isEqualTo(4608);
    }
}
