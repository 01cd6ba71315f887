package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One collector's share of a cycle of one (account, region). {@link TargetCycle} asks every enabled part for its
 * plan (inventory reads, blocking), reads the CloudWatch queries of all plans in one batched GetMetricData plan, then
 * lets each plan build its families from the values. A part whose reads throw fails alone and keeps its last good
 * data in the snapshot. Parts that are {@link #beside()} run concurrently with the others.
 */
interface CollectorPart {
    CollectorName name();

    /**
     * True for a part that asks for no CloudWatch query and whose reads are slow for reasons of their own (a rate
     * limit of its API): {@link TargetCycle} then plans and builds it on a thread of its own from the start of the
     * cycle, beside the other parts, instead of in their sequence. Its plan must have no queries.
     */
    default boolean beside() {
        return false;
    }

    /**
     * Blocking inventory reads for this cycle. {@link PartPlan#notDue()} when the part runs on a slower schedule
     * than the cycle and is not due now: its families stay as they are in the snapshot, and it counts as neither
     * succeeded nor failed.
     */
    PartPlan plan(CycleInventory inventory, Instant now);

    /** What one part will read from CloudWatch, and how it turns the values into families. */
    interface PartPlan {
        /** The CloudWatch series this part needs this cycle (may be empty). */
        List<MetricQuery> queries();

        /** Families from the values read; a query with no datapoint is absent from {@code values}. */
        List<MetricFamily> build(Map<MetricQuery, Double> values);

        static PartPlan notDue() {
            return NotDue.INSTANCE;
        }

        static PartPlan of(List<MetricQuery> queries, java.util.function.Function<Map<MetricQuery, Double>, List<MetricFamily>> build) {
            return new PartPlan() {
                @Override
                public List<MetricQuery> queries() {
                    return queries;
                }

                @Override
                public List<MetricFamily> build(Map<MetricQuery, Double> values) {
                    return build.apply(values);
                }
            };
        }
    }

    /** The plan of a part that is not due this cycle. */
    enum NotDue implements PartPlan {
        INSTANCE;

        @Override
        public List<MetricQuery> queries() {
            return List.of();
        }

        @Override
        public List<MetricFamily> build(Map<MetricQuery, Double> values) {
            throw new IllegalStateException("a part that is not due builds nothing");
        }
    }
}
