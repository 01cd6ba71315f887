package io.opsgate.collect;

import java.time.Duration;
import java.util.List;

/**
 * One CloudWatch series to read: namespace, metric, its dimensions (in the order given; CloudWatch matches them as a
 * set) and the statistic, over {@code period} (null: the configured {@code collection.cloudwatch.period}).
 */
public record MetricQuery(String namespace, String metricName, List<Dimension> dimensions, String stat, Duration period) {
    public MetricQuery {
        dimensions = List.copyOf(dimensions);
    }

    /** A series with one dimension, read over the configured period (every EBS and EC2 metric). */
    public MetricQuery(String namespace, String metricName, String dimensionName, String dimensionValue, String stat) {
        this(namespace, metricName, List.of(new Dimension(dimensionName, dimensionValue)), stat, null);
    }

    /** The value of the only dimension of a single-dimension series (the resource id). */
    public String dimensionValue() {
        if (dimensions.size() != 1) {
            throw new IllegalStateException(metricName + " has " + dimensions.size() + " dimensions");
        }
        return dimensions.get(0).value();
    }

    public record Dimension(String name, String value) {
    }
}
