package io.opsgate.collect;

import io.opsgate.config.OpsGateConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of the CloudWatch queries the parts ask for are worth requesting this cycle, for one (account, region)
 * across cycles. Parts always ask for everything; what is not due is filled from the last value read, so parts see
 * no difference. Two rules, both off when cost-aware polling is disabled:
 * <ol>
 *   <li><b>No datapoint that cannot have changed.</b> A query is requested at most once per period of its own
 *       (the query's period, else the configured one), periods counted from the epoch and shifted by the
 *       publication delay, i.e. aligned to when CloudWatch can have the next datapoint. Every query goes through
 *       this rule, whichever part asked for it.</li>
 *   <li><b>Physics.</b> A query with a {@link Bucket} (BurstBalance, the CPU credit metrics) is requested only when
 *       its level could have reached the bucket's threshold: a datapoint whose period starts {@code s} seconds after
 *       the last one read can be at most {@code s × drain} lower, so nothing below the threshold can be published
 *       before {@code start of the last datapoint + (value − threshold) / drain}. Low (at or below the threshold),
 *       draining (lower than the read before) and unknown levels are requested at every new period, and none waits
 *       longer than the maximum interval. A bucket's other queries (credit usage, surplus) follow its level.</li>
 * </ol>
 * Used by one cycle at a time (a target never runs two cycles at once).
 */
final class QuerySchedule {

    /**
     * The bucket a query belongs to.
     *
     * @param level          the query whose value is the bucket's level (BurstBalance, CPUCreditBalance)
     * @param drainPerSecond the most the level can fall per second, in its own unit; 0 if it cannot fall; NaN if
     *                       unknown (read every period)
     * @param threshold      the level at or below which the bucket is low, in the level's unit
     */
    record Bucket(MetricQuery level, double drainPerSecond, double threshold) {
    }

    /** Why a query was not requested: the label of {@code opsgate_cloudwatch_metrics_skipped_total}. */
    enum Skip {
        /** Read in this period already: CloudWatch cannot have a newer datapoint. */
        SAME_PERIOD("same_period"),
        /** Its bucket cannot have reached the threshold since the last read. */
        CANNOT_CROSS("cannot_cross_threshold");

        final String label;

        Skip(String label) {
            this.label = label;
        }
    }

    /**
     * @param due     the queries to request, each once
     * @param carried the last value of every query not requested that had one
     * @param skipped how many queries were not requested, by reason
     */
    record Decision(List<MetricQuery> due, Map<MetricQuery, Double> carried, Map<Skip, Integer> skipped) {
    }

    private record Reading(Instant at, CloudWatchFetcher.Datapoint newest, Double previous) {
    }

    private final OpsGateConfig.CostAware settings;
    private final Duration defaultPeriod;
    private final Map<MetricQuery, Reading> readings = new HashMap<>();

    QuerySchedule(OpsGateConfig.CostAware settings, Duration defaultPeriod) {
        this.settings = settings;
        this.defaultPeriod = defaultPeriod;
    }

    Decision plan(Collection<MetricQuery> asked, Map<MetricQuery, Bucket> buckets, Instant now) {
        Set<MetricQuery> unique = new LinkedHashSet<>(asked);
        // Resources gone since the last cycle take their readings with them.
        readings.keySet().retainAll(unique);
        if (!settings.enabled()) {
            return new Decision(List.copyOf(unique), Map.of(), Map.of());
        }
        List<MetricQuery> due = new ArrayList<>();
        Map<MetricQuery, Double> carried = new HashMap<>();
        Map<Skip, Integer> skipped = new java.util.EnumMap<>(Skip.class);
        Map<MetricQuery, Boolean> levelDue = new HashMap<>();
        for (MetricQuery q : unique) {
            Skip skip = skip(q, buckets.get(q), levelDue, now);
            if (skip == null) {
                due.add(q);
            } else {
                skipped.merge(skip, 1, Integer::sum);
                Reading r = readings.get(q);
                if (r.newest() != null) {
                    carried.put(q, r.newest().value());
                }
            }
        }
        return new Decision(due, carried, skipped);
    }

    /** Remembers what the requested queries returned; a query without a datapoint is absent from {@code newest}. */
    void record(Collection<MetricQuery> requested, Map<MetricQuery, CloudWatchFetcher.Datapoint> newest, Instant at) {
        for (MetricQuery q : requested) {
            Reading old = readings.get(q);
            Double previous = old == null || old.newest() == null ? null : old.newest().value();
            readings.put(q, new Reading(at, newest.get(q), previous));
        }
    }

    /** Null when the query is due now. */
    private Skip skip(MetricQuery q, Bucket bucket, Map<MetricQuery, Boolean> levelDue, Instant now) {
        Reading r = readings.get(q);
        if (r == null) {
            return null;
        }
        if (slot(now, q) <= slot(r.at(), q)) {
            return Skip.SAME_PERIOD;
        }
        if (bucket == null) {
            return null;
        }
        boolean levelIsDue = levelDue.computeIfAbsent(bucket.level(), l -> levelDue(l, bucket, now));
        return levelIsDue ? null : Skip.CANNOT_CROSS;
    }

    private boolean levelDue(MetricQuery level, Bucket bucket, Instant now) {
        Reading r = readings.get(level);
        if (r == null || r.newest() == null || Double.isNaN(bucket.drainPerSecond())) {
            return true;
        }
        if (!now.isBefore(r.at().plus(settings.maxInterval()))) {
            return true;
        }
        double value = r.newest().value();
        if (value <= bucket.threshold() || (r.previous() != null && value < r.previous())) {
            return true; // low or draining: every new datapoint
        }
        if (bucket.drainPerSecond() <= 0) {
            return false;
        }
        double seconds = (value - bucket.threshold()) / bucket.drainPerSecond();
        // From the start of the datapoint's period: a later period is no more than its distance lower.
        Instant from = r.newest().timestamp() != null ? r.newest().timestamp() : r.at().minus(period(level));
        Instant safeUntil = from.plusMillis((long) Math.floor(seconds * 1000));
        return !now.isBefore(safeUntil);
    }

    /** The query's period counted from the epoch, shifted by the publication delay. */
    private long slot(Instant t, MetricQuery q) {
        return Math.floorDiv(t.getEpochSecond() - settings.publicationDelay().toSeconds(),
                Math.max(1, period(q).toSeconds()));
    }

    private Duration period(MetricQuery q) {
        return q.period() == null ? defaultPeriod : q.period();
    }
}
