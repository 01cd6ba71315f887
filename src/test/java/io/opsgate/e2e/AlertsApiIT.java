package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/alerts} and {@code /api/v1/notifications} of the packaged gateway holding 50,000 alerts (about 75 MB
 * of labels and annotations) in a JVM with a 48 MB heap: reading them needs paging that never holds the table, and the
 * API needs the webhook's credentials. Before paging, one anonymous GET of this table ended in OutOfMemoryError.
 */
class AlertsApiIT {
    private static final int ALERTS = 50_000;
    private static final int PER_POST = 500;
    private static final String AUTH = "Bearer " + GatewayConfigs.TOKEN;
    @TempDir
    static Path work;
    private static GatewayProcess gateway;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        Path config = work.resolve("opsgate.yml");
        // A group_wait of a day: the alerts stay pending, so only the API reads them.
        Files.writeString(config, GatewayConfigs.deadAws() + GatewayConfigs.alerts("alerts.db") + """
                route:
                  receiver: log
                  group_by: [alertname]
                  group_wait: 1d
                """);
        gateway = GatewayProcess.run(config, FreePort.pick(), work.resolve("gateway.log"),
                List.of("-XX:+UseSerialGC", "-Xmx48m"));
        String description = "d".repeat(1200);
        Instant start = Instant.parse("2026-11-23T10:00:00Z");
        for (int first = 0; first < ALERTS; first += PER_POST) {
            JsonArray alerts = new JsonArray();
            for (int i = first; i < first + PER_POST; i++) {
                alerts.add(new JsonObject().put("status", "firing")
                        .put("labels", new JsonObject().put("alertname", "Paged" + (i % 50)).put("instance", "host-" + i)
                                .put("job", "node").put("severity", "warning"))
                        .put("annotations", new JsonObject().put("summary", "alert " + i).put("description", description))
                        .put("startsAt", start.toString()).put("endsAt", "0001-01-01T00:00:00Z")
                        .put("fingerprint", String.format("%016x", i)));
            }
            JsonObject body = new JsonObject().put("version", "4").put("status", "firing").put("receiver", "opsgate")
                    .put("groupKey", "{}:{}").put("alerts", alerts);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.uri("/hooks/alertmanager"))
                    .header("Authorization", AUTH).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAlertReadPageByPageOnceInA48MbHeap() throws Exception {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r = get("/api/v1/alerts?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), AUTH);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonObject page = new JsonObject(r.body());
            JsonArray alerts = page.getJsonArray("alerts");
            assertThat(alerts.size()).isBetween(1, 1000);
            assertThat(r.body().length()).as("a page stays near 1 MiB").isLessThan((1 << 20) + 8192);
            for (Object o : alerts) {
                JsonObject a = (JsonObject) o;
                assertThat(seen.add(a.getString("fingerprint"))).as("seen once: " + a.getString("fingerprint")).isTrue();
                assertThat(a.getString("route")).isEqualTo("0");
                assertThat(a.getJsonObject("annotations").getString("description")).hasSize(1200);
            }
            cursor = page.getString("next");
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(ALERTS);
        assertThat(pages).as("1 MiB pages of ~1.5 KB alerts").isGreaterThan(ALERTS / 1000);
        assertThat(gateway.isAlive()).isTrue();
        assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
    }

    @Test
    void defaultLimitIs100AndBadParametersAre400() throws Exception {
        JsonObject page = new JsonObject(get("/api/v1/alerts", AUTH).body());
        assertThat(page.getJsonArray("alerts")).hasSize(100);
        assertThat(page.getString("next")).isNotBlank();
        JsonObject second = new JsonObject(get("/api/v1/alerts?cursor=" + page.getString("next"), AUTH).body());
        assertThat(second.getJsonArray("alerts").getJsonObject(0).getString("fingerprint"))
                .isGreaterThan(page.getJsonArray("alerts").getJsonObject(99).getString("fingerprint"));
        for (String bad : List.of("/api/v1/alerts?limit=1001", "/api/v1/alerts?limit=0", "/api/v1/alerts?limit=x",
                "/api/v1/alerts?cursor=garbage", "/api/v1/notifications?cursor=" + page.getString("next"),
                "/api/v1/notifications?status=lost")) {
            HttpResponse<String> r = get(bad, AUTH);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(new JsonObject(r.body()).getString("field")).as(bad).isIn("limit", "cursor", "status");
        }
        JsonObject outbox = new JsonObject(get("/api/v1/notifications", AUTH).body());
        assertThat(outbox.getJsonArray("notifications")).isEmpty();
        assertThat(outbox.getValue("next")).isNull();
    }

    @Test
    void anonymousOrWrongCredentialsGet401AndNoData() throws Exception {
        for (String path : List.of("/api/v1/alerts", "/api/v1/notifications", "/api/v1/alerts?limit=1000")) {
            for (String authorization : new String[] {null, "Bearer wrong", "Basic YWxlcnRtYW5hZ2VyOng="}) {
                HttpResponse<String> r = get(path, authorization);
                assertThat(r.statusCode()).as(path + " " + authorization).isEqualTo(401);
                assertThat(r.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"opsgate\"");
                assertThat(r.body()).doesNotContain("host-");
            }
        }
        assertThat(get("/-/healthy", null).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
    }
}
