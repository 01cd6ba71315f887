package io.opsgate.collect;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Tag;

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
        samples.add(new MetricFamily.Sample(strings.names(MetricFamily.Sample.namesOf(labels)),
                MetricFamily.Sample.valuesOf(labels), value));
        return this;
    }

    FamilyBuilder add(double value, String... nameValuePairs) {
        String[] pairs = new String[nameValuePairs.length];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = strings.of(nameValuePairs[i]);
        }
        return add(Labels.of(pairs), value);
    }

    /** An info sample: value 1, with the resource's EC2 tags appended as {@code tag_<Key>} labels ({@link TagLabels}). */
    FamilyBuilder addInfo(List<Tag> tags, String... nameValuePairs) {
        Map<String, String> tagLabels = TagLabels.labels("tag_", tags, Tag::key, Tag::value);
        String[] names = new String[nameValuePairs.length / 2 + tagLabels.size()];
        String[] values = new String[names.length];
        int n = 0;
        for (int i = 0; i + 1 < nameValuePairs.length; i += 2, n++) {
            names[n] = strings.of(nameValuePairs[i]);
            values[n] = strings.of(nameValuePairs[i + 1]);
        }
        for (Map.Entry<String, String> tag : tagLabels.entrySet()) {
            names[n] = strings.of(tag.getKey());
            values[n++] = strings.of(tag.getValue());
        }
        return add(Labels.of(names, values), 1);
    }

    MetricFamily build() {
        return new MetricFamily(name, help, type, samples);
    }
}
