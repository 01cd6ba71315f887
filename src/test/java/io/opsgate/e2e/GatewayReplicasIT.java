package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.AlertmanagerServer;
import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.opsgate.testing.HttpSink;
import io.opsgate.testing.PeerGeneration;
import io.opsgate.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two gateway replicas as users run them ({@code java -jar target/opsgate.jar run}) on one PostgreSQL database, each
 * behind its own unclustered Alertmanager 0.33 (the HA pair whose gossip is partitioned: both peers notify), and one
 * recording webhook destination. The same alerts go to both Alertmanagers; the destination must see one delivery
 * per state change, and, when the replica holding the claims is killed mid-delivery, get them from the other one
 * after the store lease, re-sent under the same idempotency key with {@code attempt > 0}.
 *
 * <p>Both tests share the two replicas (one start of each JVM); the kill comes last. The subject is the gateway: the Alertmanagers are the same binaries in both CI passes, so {@code .ci/run}
 * runs this class in the containers pass only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayReplicasIT {
    private static final PeerGeneration GENERATION = PeerGeneration.CURRENT;
    /** Short, so that a dead replica's claims expire within the test; renewed every third of it. */
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Pattern REPLICA = Pattern.compile("as replica (\\S+) \\(claims last");

    private static Path work;
    private static OpsGateConfig.Database database;
    private static Vertx vertx;
    private static final int[] PORTS = new int[2];
    private static final AlertmanagerServer[] ALERTMANAGERS = new AlertmanagerServer[2];

    private static final GatewayProcess[] replicas = new GatewayProcess[2];
    private static HttpSink sink;
    private static OpsGateConfig.Database db;

    @BeforeAll
    static void start() throws Exception {
        GENERATION.alertmanager(); // skips (or fails under CI) before anything is started
        database = TestPostgres.createDatabase("replicas_it");
        work = Files.createTempDirectory("replicas-it");
        vertx = Vertx.vertx();
        for (int i = 0; i < 2; i++) {
            PORTS[i] = FreePort.pick();
            // Alertmanager i posts to replica i only.
            String amConfig = GatewayConfigs.alertmanagerToGateway(
                    "http://127.0.0.1:" + PORTS[i] + "/hooks/alertmanager", "[alertname, instance]", "500ms", "1s");
            ALERTMANAGERS[i] = AlertmanagerServer.start(GENERATION, amConfig, work.resolve("am-" + i));
        }
        sink = HttpSink.start(vertx);
        startReplicas("replicas");
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatewayProcess r : replicas) {
            if (r != null) {
                r.close();
            }
        }
        if (sink != null) {
            sink.close();
        }
        for (AlertmanagerServer am : ALERTMANAGERS) {
            if (am != null) {
                am.close();
            }
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        TestPostgres.dropDatabase(database);
    }

    /** Both replicas on one schema of the test database, started side by side. */
    private static void startReplicas(String schema) throws Exception {
        db = TestPostgres.inSchema(database, schema);
        Path config = work.resolve(schema + ".yml");
        Files.writeString(config, GatewayConfigs.deadAws() + GatewayConfigs.postgresAlerts(db, LEASE.toSeconds() + "s")
                + """
                route:
                  receiver: hook
                  group_by: [alertname, instance]
                  group_wait: 500ms
                  group_interval: 1s
                receivers:
                  - name: hook
                    webhook_configs: [{url: "%s", rate_limit: 0, send_resolved: true, timeout: 60s}]
                """.formatted(sink.url("/hook")));
        // timeout: requests the destination holds open stay in flight for the whole test, on a loaded machine too
        List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int port = PORTS[i];
            Path log = work.resolve(schema + "-replica-" + i + ".log");
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return GatewayProcess.run(config, port, log);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < 2; i++) {
            replicas[i] = starting.get(i).get();
        }
    }

    @Test
    @Order(1)
    void theSameAlertsThroughTwoAlertmanagersAndTwoReplicasAreDeliveredOncePerStateChange() throws Exception {
        List<String> instances = List.of("i-1", "i-2", "i-3", "i-4");
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        pushToBoth(postable("ReplicaDiskFull", instances, startsAt, startsAt.plus(Duration.ofHours(1))));
        settlesAt(() -> deliveries(sink, "firing").size(), instances.size(), Duration.ofSeconds(3));
        pushToBoth(postable("ReplicaDiskFull", instances, startsAt, Instant.now().minusSeconds(1)));
        settlesAt(() -> deliveries(sink, "resolved").size(), instances.size(), Duration.ofSeconds(3));

        List<JsonObject> all = sink.received().stream().map(r -> new JsonObject(r.body())).toList();
        Map<String, List<JsonObject>> byKey = all.stream().collect(Collectors.groupingBy(b -> b.getString("idempotencyKey")));
        assertThat(byKey).as("one key per state change: 4 alerts firing, then resolved").hasSize(2 * instances.size());
        assertThat(byKey.values()).as("each key delivered once").allSatisfy(list -> {
            assertThat(list).hasSize(1);
            assertThat(list.get(0).getInteger("attempt")).isZero();
        });
        Map<String, List<String>> statesPerInstance = new TreeMap<>();
        for (JsonObject b : all) {
            statesPerInstance.computeIfAbsent(instance(b), k -> new ArrayList<>()).add(b.getString("status"));
        }
        assertThat(statesPerInstance).hasSize(instances.size())
                .allSatisfy((instance, states) -> assertThat(states).as(instance).containsExactly("firing", "resolved"));
        for (GatewayProcess r : replicas) {
            // each Alertmanager notified its own replica, which the other replica's commit made a copy of or not
            assertThat(ExpositionText.sum(r.get("/metrics"), "opsgate_alerts_received_total"))
                    .as("replica on port " + r.port() + " took its Alertmanager's webhooks").isGreaterThanOrEqualTo(8.0);
        }
        double delivered = 0;
        for (GatewayProcess r : replicas) {
            delivered += ExpositionText.sum(r.get("/metrics"), "opsgate_notifications_total", "outcome=\"delivered\"");
        }
        assertThat(delivered).as("deliveries, both replicas together").isEqualTo(2.0 * instances.size());
    }

    /**
     * The destination holds every request open, so the notifications are in flight when the replica that claimed
     * them is SIGKILLed. The survivor leaves them alone while the dead replica's lease runs, then takes them over and
     * sends them again: same idempotency key, {@code attempt > 0}, none lost, nothing else sent twice.
     */
    @Test
    @Order(2)
    void aKilledReplicasClaimsAreDeliveredByTheOtherAfterTheLease() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        sink.otherwise(HttpSink.Answer.heldUntil(release));
        int from = sink.received().size();
        Map<String, Integer> replicaIndex = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Matcher m = REPLICA.matcher(replicas[i].log());
            assertThat(m.find()).as("replica id in the log of replica " + i).isTrue();
            replicaIndex.put(m.group(1), i);
        }
        // no more than the 5 connections a destination's HTTP client pool holds: all of them in flight at once
        List<String> instances = List.of("k-1", "k-2", "k-3", "k-4");
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        pushToBoth(postable("ReplicaKilled", instances, startsAt, startsAt.plus(Duration.ofHours(1))));
        // every notification out and held by the destination
        try {
            await().atMost(Duration.ofSeconds(45)).until(() -> sending(db).size() == instances.size()
                    && received(from).size() >= instances.size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not all in flight: outbox " + outbox(db) + "\nsink:\n"
                    + timeline(received(from), null, Map.of()), e);
        }
        assertThat(received(from)).as("one request per notification, none retried yet").hasSize(instances.size());
        Map<String, Long> claimsPerReplica = sending(db).values().stream()
                .collect(Collectors.groupingBy(InFlight::claimedBy, Collectors.counting()));
        String victimId = claimsPerReplica.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int victim = replicaIndex.get(victimId);
        GatewayProcess survivor = replicas[1 - victim];
        replicas[victim].kill();
        Instant killedAt = Instant.now();
        // What the dead replica held at the kill (its lease was renewed a moment ago: nobody can have taken it yet).
        Map<Long, InFlight> orphaned = new TreeMap<>(sending(db));
        orphaned.values().removeIf(f -> !f.claimedBy().equals(victimId));
        assertThat(orphaned).as("claims the killed replica held in flight").isNotEmpty();
        int beforeKill = received(from).size();
        sink.otherwise(HttpSink.Answer.of(200));
        release.complete(null); // the survivor's own requests are answered; the dead one's connections are gone

        await().atMost(Duration.ofSeconds(30)).until(() -> received(from).size() >= beforeKill + orphaned.size());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> received(from).size(), n -> n == beforeKill + orphaned.size());
        List<HttpSink.Received> all = received(from);
        List<HttpSink.Received> after = all.subList(beforeKill, all.size());
        Map<Long, HttpSink.Received> firstSent = new HashMap<>();
        String timeline = timeline(all, killedAt, orphaned);
        for (HttpSink.Received r : all.subList(0, beforeKill)) {
            JsonObject b = new JsonObject(r.body());
            assertThat(b.getInteger("attempt")).as(timeline).isZero();
            firstSent.put(b.getLong("id"), r);
        }
        for (HttpSink.Received r : after) {
            JsonObject b = new JsonObject(r.body());
            long id = b.getLong("id");
            InFlight held = orphaned.get(id);
            assertThat(held).as("only the killed replica's requests in flight are sent again: " + b.encode()).isNotNull();
            assertThat(b.getInteger("attempt")).as("a re-send says so").isPositive();
            assertThat(b.getString("idempotencyKey")).as("under the key the destination may have seen")
                    .isEqualTo(new JsonObject(firstSent.get(id).body()).getString("idempotencyKey"));
            assertThat(r.at()).as("not before the dead replica's lease ran out").isAfterOrEqualTo(held.leaseUntil());
        }
        assertThat(after.stream().map(r -> new JsonObject(r.body()).getLong("id")).distinct().count())
                .as("each orphaned claim sent again once").isEqualTo(orphaned.size());
        // none lost: every alert's firing reached the destination with an answer (the survivor's own, released,
        // or the re-sends after the kill), under one key per alert
        Map<String, List<String>> keysPerInstance = new TreeMap<>();
        for (HttpSink.Received r : all) {
            JsonObject b = new JsonObject(r.body());
            keysPerInstance.computeIfAbsent(instance(b), k -> new ArrayList<>()).add(b.getString("idempotencyKey"));
        }
        assertThat(keysPerInstance).hasSize(instances.size())
                .allSatisfy((instance, keys) -> assertThat(keys.stream().distinct()).as(instance).hasSize(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> outboxStates("ReplicaKilled"), s -> s.equals(Map.of("sent",
                (long) instances.size())));
        assertThat(survivor.log()).contains("took over");
        System.out.printf("replica %d SIGKILLed with %d of %d notifications in flight; re-sent by the other %.1f s "
                        + "after the kill (lease %s)%n", victim, orphaned.size(), instances.size(),
                Duration.between(killedAt, after.get(0).at()).toMillis() / 1000.0, LEASE);
    }

    private record InFlight(String claimedBy, Instant leaseUntil) {
    }

    /** What the sink took, one line per request, for failure messages. */
    private static String timeline(List<HttpSink.Received> all, Instant killedAt, Map<Long, InFlight> orphaned) {
        StringBuilder s = new StringBuilder("killed at " + killedAt + ", orphaned " + orphaned + "\n");
        for (HttpSink.Received r : all) {
            JsonObject b = new JsonObject(r.body());
            s.append(r.at()).append(" id=").append(b.getLong("id")).append(" attempt=").append(b.getInteger("attempt"))
                    .append(" key=").append(b.getString("idempotencyKey")).append(' ').append(b.getString("status"))
                    .append('\n');
        }
        return s.toString();
    }

    /** The outbox rows in flight ({@code sending}), by id, with who claimed them and until when. */
    private static Map<Long, InFlight> sending(OpsGateConfig.Database db) throws Exception {
        Map<Long, InFlight> rows = new TreeMap<>();
        try (Connection c = TestPostgres.connect(db); PreparedStatement s = c.prepareStatement(
                "SELECT id, claimed_by, lease_until FROM outbox WHERE state = 'sending'");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getLong(1), new InFlight(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
        }
        return rows;
    }

    private static List<String> outbox(OpsGateConfig.Database db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestPostgres.connect(db); PreparedStatement s = c.prepareStatement(
                "SELECT id, group_id, state, attempts, claimed_by, lease_until FROM outbox ORDER BY id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " attempts=" + rs.getInt(4)
                        + " by " + rs.getString(5) + " until " + Instant.ofEpochMilli(rs.getLong(6)));
            }
        }
        return rows;
    }

    /** Outbox rows of the groups of {@code alertname}, counted by state. */
    private static Map<String, Long> outboxStates(String alertname) throws Exception {
        Map<String, Long> states = new TreeMap<>();
        try (Connection c = TestPostgres.connect(db); PreparedStatement s = c.prepareStatement(
                "SELECT state, count(*) FROM outbox WHERE group_id LIKE ? GROUP BY state")) {
            s.setString(1, "%alertname=\"" + alertname + "\"%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return states;
    }

    /** What the sink took from its {@code from}-th request on. */
    private static List<HttpSink.Received> received(int from) {
        List<HttpSink.Received> all = sink.received();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    private static void pushToBoth(String alerts) throws Exception {
        for (AlertmanagerServer am : ALERTMANAGERS) {
            am.pushAlerts(alerts);
        }
    }

    private static String instance(JsonObject delivery) {
        JsonArray alerts = delivery.getJsonArray("alerts");
        assertThat(alerts).as("one alert per group").hasSize(1);
        return alerts.getJsonObject(0).getJsonObject("labels").getString("instance");
    }

    /** Deliveries of {@code status} the sink took, one body each. */
    private static List<JsonObject> deliveries(HttpSink sink, String status) {
        return sink.received().stream().map(r -> new JsonObject(r.body()))
                .filter(b -> status.equals(b.getString("status"))).toList();
    }

    private static String postable(String alertname, List<String> instances, Instant startsAt, Instant endsAt) {
        JsonArray alerts = new JsonArray();
        for (String instance : instances) {
            alerts.add(new JsonObject()
                    .put("labels", new JsonObject().put("alertname", alertname).put("instance", instance)
                            .put("severity", "warning"))
                    .put("annotations", new JsonObject().put("summary", alertname + " on " + instance))
                    .put("startsAt", startsAt.toString())
                    .put("endsAt", endsAt.toString())
                    .put("generatorURL", "http://prometheus:9090/graph"));
        }
        return alerts.encode();
    }

    /** Waits for {@code count} to reach {@code expected}, then requires it to stay there for {@code quiet}. */
    private static void settlesAt(java.util.concurrent.Callable<Integer> count, int expected, Duration quiet) {
        await().atMost(Duration.ofSeconds(20)).until(count, n -> n >= expected);
        await().during(quiet).atMost(quiet.plusSeconds(10)).until(count, n -> n == expected);
    }
}
