package io.opsgate.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The JVM and process metrics ({@code jvm_*}, {@code process_*}) of the self registry, sampled at most once
 * per {@link #MAX_AGE} and kept rendered. Reading them is the dearest part of a scrape: deadlock detection
 * stops the JVM at a safepoint twice, {@code /proc} is read, and formatting them costs more than sending
 * the whole pre-rendered snapshot; under concurrent scrapes that tripled the cost of {@code /metrics}
 * (see BENCHMARKS.md). They describe a running process, so a value up to a second old serves as well as a
 * fresh one; the service's own metrics are not sampled here and stay live on every scrape.
 */
final class RuntimeMetricsSampler {
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final PrometheusRegistry registry;
    private final ExpositionWriter writer;
    private final LongSupplier nanoTime;
    private final AtomicReference<Sample> latest = new AtomicReference<>();

    RuntimeMetricsSampler(PrometheusRegistry registry, ExpositionWriter writer, LongSupplier nanoTime) {
        this.registry = registry;
        this.writer = writer;
        this.nanoTime = nanoTime;
    }

    static boolean isRuntimeMetric(String name) {
        return name.startsWith("jvm_") || name.startsWith("process_");
    }

    /**
     * The runtime metrics rendered in the requested format, from a sample at most {@link #MAX_AGE} old.
     * OpenMetrics output lacks {@code # EOF}.
     */
    byte[] rendered(boolean openMetrics) {
        long now = nanoTime.getAsLong();
        Sample sample = latest.get();
        if (sample == null || now - sample.takenAt >= MAX_AGE.toNanos()) {
            // Two scrapes racing here both sample; either result is fine and the later one wins.
            sample = new Sample(now, registry.scrape(RuntimeMetricsSampler::isRuntimeMetric));
            latest.set(sample);
        }
        return sample.rendered(openMetrics, writer);
    }

    /** One reading of the runtime metrics, rendered lazily in each of the two formats a scrape can ask for. */
    private static final class Sample {
        final long takenAt;
        final MetricSnapshots snapshots;
        final AtomicReferenceArray<byte[]> forms = new AtomicReferenceArray<>(2);

        Sample(long takenAt, MetricSnapshots snapshots) {
            this.takenAt = takenAt;
            this.snapshots = snapshots;
        }

        byte[] rendered(boolean openMetrics, ExpositionWriter writer) {
            int index = openMetrics ? 1 : 0;
            byte[] bytes = forms.get(index);
            if (bytes == null) {
                bytes = openMetrics ? writer.openMetricsWithoutEof(snapshots) : writer.text(snapshots);
                forms.compareAndSet(index, null, bytes);
            }
            return bytes;
        }
    }
}
