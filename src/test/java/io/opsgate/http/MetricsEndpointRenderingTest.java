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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which formats and encodings are rendered for a new snapshot, when the memory of a replaced rendering is freed,
 * and that every response carries one whole snapshot while another replaces it.
 */
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
        assertThat(get(null)).contains("0.25");
        SharedBytes first = endpoint.rendering().encodings(RenderedMetrics.Format.TEXT).plain();
        assertThat(first.freed()).isFalse();

        publish(2, 0.5);
        assertThat(first.freed()).isTrue();
        assertThat(get(null)).contains("0.5").doesNotContain("0.25");
        SharedBytes second = endpoint.rendering().encodings(RenderedMetrics.Format.TEXT).plain();
        assertThat(second.freed()).isFalse();
    }

    @Test
    void plainBytesAreRenderedOnlyOnTheFirstRequestWithoutGzip() throws Exception {
        getGzip(null);
        getGzip(OPENMETRICS);
        Snapshot snapshot = publishVolumes(1, 40_000);
        getGzip(null);
        getGzip(OPENMETRICS);
        assertThat(endpoint.rendering().bytes(RenderedMetrics.Format.TEXT, true)).isNotNull();
        assertThat(endpoint.rendering().bytes(RenderedMetrics.Format.TEXT, false)).isNull();
        assertThat(endpoint.rendering().bytes(RenderedMetrics.Format.OPENMETRICS, false)).isNull();

        byte[] text = getBytes(null, false);
        assertThat(text).startsWith(expectedText(snapshot));
        assertThat(endpoint.rendering().bytes(RenderedMetrics.Format.TEXT, false)).isNotNull();
        assertThat(endpoint.rendering().bytes(RenderedMetrics.Format.OPENMETRICS, false)).isNull();
        assertThat(getBytes(OPENMETRICS, false)).startsWith(expectedOpenMetrics(snapshot));
        assertThat(gunzip(getBytes(null, true))).startsWith(expectedText(snapshot));
        assertThat(gunzip(getBytes(OPENMETRICS, true))).startsWith(expectedOpenMetrics(snapshot));
    }

    @Test
    void aResponseOfTheReplacedSnapshotIsWrittenWholeWhileTheNewOneIsServed() throws Exception {
        get(null);
        // A body (5 MB) larger than the kernel's largest send buffer (4 MB) with a small receive window:
        // the response cannot be written to the end before the client reads it.
        Snapshot first = publishVolumes(1, 100_000);
        RenderedMetrics firstRendering = endpoint.rendering();
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096); // before connecting: it sets the window
            slow.connect(new InetSocketAddress("127.0.0.1", server.actualPort()));
            slow.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            int firstByte = in.read(); // the response has started: its bytes are the first snapshot's

            Snapshot second = publishVolumes(2, 100_000);
            assertThat(firstRendering.encodings(RenderedMetrics.Format.TEXT)).isNull(); // retired...
            assertThat(firstRendering.freed()).isFalse(); // ...but held by the response still being written
            assertThat(getBytes(null, false)).startsWith(expectedText(second));
            assertThat(gunzip(getBytes(null, true))).startsWith(expectedText(second));

            slow.setReceiveBufferSize(1 << 20);
            byte[] rest = in.readAllBytes();
            byte[] response = new byte[rest.length + 1];
            response[0] = (byte) firstByte;
            System.arraycopy(rest, 0, response, 1, rest.length);
            String text = new String(response, StandardCharsets.ISO_8859_1);
            int bodyAt = text.indexOf("\r\n\r\n") + 4;
            Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(text.substring(0, bodyAt));
            assertThat(length.find()).isTrue();
            byte[] body = Arrays.copyOfRange(response, bodyAt, response.length);
            assertThat(body).hasSize(Integer.parseInt(length.group(1))).startsWith(expectedText(first));
        }
        await().atMost(Duration.ofSeconds(10)).until(firstRendering::freed);
    }

    @Test
    void concurrentScrapesWhileSnapshotsAreReplacedEachGetOneWholeSnapshot() throws Exception {
        getGzip(null);
        getGzip(OPENMETRICS);
        Map<Long, Snapshot> published = new ConcurrentHashMap<>();
        List<RenderedMetrics> renderings = new ArrayList<>();
        published.put(1L, publishVolumes(1, 20_000));
        renderings.add(endpoint.rendering());
        ExecutorService scrapers = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            AtomicBoolean done = new AtomicBoolean();
            for (int i = 0; i < 6; i++) {
                boolean openMetrics = i % 2 == 1;
                boolean gzip = i % 3 != 0;
                results.add(scrapers.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    int scrapes = 0;
                    while (!done.get() || scrapes < 3) {
                        byte[] raw = getBytes(openMetrics ? OPENMETRICS : null, gzip);
                        byte[] body = gzip ? gunzip(raw) : raw;
                        long version = versionOf(body);
                        Snapshot snapshot = published.get(version);
                        byte[] expected = snapshot == null ? null
                                : openMetrics ? expectedOpenMetrics(snapshot) : expectedText(snapshot);
                        if (expected == null || !startsWith(body, expected)) {
                            wrong.add("openMetrics=" + openMetrics + " gzip=" + gzip + " version=" + version);
                        }
                        scrapes++;
                    }
                    return wrong;
                }));
            }
            for (long version = 2; version <= 6; version++) {
                Snapshot next = snapshot(version, 20_000);
                published.put(version, next);
                endpoint.onSnapshot(next);
                long v = version;
                await().atMost(Duration.ofSeconds(20)).until(endpoint::renderedVersion, r -> r == v);
                renderings.add(endpoint.rendering());
            }
            done.set(true);
            for (Future<List<String>> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            scrapers.shutdownNow();
        }
        RenderedMetrics served = renderings.remove(renderings.size() - 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> renderings.stream().allMatch(RenderedMetrics::freed));
        assertThat(served.freed()).isFalse();
    }

    /** Every sample of snapshot N has the value N. */
    private static long versionOf(byte[] body) {
        Matcher value = Pattern.compile("aws_ebs_burst_balance_ratio\\{volume_id=\"vol-0\"} (\\S+)")
                .matcher(new String(body, StandardCharsets.UTF_8));
        return value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        return body.length >= prefix.length && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
    }

    private Snapshot publishVolumes(long version, int volumes) throws InterruptedException {
        Snapshot snapshot = snapshot(version, volumes);
        endpoint.onSnapshot(snapshot);
        await().atMost(Duration.ofSeconds(20)).until(endpoint::renderedVersion, v -> v == version);
        return snapshot;
    }

    /** {@code volumes} samples, each of value {@code version}, and labels long enough for several chunks. */
    private static Snapshot snapshot(long version, int volumes) {
        List<MetricFamily.Sample> samples = new ArrayList<>(volumes);
        for (int i = 0; i < volumes; i++) {
            samples.add(new MetricFamily.Sample(Labels.of("volume_id", "vol-" + i), version));
        }
        MetricFamily burst = new MetricFamily("aws_ebs_burst_balance_ratio", "burst", MetricFamily.Type.GAUGE, samples);
        return new Snapshot(version, Map.of(new CollectorKey(CollectorName.EBS, TARGET), List.of(burst)));
    }

    private static byte[] expectedText(Snapshot snapshot) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ExpositionWriter().writeText(SnapshotRenderer.toMetricSnapshots(snapshot), out);
        return out.toByteArray();
    }

    private static byte[] expectedOpenMetrics(Snapshot snapshot) {
        return new ExpositionWriter().openMetricsWithoutEof(SnapshotRenderer.toMetricSnapshots(snapshot));
    }

    private byte[] getBytes(String accept, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEqualTo(gzip ? Optional.of("gzip") : Optional.empty());
        return response.body();
    }

    private void getGzip(String accept) throws Exception {
        getBytes(accept, true);
    }

    private static byte[] gunzip(byte[] gzip) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
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
