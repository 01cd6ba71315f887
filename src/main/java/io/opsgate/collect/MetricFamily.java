package io.opsgate.collect;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;

/**
 * One metric family as a collector produced it. Families with the same name from different
 * (collector, account, region) keys are merged when the snapshot is rendered.
 *
 * @param name full exposition name; info families end in {@code _info}
 */
public record MetricFamily(String name, String help, Type type, List<Sample> samples) {
    public enum Type { GAUGE, INFO }

    public record Sample(Labels labels, double value) {
    }

    public MetricFamily {
        samples = List.copyOf(samples);
    }
}
