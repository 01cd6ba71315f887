package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL with 1,000 accepted alerts pending: half already turned into outbox rows that the destination keeps
 * refusing (500), half still waiting out their group_wait. After a restart every alert is delivered, none twice.
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
        AlertGatewayIT.await(() -> ExpositionText.sum(gateway.get("/metrics"), "opsgate_outbox_pending") == ALERTS / 2
                && !sink.received().isEmpty(), Duration.ofSeconds(30), gateway::log);
        postAlerts(ALERTS / 2, ALERTS, startsAt);
        gateway.kill();
        assertThat(gateway.isAlive()).isFalse();
        assertThat(sink.received()).allMatch(r -> r.answeredWith() == 500);

        sink.otherwise(HttpSink.Answer.of(200));
        gateway = GatewayProcess.run(config, port, log);
        AlertGatewayIT.await(() -> deliveredCounts(sink).size() == ALERTS, Duration.ofSeconds(60), gateway::log);
        Thread.sleep(3000);
        Map<String, Integer> delivered = deliveredCounts(sink);
        assertThat(delivered).hasSize(ALERTS);
        assertThat(delivered.values()).as("no alert delivered twice").allMatch(n -> n == 1);
        String metrics = gateway.get("/metrics");
        assertThat(ExpositionText.sum(metrics, "opsgate_outbox_pending")).isEqualTo(0.0);
    }

    private void postAlerts(int from, int to, Instant startsAt) throws Exception {
        for (int first = from; first < to; first += PER_REQUEST) {
            JsonArray alerts = new JsonArray();
            for (int i = first; i < Math.min(to, first + PER_REQUEST); i++) {
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
