package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class LiveTailTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter events = Counter.builder().name("opsgate_test_events_total").help("a service metric").register(registry);
    private final ExpositionWriter writer = new ExpositionWriter();
    private final LiveTail tail = new LiveTail(registry, writer, new RuntimeMetricsSampler(registry, writer, System::nanoTime));

    @Test
    void reusesTheCompressedMemberWhileTheBytesAreTheSame() throws IOException {
        events.inc();
        byte[] first = tail.renderGzip(false);
        assertThat(tail.renderGzip(false)).isSameAs(first);
        assertThat(gunzip(first)).isEqualTo(new String(tail.render(false), StandardCharsets.UTF_8))
                .contains("opsgate_test_events_total 1.0");
    }

    @Test
    void everyScrapeSeesTheCurrentValue() throws IOException {
        events.inc();
        byte[] before = tail.renderGzip(false);
        events.inc();
        byte[] after = tail.renderGzip(false);
        assertThat(after).isNotSameAs(before);
        assertThat(gunzip(after)).contains("opsgate_test_events_total 2.0");
    }

    @Test
    void formatsAreCompressedSeparately() throws IOException {
        assertThat(gunzip(tail.renderGzip(true))).contains("# TYPE opsgate_test_events counter").endsWith("# EOF\n");
        assertThat(gunzip(tail.renderGzip(false))).contains("# TYPE opsgate_test_events_total counter").doesNotContain("# EOF");
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
