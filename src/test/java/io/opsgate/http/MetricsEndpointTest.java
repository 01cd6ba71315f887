package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.collect.CollectorKey;
import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.Snapshot;
import io.opsgate.collect.TargetKey;
import io.opsgate.config.CollectorName;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static MetricsEndpoint endpoint;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        PrometheusRegistry self = new PrometheusRegistry();
        Counter.builder().name("opsgate_test_events_total").help("test counter").register(self).inc(3);
        GaugeWithCallback.builder().name("jvm_test_threads").help("a runtime metric, sampled")
                .callback(cb -> cb.call(12)).register(self);
        endpoint = new MetricsEndpoint(vertx, self);
        server = vertx.createHttpServer().requestHandler(HttpApi.router(vertx, endpoint, () -> true))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();

        TargetKey target = new TargetKey("111111111111", "us-east-1");
        MetricFamily burst = new MetricFamily("aws_ebs_burst_balance_ratio", "burst", MetricFamily.Type.GAUGE,
                List.of(new MetricFamily.Sample(Labels.of("account_id", "111111111111", "region", "us-east-1", "volume_id", "vol-1"), 0.5)));
        MetricFamily info = new MetricFamily("aws_ebs_volume_info", "info", MetricFamily.Type.INFO,
                List.of(new MetricFamily.Sample(Labels.of("volume_id", "vol-1", "tag_Name", "db \"primary\""), 1)));
        endpoint.onSnapshot(new Snapshot(7, Map.of(new CollectorKey(CollectorName.EBS, target), List.of(burst, info))));
        await().atMost(Duration.ofSeconds(10)).until(endpoint::renderedVersion, v -> v == 7);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static HttpResponse<byte[]> get(String accept, String encoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (encoding != null) {
            request.header("Accept-Encoding", encoding);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void textFormatHasSnapshotAndLiveMetrics() throws Exception {
        HttpResponse<byte[]> response = get(null, null);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
        assertThat(body).contains("# TYPE aws_ebs_burst_balance_ratio gauge")
                .contains("aws_ebs_burst_balance_ratio{account_id=\"111111111111\",region=\"us-east-1\",volume_id=\"vol-1\"} 0.5")
                .contains("aws_ebs_volume_info{tag_Name=\"db \\\"primary\\\"\",volume_id=\"vol-1\"} 1")
                .contains("opsgate_test_events_total 3.0")
                .contains("jvm_test_threads 12.0")
                .doesNotContain("# EOF");
    }

    @Test
    void openMetricsEndsWithExactlyOneEof() throws Exception {
        HttpResponse<byte[]> response = get("application/openmetrics-text; version=1.0.0; charset=utf-8", null);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/openmetrics-text"));
        assertThat(body).endsWith("# EOF\n").contains("# TYPE aws_ebs_volume info").contains("jvm_test_threads 12.0");
        assertThat(body.indexOf("# EOF")).isEqualTo(body.lastIndexOf("# EOF"));
    }

    @Test
    void gzipBodyDecodesToTheSameTextAsPlain() throws Exception {
        HttpResponse<byte[]> zipped = get(null, "gzip");
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String unzipped = gunzip(zipped.body());
        String plain = new String(get(null, null).body(), StandardCharsets.UTF_8);
        // JVM-free registry: the live part is identical between the two scrapes.
        assertThat(unzipped).isEqualTo(plain);
        assertThat(Integer.parseInt(zipped.headers().firstValue("Content-Length").orElseThrow())).isEqualTo(zipped.body().length);
    }

    @Test
    void gzipRefusedByQZero() {
        assertThat(MetricsEndpoint.acceptsGzip("gzip;q=0, identity")).isFalse();
        assertThat(MetricsEndpoint.acceptsGzip("deflate, gzip;q=0.5")).isTrue();
        assertThat(MetricsEndpoint.acceptsGzip(null)).isFalse();
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
