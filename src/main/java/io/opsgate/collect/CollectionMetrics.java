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
    private final Gauge collectorDuration;
    private final Counter collectorSkipped;
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
                .help("Duration of the last collection cycle of this account and region, until its result was published"
                        + " (route53 and elbv2_targets, which run beside it and may end later: opsgate_collector_duration_seconds).")
                .unit(Unit.SECONDS)
                .labelNames("account_id", "region").register(registry);
        collectorDuration = Gauge.builder().name("opsgate_collector_duration_seconds")
                .help("Seconds from the start of its cycle until the collector's families were ready, in its last"
                        + " successful run: the cycle's sequence for most collectors; their own run for route53 and"
                        + " elbv2_targets, which run beside it and are published when they end.")
                .unit(Unit.SECONDS)
                .labelNames("collector", "account_id", "region").register(registry);
        collectorSkipped = Counter.builder().name("opsgate_collector_skipped_total")
                .help("Cycles in which a collector that runs beside the cycle (route53, elbv2_targets) was not started"
                        + " because its previous run was still going; its last data was served meanwhile.")
                .labelNames("collector", "account_id", "region").register(registry);
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

    /**
     * A result recorded into the snapshot. A cycle's own result sets its duration and counts the cycle by outcome (its
     * pending beside parts count as neither); a late result of a beside part sets only that part's gauges.
     */
    void recorded(CycleResult result, Instant finishedAt) {
        TargetKey t = result.target();
        for (Map.Entry<CollectorName, List<MetricFamily>> e : result.succeeded().entrySet()) {
            up.labelValues(e.getKey().key(), t.accountId(), t.region()).set(1);
            lastSuccess.labelValues(e.getKey().key(), t.accountId(), t.region()).set(finishedAt.toEpochMilli() / 1000.0);
            collectorDuration.labelValues(e.getKey().key(), t.accountId(), t.region())
                    .set(seconds(result.took(e.getKey())));
        }
        for (CollectorName failed : result.failed().keySet()) {
            up.labelValues(failed.key(), t.accountId(), t.region()).set(0);
        }
        if (result.late()) {
            return;
        }
        duration.labelValues(t.accountId(), t.region()).set(seconds(result.duration()));
        String outcome = result.failed().isEmpty() ? "success" : result.succeeded().isEmpty() ? "failure" : "partial";
        cycles.labelValues(t.accountId(), t.region(), outcome).inc();
    }

    /** The value the duration gauges carry; the replicas publish this same double, so they serve the same bytes. */
    public static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }

    void besideSkipped(TargetKey t, CollectorName collector) {
        collectorSkipped.labelValues(collector.key(), t.accountId(), t.region()).inc();
    }

    /**
     * Sets a target's up and last-success gauges to what the replica that collects it published, so that every
     * replica serves the same values for them, and the same per-collector durations (cycle counts, cycle durations,
     * skips and metrics requested stay each replica's own).
     *
     * @param lastSuccess epoch seconds per collector
     * @param took        seconds of each collector's last successful run ({@code opsgate_collector_duration_seconds})
     */
    public void replicated(TargetKey t, Map<CollectorName, Boolean> collectorUp, Map<CollectorName, Double> lastSuccess,
                           Map<CollectorName, Double> took) {
        collectorUp.forEach((c, ok) -> up.labelValues(c.key(), t.accountId(), t.region()).set(ok ? 1 : 0));
        lastSuccess.forEach((c, at) -> this.lastSuccess.labelValues(c.key(), t.accountId(), t.region()).set(at));
        took.forEach((c, s) -> collectorDuration.labelValues(c.key(), t.accountId(), t.region()).set(s));
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
