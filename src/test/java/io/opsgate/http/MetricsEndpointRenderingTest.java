package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.collect.CollectorKey;
import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.Snapshot;
import io.opsgate.collect.TargetKey;
import io.opsgate.config.CollectorName;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which formats are rendered for a new snapshot, and when the memory of a replaced rendering is freed. */
class MetricsEndpointRenderingTest {
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final TargetKey TARGET = new TargetKey("111111111111", "us-east-1");
    private final HttpClient client = HttpClient.newHttpClient();
    private Vertx vertx;
    private HttpServer server;
    private MetricsEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        endpoint = new MetricsEndpoint(vertx, new PrometheusRegistry());
        server = vertx.createHttpServer().requestHandler(HttpApi.router(vertx, endpoint, () -> true))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void rendersUpFrontOnlyTheFormatsScrapedMeanwhileAndTheOthersOnDemand() throws Exception {
        assertThat(get(null)).doesNotContain("aws_ebs_burst_balance_ratio"); // text asked before the first snapshot
        publish(1, 0.25);
        assertThat(endpoint.rendering().encodings(RenderedMetrics.Format.TEXT)).isNotNull();
        assertThat(endpoint.rendering().encodings(RenderedMetrics.Format.OPENMETRICS)).isNull();
        assertThat(get(null)).contains("aws_ebs_burst_balance_ratio{volume_id=\"vol-1\"} 0.25");

        publish(2, 0.5);
        assertThat(endpoint.rendering().encodings(RenderedMetrics.Format.TEXT)).isNotNull();
        assertThat(endpoint.rendering().encodings(RenderedMetrics.Format.OPENMETRICS)).isNull();

        String openMetrics = get(OPENMETRICS);
        assertThat(openMetrics).contains("aws_ebs_burst_balance_ratio{volume_id=\"vol-1\"} 0.5").endsWith("# EOF\n");
        assertThat(endpoint.rendering().encodings(RenderedMetrics.Format.OPENMETRICS)).isNotNull();
        assertThat(endpoint.renderedVersion()).isEqualTo(2);
    }

    @Test
    void replacedRenderingIsFreedOnceItsResponsesAreWritten() throws Exception {
        get(null);
        publish(1, 0.25);
        SharedBytes first = endpoint.rendering().encodings(RenderedMetrics.Format.TEXT).plain();
        assertThat(get(null)).contains("0.25");
        assertThat(first.freed()).isFalse();

        publish(2, 0.5);
        assertThat(first.freed()).isTrue();
        assertThat(get(null)).contains("0.5").doesNotContain("0.25");
        SharedBytes second = endpoint.rendering().encodings(RenderedMetrics.Format.TEXT).plain();
        assertThat(second.freed()).isFalse();
    }

    private void publish(long version, double value) throws InterruptedException {
        MetricFamily burst = new MetricFamily("aws_ebs_burst_balance_ratio", "burst", MetricFamily.Type.GAUGE,
                List.of(new MetricFamily.Sample(Labels.of("volume_id", "vol-1"), value)));
        endpoint.onSnapshot(new Snapshot(version, Map.of(new CollectorKey(CollectorName.EBS, TARGET), List.of(burst))));
        await().atMost(Duration.ofSeconds(10)).until(endpoint::renderedVersion, v -> v == version);
    }

    private String get(String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
