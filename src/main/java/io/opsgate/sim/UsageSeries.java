package io.opsgate.sim;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One AWS/Usage series of a quota, as CloudWatch serves it: ResourceCount is the quota's usage, sampled every minute
 * (every statistic but SampleCount and Sum is that count); CallCount counts API calls, so its Sum over a period is the
 * call rate times the period (a per-second quota used at 60 calls/s has a Sum of 3,600 over one minute).
 */
record UsageSeries(SimQuota quota) {
    static final String NAMESPACE = "AWS/Usage";
    static final long SAMPLE_SECONDS = 60;

    /** The index key of a series: metric name and its dimensions as a set. */
    static String key(String metricName, Map<String, String> dimensions) {
        return metricName + new TreeMap<>(dimensions);
    }

    static String key(String metricName, List<String[]> dimensions) {
        Map<String, String> dims = new TreeMap<>();
        for (String[] d : dimensions) {
            dims.put(d[0], d[1]);
        }
        return key(metricName, dims);
    }

    double statistic(String stat, long period) {
        long samples = Math.max(1, period / SAMPLE_SECONDS);
        if ("SampleCount".equals(stat)) {
            return samples;
        }
        if ("CallCount".equals(quota.usageMetric().metricName())) {
            double perSecond = quota.usage() / quota.periodSeconds();
            double perSample = perSecond * Math.min(period, SAMPLE_SECONDS);
            return switch (stat) {
                case "Sum" -> Math.round(perSecond * period * 1000.0) / 1000.0;
                default -> Math.round(perSample * 1000.0) / 1000.0;
            };
        }
        return "Sum".equals(stat) ? quota.usage() * samples : quota.usage();
    }
}
