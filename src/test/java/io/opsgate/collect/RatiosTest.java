package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RatiosTest {

    @Test
    void theIssuesExampleHasNoNoise() {
        assertThat(99.254 / 100).hasToString("0.9925400000000001");
        assertThat(Double.toString(Ratios.fromPercent(99.254))).isEqualTo("0.99254");
        assertThat(Ratios.fromPercent(100)).isEqualTo(1.0);
        assertThat(Ratios.fromPercent(0)).isEqualTo(0.0);
    }

    /** Every percentage CloudWatch's three decimals can give, and random decimals of up to 15 digits. */
    @Test
    void everyRatioIsTheDecimalOfItsPercentMovedTwoPlaces() {
        for (int i = 0; i <= 100_000; i++) {
            double percent = i / 1000.0;
            assertShortest(percent);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            int digits = 1 + random.nextInt(15);
            BigDecimal percent = BigDecimal.valueOf((long) (random.nextDouble() * Math.pow(10, digits)),
                    random.nextInt(digits + 1));
            if (percent.compareTo(BigDecimal.valueOf(100)) <= 0) {
                assertShortest(percent.doubleValue());
            }
        }
    }

    /** What the exposition prints (Double.toString) is exactly the percent's decimal with the point moved. */
    private static void assertShortest(double percent) {
        String printed = Double.toString(Ratios.fromPercent(percent));
        BigDecimal expected = new BigDecimal(Double.toString(percent)).movePointLeft(2);
        assertThat(new BigDecimal(printed).compareTo(expected)).as("%s%% printed as %s", percent, printed).isZero();
        assertThat(Double.parseDouble(printed)).isEqualTo(Ratios.fromPercent(percent));
    }
}
