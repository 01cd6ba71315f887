package io.opsgate.collect;

/** One CloudWatch series to read: namespace, metric, a single dimension and the statistic. */
public record MetricQuery(String namespace, String metricName, String dimensionName, String dimensionValue, String stat) {
}
