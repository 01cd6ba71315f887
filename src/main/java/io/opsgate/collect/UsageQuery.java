package io.opsgate.collect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.servicequotas.model.MetricInfo;
import software.amazon.awssdk.services.servicequotas.model.QuotaPeriod;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/**
 * The CloudWatch read of a quota's usage metric and the factor that turns its value into the quota's unit. A
 * ResourceCount is read as it is. A rate quota (one with a Period) counts calls per period, but AWS/Usage CallCount
 * has one-minute resolution: it is read as its recommended statistic (Sum) over the quota's period rounded up to
 * whole minutes, and scaled by quota period / query period. A per-second quota read as Sum over 60 s is divided by
 * 60; a per-minute quota is read over 60 s as it is. A period longer than the GetMetricData window is read over the
 * window (whole minutes) and scaled up: the one window of a request has to hold every query's period.
 */
record UsageQuery(MetricQuery query, double factor) {
    private static final long MINUTE = 60;

    /** Null when the quota has no usage metric. */
    static UsageQuery of(ServiceQuota quota, Duration window) {
        MetricInfo metric = quota.usageMetric();
        if (metric == null || metric.metricName() == null || metric.metricNamespace() == null) {
            return null;
        }
        List<MetricQuery.Dimension> dims = new ArrayList<>();
        new TreeMap<>(metric.metricDimensions() == null ? Map.<String, String>of() : metric.metricDimensions())
                .forEach((k, v) -> dims.add(new MetricQuery.Dimension(k, v)));
        String stat = metric.metricStatisticRecommendation();
        if (stat == null || stat.isEmpty()) {
            stat = "CallCount".equals(metric.metricName()) ? "Sum" : "Maximum";
        }
        double quotaSeconds = periodSeconds(quota.period());
        if (quotaSeconds <= 0) {
            return new UsageQuery(new MetricQuery(metric.metricNamespace(), metric.metricName(), dims, stat, null), 1);
        }
        long querySeconds = Math.max(MINUTE, (long) Math.ceil(quotaSeconds / MINUTE) * MINUTE);
        long windowSeconds = Math.max(MINUTE, window.toSeconds() / MINUTE * MINUTE);
        querySeconds = Math.min(querySeconds, windowSeconds);
        // Only a sum scales with the length of the period; a maximum or average of per-minute samples does not.
        double factor = "Sum".equals(stat) ? quotaSeconds / querySeconds : 1;
        return new UsageQuery(new MetricQuery(metric.metricNamespace(), metric.metricName(), dims, stat,
                Duration.ofSeconds(querySeconds)), factor);
    }

    /** The quota's period in seconds (fractional below one second); 0 when it is not a rate. */
    static double periodSeconds(QuotaPeriod period) {
        if (period == null || period.periodValue() == null || period.periodUnit() == null) {
            return 0;
        }
        double unit = switch (period.periodUnitAsString()) {
            case "MICROSECOND" -> 1e-6;
            case "MILLISECOND" -> 1e-3;
            case "SECOND" -> 1;
            case "MINUTE" -> 60;
            case "HOUR" -> 3600;
            case "DAY" -> 86_400;
            case "WEEK" -> 604_800;
            default -> 0;
        };
        return unit * period.periodValue();
    }

    /** The period as a label value in Prometheus' duration style (1s, 1m, 5m, 1h, 1d, 1w, 500ms); "" for none. */
    static String periodLabel(QuotaPeriod period) {
        if (period == null || period.periodValue() == null || period.periodUnit() == null) {
            return "";
        }
        String unit = switch (period.periodUnitAsString()) {
            case "MICROSECOND" -> "us";
            case "MILLISECOND" -> "ms";
            case "SECOND" -> "s";
            case "MINUTE" -> "m";
            case "HOUR" -> "h";
            case "DAY" -> "d";
            case "WEEK" -> "w";
            default -> period.periodUnitAsString();
        };
        return period.periodValue() + unit;
    }
}
