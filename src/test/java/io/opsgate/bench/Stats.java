package io.opsgate.bench;

import java.util.Arrays;

/** Order statistics of a sample, nearest-rank. */
final class Stats {
    private Stats() {
    }

    static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(long[] values) {
        return percentile(values, 50);
    }
}
