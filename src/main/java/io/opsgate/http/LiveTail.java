package io.opsgate.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The live end of {@code /metrics}: the JVM and process metrics (sampled at most once a second by
 * {@link RuntimeMetricsSampler}) and the service's own {@code opsgate_*} metrics, read on every scrape.
 *
 * <p>Gzipped, it is one gzip member, appended to the snapshot's pre-compressed member (RFC 1952 §2.2
 * allows a stream of members). Compressing it cost more CPU per scrape than sending the 670 kB
 * pre-compressed snapshot (a fresh zlib stream per scrape), yet its bytes change only when a runtime
 * sample is taken or a collection cycle moves a counter. So the last member is kept with the bytes it
 * compresses and reused while a scrape renders the same bytes: every scrape still shows the current values.
 */
final class LiveTail {
    private final PrometheusRegistry self;
    private final ExpositionWriter writer;
    private final RuntimeMetricsSampler runtime;
    /** Per format (text, OpenMetrics): the last tail compressed, with its plain bytes. */
    private final AtomicReferenceArray<Compressed> lastCompressed = new AtomicReferenceArray<>(2);

    private record Compressed(byte[] plain, byte[] gzip) {
    }

    LiveTail(PrometheusRegistry self, ExpositionWriter writer, RuntimeMetricsSampler runtime) {
        this.self = self;
        this.writer = writer;
        this.runtime = runtime;
    }

    /** The tail in the given format; OpenMetrics ends with {@code # EOF}. */
    byte[] render(boolean openMetrics) {
        byte[] runtimeMetrics = runtime.rendered(openMetrics);
        MetricSnapshots live = self.scrape(name -> !RuntimeMetricsSampler.isRuntimeMetric(name));
        return openMetrics
                ? concat(runtimeMetrics, writer.openMetricsWithoutEof(live), ExpositionWriter.EOF)
                : concat(runtimeMetrics, writer.text(live));
    }

    /** The tail as one gzip member, compressed only if its bytes differ from the last ones compressed. */
    byte[] renderGzip(boolean openMetrics) {
        byte[] plain = render(openMetrics);
        int index = openMetrics ? 1 : 0;
        Compressed last = lastCompressed.get(index);
        if (last != null && Arrays.equals(last.plain(), plain)) {
            return last.gzip();
        }
        // Two scrapes racing here both compress; either result is right for its own bytes.
        Compressed fresh = new Compressed(plain, ExpositionWriter.gzip(plain));
        lastCompressed.set(index, fresh);
        return fresh.gzip();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
