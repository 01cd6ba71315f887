package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The collection loop's own health, as operators alert on it: up, freshness, duration, cost. */
public final class CollectionMetrics {
    private final Gauge up;
    private final Gauge lastSuccess;
    private final Gauge duration;
    private final Counter cycles;
    private final Counter skipped;
    private final Counter metricsRequested;
    private final Counter metricsSkipped;
    /** Metrics requested per target, kept exactly so that the cost is one product, not a sum of small floats. */
    private final Map<TargetKey, LongAdder> requestedByTarget = new ConcurrentHashMap<>();

    public CollectionMetrics(PrometheusRegistry registry) {
        this(registry, io.opsgate.config.OpsGateConfig.CostAware.DEFAULT.pricePer1000Metrics());
    }

    /** @param pricePer1000Metrics dollars AWS bills per 1,000 metrics requested, for the estimated cost */
    public CollectionMetrics(PrometheusRegistry registry, double pricePer1000Metrics) {
        up = Gauge.builder().name("opsgate_collector_up")
                .help("1 if the collector's last cycle for this account and region succeeded; 0 if it failed and its last good data is served.")
                .labelNames("collector", "account_id", "region").register(registry);
        lastSuccess = Gauge.builder().name("opsgate_collection_last_success_timestamp_seconds")
                .help("When the collector last succeeded for this account and region.")
                .labelNames("collector", "account_id", "region").register(registry);
        duration = Gauge.builder().name("opsgate_collection_duration_seconds")
                .help("Duration of the last collection cycle of this account and region.")
                .unit(Unit.SECONDS)
                .labelNames("account_id", "region").register(registry);
        cycles = Counter.builder().name("opsgate_collection_cycles_total")
                .help("Collection cycles by outcome: success (every collector), partial (some failed), failure (all failed).")
                .labelNames("account_id", "region", "outcome").register(registry);
        skipped = Counter.builder().name("opsgate_collection_cycles_skipped_total")
                .help("Cycles not started because the previous one of the same account and region was still running.")
                .labelNames("account_id", "region").register(registry);
        metricsRequested = Counter.builder().name("opsgate_cloudwatch_metrics_requested_total")
                .help("Metrics requested from CloudWatch GetMetricData: the unit AWS bills ($0.01 per 1,000).")
                .labelNames("account_id", "region").register(registry);
        metricsSkipped = Counter.builder().name("opsgate_cloudwatch_metrics_skipped_total")
                .help("CloudWatch metrics a part asked for but cost-aware polling did not request (their last value was"
                        + " served): same_period = CloudWatch cannot have a newer datapoint yet; cannot_cross_threshold"
                        + " = the burst or credit bucket cannot have reached its alert threshold since the last read.")
                .labelNames("account_id", "region", "reason").register(registry);
        BigDecimal perMetric = BigDecimal.valueOf(pricePer1000Metrics).movePointLeft(3);
        CounterWithCallback.builder().name("opsgate_cloudwatch_estimated_cost_dollars")
                .help("Estimated GetMetricData bill: metrics requested times the configured price ($"
                        + BigDecimal.valueOf(pricePer1000Metrics).toPlainString() + " per 1,000 metrics).")
                .labelNames("account_id", "region")
                .callback(cb -> requestedByTarget.forEach((t, n) -> cb.call(
                        BigDecimal.valueOf(n.sum()).multiply(perMetric).doubleValue(), t.accountId(), t.region())))
                .register(registry);
    }

    void recorded(CycleResult result, Instant finishedAt) {
        TargetKey t = result.target();
        for (Map.Entry<CollectorName, List<MetricFamily>> e : result.succeeded().entrySet()) {
            up.labelValues(e.getKey().key(), t.accountId(), t.region()).set(1);
            lastSuccess.labelValues(e.getKey().key(), t.accountId(), t.region()).set(finishedAt.toEpochMilli() / 1000.0);
        }
        for (CollectorName failed : result.failed().keySet()) {
            up.labelValues(failed.key(), t.accountId(), t.region()).set(0);
        }
        duration.labelValues(t.accountId(), t.region()).set(result.duration().toNanos() / 1e9);
        String outcome = result.failed().isEmpty() ? "success" : result.succeeded().isEmpty() ? "failure" : "partial";
        cycles.labelValues(t.accountId(), t.region(), outcome).inc();
    }

    /**
     * Sets a target's up and last-success gauges to what the replica that collects it published, so that every
     * replica serves the same values for them (cycle counts, durations and metrics requested stay each replica's own).
     *
     * @param lastSuccess epoch seconds per collector
     */
    public void replicated(TargetKey t, Map<CollectorName, Boolean> collectorUp, Map<CollectorName, Double> lastSuccess) {
        collectorUp.forEach((c, ok) -> up.labelValues(c.key(), t.accountId(), t.region()).set(ok ? 1 : 0));
        lastSuccess.forEach((c, at) -> this.lastSuccess.labelValues(c.key(), t.accountId(), t.region()).set(at));
    }

    /** Marks every collector of a target down, e.g. when its cycle crashed before producing a result. */
    void targetFailed(TargetKey t, Iterable<CollectorName> collectors) {
        for (CollectorName c : collectors) {
            up.labelValues(c.key(), t.accountId(), t.region()).set(0);
        }
        cycles.labelValues(t.accountId(), t.region(), "failure").inc();
    }

    void skipped(TargetKey t) {
        skipped.labelValues(t.accountId(), t.region()).inc();
    }

    void metricsRequested(TargetKey t, int count) {
        metricsRequested.labelValues(t.accountId(), t.region()).inc(count);
        requestedByTarget.computeIfAbsent(t, k -> new LongAdder()).add(count);
    }

    void metricsSkipped(TargetKey t, QuerySchedule.Skip reason, int count) {
        metricsSkipped.labelValues(t.accountId(), t.region(), reason.label).inc(count);
    }
}
