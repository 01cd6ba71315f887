package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.OpsGateService;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.ExpositionText;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's limits against raw sockets on the real service ({@link OpsGateService} as {@code run} starts it):
 * clients that send nothing, send their head a byte at a time, stall in their body, hold bodies beyond the budget,
 * or open more connections than allowed. Small limits keep the test short; bench/hardening measures the defaults.
 */
class ServerHardeningTest {
    private static final Duration HEADER = Duration.ofMillis(1000);
    private static final Duration BODY = Duration.ofMillis(1500);
    private static final Duration IDLE = Duration.ofMillis(1200);
    private static final int MAX_CONNECTIONS = 20;
    private static final String TOKEN = "hardening-token";
    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static OpsGateService service;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        OpsGateConfig config = ConfigLoader.parse("""
                server:
                  listen: 127.0.0.1:0
                  request_header_timeout: %dms
                  request_body_timeout: %dms
                  idle_timeout: %dms
                  max_connections: %d
                  max_inflight_body_bytes: 256KiB
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "http://127.0.0.1:9", cloudwatch: "http://127.0.0.1:9", sts: "http://127.0.0.1:9", servicequotas: "http://127.0.0.1:9"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 1}
                accounts: [{name: t, id: "123456789012"}]
                alerts:
                  auth: {bearer_token: %s}
                  max_body_size: 128KiB
                  store: {path: alerts.db}
                """.formatted(HEADER.toMillis(), BODY.toMillis(), IDLE.toMillis(), MAX_CONNECTIONS, TOKEN),
                "hardening.yml", Map.<String, String>of()::get, dir);
        service = OpsGateService.start(vertx, config, Clock.systemUTC()).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        service.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", service.port());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads until the server closes; returns what it sent. Throws if it stays open past the socket timeout. */
    private static String readToEof(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + s.getSoTimeout() + " ms; got: " + out, e);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String webhook(int alerts) {
        JsonArray list = new JsonArray();
        for (int i = 0; i < alerts; i++) {
            list.add(new JsonObject().put("status", "firing")
                    .put("labels", new JsonObject().put("alertname", "Hardening").put("i", String.valueOf(i)))
                    .put("startsAt", "2026-11-23T10:00:00Z"));
        }
        return new JsonObject().put("version", "4").put("status", "firing").put("alerts", list).encode();
    }

    private static String head(String method, String path, long contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: opsgate\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postWebhook(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/hooks/alertmanager"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double closed(String reason) throws Exception {
        return ExpositionText.sum(get("/metrics").body(), "opsgate_http_connections_closed_total",
                "reason=\"" + reason + "\"");
    }

    @Test
    void aSocketThatSendsNothingIsClosedAtTheHeaderTimeout() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            assertThat(readToEof(s)).isEmpty();
            Duration open = Duration.ofNanos(System.nanoTime() - start);
            assertThat(open).isBetween(HEADER.minusMillis(100), HEADER.plusSeconds(2));
        }
        assertThat(closed("header_timeout")).as(get("/metrics").body().lines()
                .filter(l -> l.startsWith("opsgate_http")).toList().toString()).isPositive();
    }

    @Test
    void headersSentAByteAtATimeAreCutOffAtTheHeaderTimeout() throws Exception {
        byte[] head = "GET /metrics HTTP/1.1\r\nHost: opsgate\r\nX-Slow: 1234567890123456789012345678901234567890\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket s = connect()) {
            long start = System.nanoTime();
            OutputStream out = s.getOutputStream();
            Thread dripper = new Thread(() -> {
                try {
                    for (byte b : head) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(50); // the attack's pace, not a wait for the server: 4 s for the whole head
                    }
                } catch (IOException | InterruptedException closedOnUs) {
                    // expected: the server closes before the head is complete
                }
            });
            dripper.start();
            String answer = readToEof(s);
            Duration open = Duration.ofNanos(System.nanoTime() - start);
            dripper.join(10_000);
            assertThat(answer).as("no answer to a head that never completed").isEmpty();
            assertThat(open).isBetween(HEADER.minusMillis(100), HEADER.plusSeconds(2));
        }
    }

    @Test
    void aKeepAliveConnectionWithNothingToDoIsClosedAtTheIdleTimeout() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: opsgate\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = readToEof(s);
            Duration open = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("OK\n");
            assertThat(open).isBetween(IDLE.minusMillis(100), IDLE.plusSeconds(2));
        }
        assertThat(closed("idle_timeout")).isPositive();
    }

    @Test
    void aBodyThatStallsGets408AtTheBodyTimeout() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(head("POST", "/hooks/alertmanager", 100_000).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write("{\"version\":\"4\",".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = readToEof(s);
            Duration open = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("request_body_timeout");
            assertThat(open).isBetween(BODY.minusMillis(100), BODY.plusSeconds(2));
        }
        assertThat(closed("body_timeout")).isPositive();
    }

    @Test
    void bodiesBeyondTheBudgetGet503WithRetryAfterAndSmallWebhooksStillGetThrough() throws Exception {
        List<Socket> partial = new ArrayList<>();
        try {
            // Two bodies of 128 KiB declared, half sent: the 256 KiB budget is spoken for.
            for (int i = 0; i < 2; i++) {
                Socket s = connect();
                partial.add(s);
                s.getOutputStream().write(head("POST", "/hooks/alertmanager", 128 * 1024).getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(new byte[64 * 1024]);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> service.metricsEndpoint() != null
                    && ExpositionText.sum(get("/metrics").body(), "opsgate_http_request_body_bytes_in_flight", "")
                    >= 256 * 1024);
            // A third of the same size finds no room: 503 at once, its body never read.
            try (Socket third = connect()) {
                third.getOutputStream().write(head("POST", "/hooks/alertmanager", 128 * 1024)
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = readToEof(third);
                assertThat(answer).startsWith("HTTP/1.1 503").contains("retry-after: 5").contains("max_inflight_body_bytes");
            }
            // A small webhook takes the room of one of the large stalled ones, which is shed with 503.
            HttpResponse<String> small = postWebhook(webhook(3));
            assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
            long shedAnswers = 0;
            for (Socket s : partial) {
                s.setSoTimeout(BODY.toMillis() > 0 ? 500 : 0);
                try {
                    byte[] buf = new byte[512];
                    int n = s.getInputStream().read(buf);
                    if (n > 0 && new String(buf, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 503")) {
                        shedAnswers++;
                    }
                } catch (SocketTimeoutException stillWaiting) {
                    // the other one keeps its room
                }
            }
            assertThat(shedAnswers).isEqualTo(1);
            assertThat(ExpositionText.sum(get("/metrics").body(), "opsgate_http_request_bodies_refused_total", ""))
                    .isGreaterThanOrEqualTo(2);
        } finally {
            for (Socket s : partial) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                ExpositionText.sum(get("/metrics").body(), "opsgate_http_request_body_bytes_in_flight", "") == 0);
    }

    @Test
    void aFloodOfIdleSocketsNeitherExceedsTheCapNorStopsHealthMetricsOrTheWebhook() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS * 3; i++) {
                flood.add(connect());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> service.metricsEndpoint() != null
                    && closed("evicted") >= MAX_CONNECTIONS);
            long start = System.nanoTime();
            assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            HttpResponse<String> metrics = get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(ExpositionText.sum(metrics.body(), "opsgate_http_connections", "")).isLessThanOrEqualTo(MAX_CONNECTIONS);
            assertThat(postWebhook(webhook(2)).statusCode()).isEqualTo(200);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
    }
}
