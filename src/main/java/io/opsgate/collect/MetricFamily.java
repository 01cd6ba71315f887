package io.opsgate.collect;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.List;

/**
 * One metric family as a collector produced it. Families with the same name from different
 * (collector, account, region) keys are merged when the snapshot is rendered.
 *
 * @param name full exposition name; info families end in {@code _info}
 */
public record MetricFamily(String name, String help, Type type, List<Sample> samples) {
    public enum Type { GAUGE, INFO }

    public MetricFamily {
        samples = List.copyOf(samples);
    }

    /**
     * One sample: its label names in the library's order (sorted), the values in the same order, and the value.
     * Not a library {@link Labels} per sample: the snapshot is what the service keeps between cycles, and for the
     * issue #9 benchmark fleet (112,000 samples) a {@code Labels} object with its own names array per sample was
     * about a fifth of it (BENCHMARKS.md); the samples a builder makes share one names array per set of names.
     * The arrays are never handed out, so a sample stays immutable.
     */
    public static final class Sample {
        private final String[] names;
        private final String[] values;
        private final double value;

        /** Trusted: {@code names} sorted and valid as {@link Labels} makes them, and shared, never modified. */
        Sample(String[] names, String[] values, double value) {
            this.names = names;
            this.values = values;
            this.value = value;
        }

        public Sample(Labels labels, double value) {
            this(namesOf(labels), valuesOf(labels), value);
        }

        public Labels labels() {
            return Labels.of(names, values);
        }

        public double value() {
            return value;
        }

        public int labelCount() {
            return names.length;
        }

        public String labelName(int i) {
            return names[i];
        }

        public String labelValue(int i) {
            return values[i];
        }

        static String[] namesOf(Labels labels) {
            String[] out = new String[labels.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = labels.getName(i);
            }
            return out;
        }

        static String[] valuesOf(Labels labels) {
            String[] out = new String[labels.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = labels.getValue(i);
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s && Double.compare(value, s.value) == 0
                    && Arrays.equals(names, s.names) && Arrays.equals(values, s.values);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(names) + Arrays.hashCode(values)) + Double.hashCode(value);
        }

        @Override
        public String toString() {
            return "Sample[labels=" + labels() + ", value=" + value + "]";
        }
    }
}
