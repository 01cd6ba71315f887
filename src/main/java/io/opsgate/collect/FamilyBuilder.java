package io.opsgate.collect;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Accumulates the samples of one family; labels are given as alternating name/value pairs. */
final class FamilyBuilder {
    private final String name;
    private final String help;
    private final MetricFamily.Type type;
    private final List<MetricFamily.Sample> samples = new ArrayList<>();

    private FamilyBuilder(String name, String help, MetricFamily.Type type) {
        this.name = name;
        this.help = help;
        this.type = type;
    }

    static FamilyBuilder gauge(String name, String help) {
        return new FamilyBuilder(name, help, MetricFamily.Type.GAUGE);
    }

    static FamilyBuilder info(String name, String help) {
        return new FamilyBuilder(name, help, MetricFamily.Type.INFO);
    }

    FamilyBuilder add(Labels labels, double value) {
        samples.add(new MetricFamily.Sample(labels, value));
        return this;
    }

    FamilyBuilder add(double value, String... nameValuePairs) {
        return add(Labels.of(nameValuePairs), value);
    }

    /** An info sample: value 1, with tags appended as {@code tag_<Key>} labels. */
    FamilyBuilder addInfo(Map<String, String> tags, String... nameValuePairs) {
        return add(Labels.of(nameValuePairs).merge(TagLabels.of(tags)), 1);
    }

    MetricFamily build() {
        return new MetricFamily(name, help, type, samples);
    }
}
