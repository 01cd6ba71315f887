package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.opsgate.testing.HttpSink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.List;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the gateway process ({@code java -jar target/opsgate.jar run}), twice over: with accepted alerts still
 * pending (refused by the destination or waiting out group_wait), and with a destination that takes everything
 * while the kill lands in the middle of the deliveries. After each restart nothing is lost, and only the requests
 * that were in flight are sent again, with their idempotency key and {@code attempt > 0}.
 */
class AlertGatewayCrashIT {
    private static final int ALERTS = 1000;
    private static final int PER_REQUEST = 10;

    @TempDir
    Path work;
    private Vertx vertx;
    private GatewayProcess gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void everyAcceptedAlertIsDeliveredExactlyOnceAfterSigkill() throws Exception {
        vertx = Vertx.vertx();
        HttpSink sink = HttpSink.start(vertx).otherwise(HttpSink.Answer.of(500));
        Path config = work.resolve("opsgate.yml");
        Files.writeString(config, GatewayConfigs.deadAws() + GatewayConfigs.alerts("alerts.db") + """
                route:
                  receiver: hook
                  group_by: ['...']
                  group_wait: 3s
                receivers:
                  - name: hook
                    webhook_configs: [{url: "%s"}]
                """.formatted(sink.url("/hook")));
        int port = FreePort.pick();
        Path log = work.resolve("gateway.log");
        gateway = GatewayProcess.run(config, port, log);

        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        postAlerts(0, ALERTS / 2, startsAt);
        // The first half leaves group_wait and lands in the outbox, where the destination refuses it.
        await().atMost(Duration.ofSeconds(30)).until(() -> ExpositionText.sum(gateway.get("/metrics"),
                "opsgate_outbox_pending") == ALERTS / 2 && !sink.received().isEmpty());
        postAlerts(ALERTS / 2, ALERTS, startsAt);
        gateway.kill();
        assertThat(gateway.isAlive()).isFalse();
        assertThat(sink.received()).allMatch(r -> r.answeredWith() == 500);

        sink.otherwise(HttpSink.Answer.of(200));
        gateway = GatewayProcess.run(config, port, log);
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveredCounts(sink).size() == ALERTS);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> deliveredCounts(sink).values().stream().mapToInt(Integer::intValue).sum() == ALERTS);
        Map<String, Integer> delivered = deliveredCounts(sink);
        assertThat(delivered).hasSize(ALERTS);
        assertThat(delivered.values()).as("no alert delivered twice").allMatch(n -> n == 1);
        String metrics = gateway.get("/metrics");
        assertThat(ExpositionText.sum(metrics, "opsgate_outbox_pending")).isEqualTo(0.0);
    }

    /**
     * The reported defect: a SIGKILL re-sent 60-100 notifications the destination had already taken, each with
     * {@code attempt: 0} and nothing to dedupe on. Now the attempt is committed before the request goes out: after the
     * kill only the requests in flight (at most {@code concurrency}) go out again, each with the key the destination
     * may have seen and {@code attempt > 0}; every other notification is delivered exactly once.
     */
    @Test
    void afterSigkillOnlyTheRequestsInFlightAreSentAgainWithTheirKey() throws Exception {
        vertx = Vertx.vertx();
        HttpSink sink = HttpSink.start(vertx);
        int concurrency = 8;
        Path config = work.resolve("opsgate.yml");
        Files.writeString(config, GatewayConfigs.deadAws() + GatewayConfigs.alerts("alerts.db")
                .replace("max_age: 10m}", "max_age: 10m, concurrency: " + concurrency + "}") + """
                route:
                  receiver: hook
                  group_by: ['...']
                  group_wait: 2s
                receivers:
                  - name: hook
                    webhook_configs: [{url: "%s", rate_limit: 0}]
                """.formatted(sink.url("/hook")));
        int port = FreePort.pick();
        Path log = work.resolve("gateway.log");
        gateway = GatewayProcess.run(config, port, log);
        // all accepted within one group_wait, so that the kill lands while the deliveries stream out
        postAlerts(0, ALERTS, Instant.now().truncatedTo(ChronoUnit.SECONDS), 250);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= ALERTS / 3);
        gateway.kill();
        int beforeKill = sink.received().size();
        assertThat(beforeKill).as("killed while delivering").isLessThan(ALERTS);

        gateway = GatewayProcess.run(config, port, log);
        await().atMost(Duration.ofSeconds(90)).until(() -> deliveredCounts(sink).size() == ALERTS);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> sink.received().size(), n -> n == sink.received().size());

        List<HttpSink.Received> all = sink.received();
        Set<String> keysBeforeKill = new HashSet<>();
        for (HttpSink.Received r : all.subList(0, beforeKill)) {
            assertThat(new JsonObject(r.body()).getInteger("attempt")).isZero();
            keysBeforeKill.add(new JsonObject(r.body()).getString("idempotencyKey"));
        }
        List<JsonObject> resent = new ArrayList<>();
        Map<String, Integer> perKey = new HashMap<>();
        for (HttpSink.Received r : all) {
            JsonObject body = new JsonObject(r.body());
            perKey.merge(body.getString("idempotencyKey"), 1, Integer::sum);
            if (body.getInteger("attempt") > 0) {
                resent.add(body);
            }
        }
        assertThat(resent.size()).as("re-sent after the kill: only what was in flight")
                .isLessThanOrEqualTo(concurrency);
        assertThat(perKey.values().stream().filter(n -> n > 1).count())
                .as("keys the destination got twice").isLessThanOrEqualTo(resent.size());
        for (Map.Entry<String, Integer> e : perKey.entrySet()) {
            if (e.getValue() > 1) {
                assertThat(e.getValue()).isEqualTo(2);
                assertThat(keysBeforeKill).as("a duplicate is a re-send of a request taken before the kill")
                        .contains(e.getKey());
                assertThat(resent).as("and the re-send says so").anyMatch(b -> b.getString("idempotencyKey")
                        .equals(e.getKey()));
            }
        }
        Map<String, Integer> delivered = deliveredCounts(sink);
        assertThat(delivered).hasSize(ALERTS);
        assertThat(delivered.values().stream().filter(n -> n > 1).count()).isLessThanOrEqualTo(resent.size());
        if (!resent.isEmpty()) {
            assertThat(gateway.log()).contains("were in flight when the previous run stopped");
        }
        System.out.printf("SIGKILL after %d of %d deliveries: %d re-sent (in flight, same key, attempt > 0), %d "
                + "delivered twice%n", beforeKill, ALERTS, resent.size(), perKey.values().stream().filter(n -> n > 1).count());
    }

    private void postAlerts(int from, int to, Instant startsAt) throws Exception {
        postAlerts(from, to, startsAt, PER_REQUEST);
    }

    private void postAlerts(int from, int to, Instant startsAt, int perRequest) throws Exception {
        for (int first = from; first < to; first += perRequest) {
            JsonArray alerts = new JsonArray();
            for (int i = first; i < Math.min(to, first + perRequest); i++) {
                alerts.add(new JsonObject()
                        .put("status", "firing")
                        .put("labels", new JsonObject().put("alertname", "Crash").put("instance", "i-" + i))
                        .put("annotations", new JsonObject())
                        .put("startsAt", startsAt.toString())
                        .put("fingerprint", "crash-" + i));
            }
            JsonObject body = new JsonObject().put("version", "4").put("status", "firing").put("receiver", "x")
                    .put("groupKey", "crash").put("alerts", alerts);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.uri("/hooks/alertmanager"))
                    .header("Authorization", "Bearer " + GatewayConfigs.TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    /** Fingerprint → how many accepted (200) deliveries carried it. */
    private static Map<String, Integer> deliveredCounts(HttpSink sink) {
        Map<String, Integer> counts = new HashMap<>();
        for (HttpSink.Received r : sink.received()) {
            if (r.answeredWith() != 200) {
                continue;
            }
            for (Object a : new JsonObject(r.body()).getJsonArray("alerts")) {
                counts.merge(((JsonObject) a).getString("fingerprint"), 1, Integer::sum);
            }
        }
        return counts;
    }
}
