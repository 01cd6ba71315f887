package io.opsgate.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.alerts.model.Notification;
import io.opsgate.alerts.notify.DeliveryOutcome;
import io.opsgate.alerts.routing.RouteMatch;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.PrivatePostgres;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway on a PostgreSQL server that stops (as in a crash: {@code pg_ctl stop -m immediate}) and starts again,
 * on a cluster of the test's own ({@link PrivatePostgres}), with notifications in flight and groups waiting out
 * their group_wait at the stop. While the server is down the webhook answers 503, so Alertmanager retries; after it
 * is back everything that was answered 200 is delivered, and a notification whose outcome could not be recorded is
 * sent again only under its own idempotency key with {@code attempt > 0}.
 */
class PostgresRestartTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration GROUP_WAIT = Duration.ofSeconds(2);
    private static PrivatePostgres postgres;
    private static OpsGateConfig.Database database;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PrivatePostgres.start();
        database = postgres.createDatabase("restart");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static JsonObject firing(String fingerprint) {
        return Webhooks.message("firing", Webhooks.alert(fingerprint, "firing",
                Map.of("alertname", "Restart" + fingerprint, "instance", fingerprint), START));
    }

    @Test
    void whilePostgresIsDownWebhooksAnswer503AndAfterItsRestartEverythingAcceptedIsDelivered() throws Exception {
        RecordingChannel channel = new RecordingChannel("team/test[0]", Optional.empty());
        OpsGateConfig.Alerts config = GatewayHarness.config(java.nio.file.Path.of("unused.db"), "token")
                .withStore(OpsGateConfig.Store.postgres(database, Duration.ofSeconds(3)));
        FixedRouter router = new FixedRouter(List.of(new RouteMatch("0", List.of("team"), List.of("alertname"),
                GROUP_WAIT, Duration.ofHours(4), Duration.ofSeconds(1))));
        List<String> accepted = new ArrayList<>();
        try (GatewayHarness gateway = new GatewayHarness(config, router, Map.of("team", List.of(channel)))) {
            // in flight at the stop: the destination answers them while the server is down, so their outcome
            // cannot be recorded
            for (int i = 0; i < 3; i++) {
                channel.thenAfter(new DeliveryOutcome.Delivered(200), Duration.ofSeconds(1));
            }
            for (String fp : List.of("flight-1", "flight-2", "flight-3")) {
                assertThat(gateway.post(firing(fp)).statusCode()).isEqualTo(200);
                accepted.add(fp);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> channel.attempts().size() == 3);
            // waiting out group_wait at the stop: flushed into the outbox only once the server is back
            for (String fp : List.of("waiting-1", "waiting-2")) {
                assertThat(gateway.post(firing(fp)).statusCode()).isEqualTo(200);
                accepted.add(fp);
            }
            postgres.stop();

            Map<Integer, Integer> codes = new TreeMap<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                int code = gateway.post(firing("down")).statusCode();
                codes.merge(code, 1, Integer::sum);
                return code == 503;
            });
            assertThat(codes).as("answers while the server is down").containsKey(503).doesNotContainKey(500);
            // still down after the store's own retries: Alertmanager keeps getting 503 and retries later
            assertThat(gateway.post(firing("down")).statusCode()).isEqualTo(503);
            postgres.startServer();

            // what Alertmanager does with a 503: the same webhook again, until it is taken
            for (String fp : List.of("down", "after-1", "after-2")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.post(firing(fp)).statusCode() == 200);
                accepted.add(fp);
            }
            await().atMost(Duration.ofSeconds(45)).until(() -> delivered(channel).keySet().containsAll(accepted));
            await().atMost(Duration.ofSeconds(20)).until(this::outboxStates, s -> s.keySet().equals(java.util.Set.of("sent")));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> channel.attempts().size(), n -> n == channel.attempts().size());
        }
        Map<String, List<Notification>> perAlert = delivered(channel);
        assertThat(perAlert.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
        for (Map.Entry<String, List<Notification>> e : perAlert.entrySet()) {
            List<Notification> sends = e.getValue();
            assertThat(sends.stream().map(Notification::idempotencyKey).distinct()).as(e.getKey() + ": one key")
                    .hasSize(1);
            assertThat(sends.get(0).attempt()).isZero();
            assertThat(sends.subList(1, sends.size())).as(e.getKey() + ": a re-send says so")
                    .allSatisfy(n -> assertThat(n.attempt()).isPositive());
            if (!e.getKey().startsWith("flight-")) {
                assertThat(sends).as(e.getKey() + ": its outcome was recorded, so it went out once").hasSize(1);
            }
        }
        assertThat(outboxStates()).isEqualTo(Map.of("sent", (long) accepted.size()));
        System.out.printf("PostgreSQL stopped and started again: %d alerts accepted, all delivered; %d sent again "
                        + "(their outcome fell into the outage), same key, attempt > 0%n", accepted.size(),
                perAlert.values().stream().mapToInt(l -> l.size() - 1).sum());
    }

    /** Each alert's delivered notifications, in the order they were sent. */
    private static Map<String, List<Notification>> delivered(RecordingChannel channel) {
        return channel.delivered().stream().collect(Collectors.groupingBy(n -> n.alerts().get(0).fingerprint(),
                TreeMap::new, Collectors.toList()));
    }

    private Map<String, Long> outboxStates() throws Exception {
        Map<String, Long> states = new TreeMap<>();
        try (Connection c = postgres.connect("restart"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state, count(*) FROM outbox GROUP BY state")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getLong(2));
            }
        }
        return states;
    }
}
