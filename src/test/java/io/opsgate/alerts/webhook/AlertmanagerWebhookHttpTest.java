package io.opsgate.alerts.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.alerts.Webhooks;
import io.opsgate.alerts.metrics.AlertMetrics;
import io.opsgate.alerts.store.IngestResult;
import io.opsgate.http.RequestAuth;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The webhook endpoint on a real HTTP server: what reaches the ingest, and what is refused before it, with which code. */
class AlertmanagerWebhookHttpTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final List<WebhookMessage> ACCEPTED = new CopyOnWriteArrayList<>();
    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        WebhookIngest ingest = m -> {
            ACCEPTED.add(m);
            return Future.succeededFuture(new IngestResult(m.alerts().size(), 0, Optional.empty()));
        };
        new AlertmanagerWebhook(ingest, new RequestAuth(null, null, "token"), 64 * 1024,
                new AlertMetrics(new PrometheusRegistry())).mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void clear() {
        ACCEPTED.clear();
    }

    private static String good() {
        return Webhooks.message("firing", Webhooks.alert("f1", "firing", Map.of("alertname", "Disk"), START)).encode();
    }

    private static HttpResponse<String> post(String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                        + AlertmanagerWebhook.PATH))
                .header("Authorization", "Bearer token")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Stream<Arguments> refused() {
        String good = good();
        return Stream.of(
                Arguments.of("no Content-Type", null, good, 415, "missing Content-Type"),
                Arguments.of("text/plain", "text/plain", good, 415, "application/json"),
                Arguments.of("form post (curl -d)", "application/x-www-form-urlencoded", good, 415, "application/json"),
                Arguments.of("json lookalike", "application/jsonp", good, 415, "application/json"),
                Arguments.of("ndjson", "application/x-ndjson", good, 415, "application/json"),
                Arguments.of("duplicate top-level key", "application/json",
                        good.replaceFirst("\"status\":\"firing\"", "\"status\":\"firing\",\"status\":\"resolved\""), 400,
                        "duplicate key 'status'"),
                Arguments.of("duplicate label", "application/json",
                        good.replace("\"alertname\":\"Disk\"", "\"alertname\":\"Disk\",\"alertname\":\"Cpu\""), 400,
                        "duplicate key 'alertname'"),
                Arguments.of("year 10000", "application/json",
                        good.replace(START.toString(), "+10000-01-01T00:00:00Z"), 400, "RFC 3339"),
                Arguments.of("NUL in a label value", "application/json; charset=utf-8",
                        good.replace("\"Disk\"", "\"Disk\\u0000\\u001b[2J\"") + "trailing", 400, "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedWithAJsonReasonAndNothingIngested(String name, String contentType, String body, int code,
                                                 String reason) throws Exception {
        HttpResponse<String> r = post(contentType, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(new JsonObject(r.body()).getString("error")).contains(reason);
        assertThat(ACCEPTED).isEmpty();
    }

    @Test
    void jsonWithParametersOrInAnyCaseIsAccepted() throws Exception {
        for (String type : new String[] {"application/json", "application/json; charset=utf-8", "Application/JSON"}) {
            assertThat(post(type, good()).statusCode()).as(type).isEqualTo(200);
        }
        assertThat(ACCEPTED).hasSize(3);
    }

    /** Control characters stay in the data but not in logs; NUL alone is replaced (PostgreSQL's text cannot hold it). */
    @Test
    void controlCharactersInLabelValuesAreKeptInTheDataButNotInLogs() throws Exception {
        String body = good().replace("\"Disk\"", "\"Disk\\u0000\\u001b[2J\"");
        assertThat(post("application/json", body).statusCode()).isEqualTo(200);
        String value = ACCEPTED.get(0).alerts().get(0).labels().get("alertname");
        assertThat(value).isEqualTo("Disk\uFFFD\u001b[2J");
        assertThat(io.opsgate.logging.LogText.escape(value)).isEqualTo("Disk\uFFFD\\u001b[2J");
    }
}
