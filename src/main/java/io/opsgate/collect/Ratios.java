package io.opsgate.collect;

import java.math.BigDecimal;

/**
 * Percentages as 0-1 ratios without binary noise: {@code 99.254 / 100} is {@code 0.9925400000000001} in doubles, but
 * moving the decimal point of the value's own shortest decimal ({@code "99.254"} → {@code 0.99254}) gives the double
 * nearest to the decimal the reader expects, whose shortest form is that decimal again. Every ratio made from a
 * percentage goes through here.
 */
final class Ratios {
    private Ratios() {
    }

    static double fromPercent(double percent) {
        if (Double.isNaN(percent) || Double.isInfinite(percent)) {
            return percent;
        }
        return BigDecimal.valueOf(percent).movePointLeft(2).doubleValue();
    }
}
