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
    private final LabelStrings strings;

    private FamilyBuilder(String name, String help, MetricFamily.Type type, LabelStrings strings) {
        this.name = name;
        this.help = help;
        this.type = type;
        this.strings = strings;
    }

    /** @param strings shared by the families built together, so that they share their label strings too */
    static FamilyBuilder gauge(String name, String help, LabelStrings strings) {
        return new FamilyBuilder(name, help, MetricFamily.Type.GAUGE, strings);
    }

    static FamilyBuilder info(String name, String help, LabelStrings strings) {
        return new FamilyBuilder(name, help, MetricFamily.Type.INFO, strings);
    }

    FamilyBuilder add(Labels labels, double value) {
        samples.add(new MetricFamily.Sample(labels, value));
        return this;
    }

    FamilyBuilder add(double value, String... nameValuePairs) {
        String[] pairs = new String[nameValuePairs.length];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = strings.of(nameValuePairs[i]);
        }
        return add(Labels.of(pairs), value);
    }

    /** An info sample: value 1, with tags appended as {@code tag_<Key>} labels. */
    FamilyBuilder addInfo(Map<String, String> tags, String... nameValuePairs) {
        Labels labels = Labels.of(nameValuePairs).merge(TagLabels.of(tags));
        String[] names = new String[labels.size()];
        String[] values = new String[labels.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = strings.of(labels.getName(i));
            values[i] = strings.of(labels.getValue(i));
        }
        return add(Labels.of(names, values), 1);
    }

    MetricFamily build() {
        return new MetricFamily(name, help, type, samples);
    }
}
