package io.opsgate.alerts;

import static io.opsgate.alerts.AlertGatewayTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.routing.RouteMatch;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas in-process on one real PostgreSQL, each taking the webhooks of its own Alertmanager (the
 * same alerts, at the same instant), and one destination that both deliver to.
 */
class PostgresReplicasTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static OpsGateConfig.Database database;

    @BeforeAll
    static void createDatabase() {
        database = TestPostgres.createDatabase("replicas");
    }

    @AfterAll
    static void dropDatabase() {
        TestPostgres.dropDatabase(database);
    }

    private static GatewayHarness replica(String schema, RecordingChannel channel) throws Exception {
        OpsGateConfig.Alerts config = GatewayHarness.config(java.nio.file.Path.of("unused.db"), "token")
                .withStore(OpsGateConfig.Store.postgres(TestPostgres.inSchema(database, schema), Duration.ofSeconds(3)));
        FixedRouter router = new FixedRouter(List.of(new RouteMatch("0", List.of("team"), List.of("alertname"),
                Duration.ZERO, Duration.ofHours(4))));
        return new GatewayHarness(config, router, Map.of("team", List.of(channel)));
    }

    private static JsonObject message(String status, String... fps) {
        JsonObject[] alerts = new JsonObject[fps.length];
        for (int i = 0; i < fps.length; i++) {
            alerts[i] = Webhooks.alert(fps[i], status, Map.of("alertname", "A" + fps[i], "instance", fps[i]), START);
        }
        return Webhooks.message(status, alerts);
    }

    private static Map<String, Long> perStateChange(RecordingChannel... channels) {
        List<Notification> all = new ArrayList<>();
        for (RecordingChannel c : channels) {
            all.addAll(c.delivered());
        }
        return all.stream().collect(Collectors.groupingBy(n -> n.alerts().get(0).fingerprint() + "/" + n.status(),
                Collectors.counting()));
    }

    @Test
    void theSameAlertsAtBothReplicasAtOnceAreDeliveredOncePerStateChange() throws Exception {
        RecordingChannel a = new RecordingChannel("team/test[0]", Optional.empty());
        RecordingChannel b = new RecordingChannel("team/test[0]", Optional.empty());
        try (GatewayHarness ra = replica("same", a); GatewayHarness rb = replica("same", b)) {
            int groups = 30;
            for (String status : List.of("firing", "resolved")) {
                List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    JsonObject m = message(status, "g" + g);
                    posts.add(CompletableFuture.supplyAsync(() -> post(ra, m)));
                    posts.add(CompletableFuture.supplyAsync(() -> post(rb, m)));
                }
                for (CompletableFuture<HttpResponse<String>> p : posts) {
                    assertThat(p.get().statusCode()).isEqualTo(200);
                }
                int expected = groups * (status.equals("firing") ? 1 : 2);
                waitFor(() -> perStateChange(a, b).size() == expected);
            }
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> perStateChange(a, b).values().stream().allMatch(n -> n == 1));
            assertThat(perStateChange(a, b)).hasSize(groups * 2).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
            assertThat(a.delivered()).as("both replicas deliver").isNotEmpty();
            assertThat(b.delivered()).isNotEmpty();
        }
    }

    /**
     * The database refuses connections for a while (as when it restarts): webhooks answer 503, so Alertmanager
     * retries; every webhook answered 200 before or after is delivered.
     */
    @Test
    void whileTheDatabaseIsDownWebhooksAnswer503AndNothingAcceptedIsLost() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty());
        OpsGateConfig.Database db = TestPostgres.inSchema(database, "down");
        String name = database.url().substring(database.url().lastIndexOf('/') + 1);
        try (GatewayHarness r = replica("down", channel)) {
            assertThat(r.post(message("firing", "before")).statusCode()).isEqualTo(200);
            waitFor(() -> channel.delivered().size() == 1);
            try (Connection c = TestPostgres.connect(new OpsGateConfig.Database(
                    database.url().replace("/" + name, "/postgres"), database.user(), null, 1));
                 Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
                Map<Integer, Integer> codes = new HashMap<>();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    int code = r.post(message("firing", "during")).statusCode();
                    codes.merge(code, 1, Integer::sum);
                    return code == 503;
                });
                assertThat(codes).containsKey(503);
                s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> r.post(message("firing", "after")).statusCode() == 200);
            waitFor(() -> perStateChange(channel).keySet().containsAll(List.of("before/FIRING", "after/FIRING")));
            // "during" may have been accepted before the cut; if it was, it is delivered too
            try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM alert_state WHERE fingerprint = 'during'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    waitFor(() -> perStateChange(channel).containsKey("during/FIRING"));
                }
            }
        }
    }

    private static HttpResponse<String> post(GatewayHarness r, JsonObject m) {
        try {
            return r.post(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
