package io.opsgate.alerts.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffAndBucketTest {
    @Test
    void fullJitterStaysUnderTheGrowingCeilingAndTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 0; attempt < 40; attempt++) {
            long ceiling = Math.min(5000, 100L << Math.min(attempt, 30));
            long max = 0;
            for (int i = 0; i < 200; i++) {
                long d = backoff.delay(attempt, random).toMillis();
                assertThat(d).isBetween(0L, ceiling);
                max = Math.max(max, d);
            }
            assertThat(max).as("spread over the whole range, attempt " + attempt).isGreaterThan(ceiling / 2);
        }
    }

    @Test
    void bucketAllowsOneSecondsBurstThenTheRate() {
        long t = 0;
        TokenBucket bucket = new TokenBucket(2.0, t);
        assertThat(bucket.take(t)).isZero();
        assertThat(bucket.take(t)).isZero();
        long wait = bucket.take(t);
        assertThat(wait).isEqualTo(500_000_000L);
        t += wait;
        assertThat(bucket.take(t)).isZero();
        TokenBucket slack = new TokenBucket(1.0, 0);
        assertThat(slack.take(0)).isZero();
        assertThat(slack.take(400_000_000L)).isEqualTo(600_000_000L);
    }
}
