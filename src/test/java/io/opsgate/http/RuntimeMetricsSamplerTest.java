package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RuntimeMetricsSamplerTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicInteger readings = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RuntimeMetricsSampler sampler = new RuntimeMetricsSampler(registry, new ExpositionWriter(), now::get);

    RuntimeMetricsSamplerTest() {
        GaugeWithCallback.builder().name("jvm_test_readings").help("how often the runtime was read")
                .callback(cb -> cb.call(readings.incrementAndGet())).register(registry);
        Counter.builder().name("opsgate_test_events_total").help("a service metric").register(registry).inc();
    }

    @Test
    void readsTheRuntimeAtMostOncePerMaxAgeWhateverTheFormat() {
        String first = text(sampler.rendered(false));
        sampler.rendered(true);
        now.addAndGet(RuntimeMetricsSampler.MAX_AGE.toNanos() - 1);
        assertThat(text(sampler.rendered(false))).isEqualTo(first);
        assertThat(readings).hasValue(1);
        assertThat(first).contains("jvm_test_readings 1.0");

        now.addAndGet(1);
        assertThat(text(sampler.rendered(false))).contains("jvm_test_readings 2.0");
        assertThat(readings).hasValue(2);
    }

    @Test
    void leavesServiceMetricsToTheLiveScrape() {
        assertThat(text(sampler.rendered(false))).doesNotContain("opsgate_");
        assertThat(text(sampler.rendered(true))).contains("jvm_test_readings").doesNotContain("# EOF");
    }

    @Test
    void nothingToSampleRendersNoBytes() {
        RuntimeMetricsSampler empty = new RuntimeMetricsSampler(new PrometheusRegistry(), new ExpositionWriter(), now::get);
        assertThat(empty.rendered(false)).isEmpty();
        assertThat(empty.rendered(true)).isEmpty();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
