package io.opsgate.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opsgate.testing.AlertmanagerServer;
import io.opsgate.testing.PeerGeneration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * prometheus/alertmanager.yml in a real Alertmanager: only the webhook host (the compose hostname
 * "opsgate") and the token file's path are swapped for a local sink and a temp file; grouping, timing and
 * inhibition are the repository's. The sink checks what the gateway will receive: the bearer token from
 * the file, payload version 4, one request per (alertname, account, region) group, and the weaker EBS
 * alert of a volume suppressed while the stronger one fires.
 */
class AlertmanagerConfigIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "token-" + System.nanoTime();

    @TempDir
    Path work;
    private AlertmanagerServer alertmanager;
    private HttpServer sink;

    record Delivery(String authorization, String path, JsonNode body) {
    }

    @AfterEach
    void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (sink != null) {
            sink.stop(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void sendsGroupsWithTheBearerTokenAndInhibitsTheWeakerBurstAlert(PeerGeneration generation) throws Exception {
        generation.alertmanager(); // skips (or fails under CI) before anything is started
        BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sink.createContext("/", exchange -> {
            deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestURI().getPath(), JSON.readTree(exchange.getRequestBody())));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();

        Path token = work.resolve("opsgate_webhook_token");
        Files.writeString(token, TOKEN + "\n");
        String original = Files.readString(Path.of("prometheus", "alertmanager.yml"));
        assertThat(original).contains("http://opsgate:9108/hooks/alertmanager", "/etc/alertmanager/secrets/opsgate_webhook_token");
        alertmanager = AlertmanagerServer.start(generation, original
                .replace("http://opsgate:9108/", "http://127.0.0.1:" + sink.getAddress().getPort() + "/")
                .replace("/etc/alertmanager/secrets/opsgate_webhook_token", token.toString()), work.resolve("am"), work);
        HttpClient http = HttpClient.newHttpClient();

        String startsAt = Instant.now().toString();
        String alerts = JSON.writeValueAsString(List.of(
                alert("EBSBurstBalanceExhausted", "critical", "vol-a", startsAt),
                alert("EBSBurstBalanceLow", "warning", "vol-a", startsAt),
                alert("EBSBurstBalanceExhaustionPredicted", "warning", "vol-a", startsAt),
                alert("EBSBurstBalanceLow", "warning", "vol-b", startsAt)));
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(alertmanager.uri("/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        // group_wait is 30s: both groups arrive then. Predicted is inhibited for vol-a, and vol-a's Low too.
        Map<String, Set<String>> volumesByAlert = new HashMap<>();
        await("both groups delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (Delivery d = deliveries.poll(); d != null; d = deliveries.poll()) {
                        assertThat(d.path()).isEqualTo("/hooks/alertmanager");
                        assertThat(d.authorization()).isEqualTo("Bearer " + TOKEN);
                        assertThat(d.body().path("version").asText()).isEqualTo("4");
                        assertThat(d.body().path("status").asText()).isEqualTo("firing");
                        assertThat(d.body().path("groupLabels").path("account_id").asText()).isEqualTo("111111111111");
                        for (JsonNode a : d.body().path("alerts")) {
                            volumesByAlert.computeIfAbsent(a.path("labels").path("alertname").asText(), k -> new TreeSet<>())
                                    .add(a.path("labels").path("volume_id").asText());
                        }
                    }
                    return volumesByAlert.size() >= 2;
                });
        assertThat(volumesByAlert).as(alertmanager.generation() + " alertmanager log:\n" + alertmanager.log())
                .isEqualTo(Map.of("EBSBurstBalanceExhausted", Set.of("vol-a"), "EBSBurstBalanceLow", Set.of("vol-b")));
        // Nothing else trickles in: the inhibited alerts stay silent.
        await("no further delivery").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .pollInterval(Duration.ofMillis(100)).until(deliveries::isEmpty);
    }

    private static Map<String, Object> alert(String name, String severity, String volume, String startsAt) {
        return Map.of("labels", Map.of("alertname", name, "severity", severity, "job", "opsgate", "instance", "opsgate:9108",
                        "account_id", "111111111111", "region", "eu-west-1", "volume_id", volume),
                "annotations", Map.of("summary", name + " on " + volume),
                "startsAt", startsAt,
                "generatorURL", "http://prometheus:9090/graph");
    }
}
