package io.opsgate.alerts.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.TestPostgres;
import io.vertx.core.Future;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link JdbcAlertStoreTest} again on a real PostgreSQL (a database of this class's own, a schema per
 * test), and what only a store that replicas share has: two replicas on one database, claims and their takeover.
 */
class PostgresAlertStoreTest extends JdbcAlertStoreTest {
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static final Map<String, List<Destination>> ONE = Map.of("r", List.of(new Destination("r/x[0]", "x", true)));
    private static OpsGateConfig.Database database;
    private final String schema = "t" + TESTS.incrementAndGet();

    @BeforeAll
    static void createDatabase() {
        database = TestPostgres.createDatabase("store");
    }

    @AfterAll
    static void dropDatabase() {
        TestPostgres.dropDatabase(database);
    }

    /** Reopening a name is the same replica restarting (its id too, so its own claims are its at once). */
    @Override
    JdbcAlertStore open(String name) throws SQLException {
        return replica("replica-" + name, Duration.ofSeconds(30));
    }

    private JdbcAlertStore replica(String id, Duration lease) throws SQLException {
        return JdbcAlertStore.postgres(vertx, TestPostgres.inSchema(database, schema), lease, id);
    }

    private static IncomingAlert in(String fp, AlertStatus status, Instant startsAt) {
        Alert a = status == AlertStatus.FIRING ? alert(fp, status, startsAt)
                : new Alert(fp, status, Map.of("alertname", "A", "fp", fp), Map.of(), startsAt, startsAt.plusSeconds(60), "");
        return new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO, Duration.ofHours(4),
                Duration.ZERO, "gk", "", a);
    }

    /** Two replicas, each fed by its own Alertmanager, get the same alerts at the same instant: one notification. */
    @Test
    void twoReplicasIngestingAndFlushingTheSameAlertsAtOnceMakeOneNotification() throws Exception {
        try (JdbcAlertStore a = replica("a", Duration.ofSeconds(30)); JdbcAlertStore b = replica("b", Duration.ofSeconds(30))) {
            for (int round = 0; round < 20; round++) {
                List<IncomingAlert> copies = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    copies.add(in("r" + round + "-" + i, AlertStatus.FIRING, T0.plusSeconds(round)));
                }
                Instant at = T0.plusSeconds(100 + round);
                List<Future<IngestResult>> ingests = List.of(a.ingest(copies, at), b.ingest(copies, at),
                        a.ingest(copies, at), b.ingest(copies, at));
                Future.all(ingests).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(ingests.stream().mapToInt(f -> f.result().changed()).sum()).as("round %d", round).isEqualTo(10);
                List<Future<FlushResult>> flushes = List.of(a.flushDue(at, ONE), b.flushDue(at, ONE));
                Future.all(flushes).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(flushes.stream().mapToInt(f -> f.result().created().size()).sum()).as("round %d", round)
                        .isEqualTo(1);
                PendingDelivery row = flushes.stream().flatMap(f -> f.result().created().stream()).findFirst().orElseThrow();
                JdbcAlertStore owner = flushes.get(0).result().created().isEmpty() ? b : a;
                JdbcAlertStore other = owner == a ? b : a;
                assertThat(get(other.claim(row.notification().id(), 1, at))).as("claimed by its replica")
                        .isInstanceOf(Claim.Gone.class);
                assertThat(get(owner.claim(row.notification().id(), 1, at))).isInstanceOf(Claim.Claimed.class);
                get(owner.markSent(row.notification().id(), 1, at));
            }
        }
    }

    /**
     * The group commit under the HA race: two replicas, each taking every webhook three times at once (the copies
     * of their Alertmanager peer, each with its own startsAt), so that many webhooks of the same alerts share a
     * transaction and both replicas' transactions contend for the same groups. Over rounds that fire, resolve and
     * fire again, each state change of each group makes exactly one notification, of that state.
     */
    @Test
    void batchedIngestsOfTheSameAlertsOnTwoReplicasMakeOneNotificationPerStateChange() throws Exception {
        int groups = 12;
        int alertsPerGroup = 5;
        try (JdbcAlertStore a = replica("a", Duration.ofSeconds(30)); JdbcAlertStore b = replica("b", Duration.ofSeconds(30))) {
            for (int round = 0; round < 6; round++) {
                boolean firing = round % 2 == 0;
                Instant at = T0.plusSeconds(100L * round);
                Instant fired = T0.plusSeconds(100L * (firing ? round : round - 1));
                List<Future<IngestResult>> ingests = new ArrayList<>();
                for (int copy = 0; copy < 3; copy++) {
                    for (JdbcAlertStore replica : List.of(a, b)) {
                        for (int g = 0; g < groups; g++) {
                            List<IncomingAlert> webhook = new ArrayList<>();
                            for (int i = 0; i < alertsPerGroup; i++) {
                                String fp = "g" + g + "-" + i;
                                Instant startsAt = fired.minusSeconds(copy + (replica == a ? 0 : 3));
                                Alert alert = firing
                                        ? new Alert(fp, AlertStatus.FIRING, Map.of("alertname", "G" + g, "fp", fp),
                                                Map.of(), startsAt, null, "")
                                        : new Alert(fp, AlertStatus.RESOLVED, Map.of("alertname", "G" + g, "fp", fp),
                                                Map.of(), startsAt, at.minusSeconds(5), "");
                                webhook.add(new IncomingAlert("0", List.of("r"), "0:{alertname=\"G" + g + "\"}",
                                        Map.of("alertname", "G" + g), Duration.ZERO, Duration.ofHours(4), Duration.ZERO,
                                        "gk" + g, "", alert));
                            }
                            ingests.add(replica.ingest(webhook, at.plusMillis(copy)));
                        }
                    }
                }
                Future.all(ingests).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(ingests.stream().mapToInt(f -> f.result().changed()).sum()).as("round %d: changes", round)
                        .isEqualTo(groups * alertsPerGroup);
                Instant flushAt = at.plusSeconds(1);
                List<Future<FlushResult>> flushes = List.of(a.flushDue(flushAt, ONE), b.flushDue(flushAt, ONE));
                Future.all(flushes).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
                List<PendingDelivery> created = flushes.stream().flatMap(f -> f.result().created().stream()).toList();
                assertThat(created).as("round %d: one notification per group", round).hasSize(groups)
                        .extracting(PendingDelivery::groupId).doesNotHaveDuplicates();
                assertThat(created).allSatisfy(d -> {
                    assertThat(d.notification().status()).isEqualTo(firing ? AlertStatus.FIRING : AlertStatus.RESOLVED);
                    assertThat(d.notification().alerts()).hasSize(alertsPerGroup);
                });
                for (PendingDelivery d : created) {
                    JdbcAlertStore owner = flushes.get(0).result().created().contains(d) ? a : b;
                    assertThat(get(owner.claim(d.notification().id(), 1, flushAt))).isInstanceOf(Claim.Claimed.class);
                    get(owner.markSent(d.notification().id(), 1, flushAt));
                }
            }
            long[] batchedA = a.ingestBatches();
            long[] batchedB = b.ingestBatches();
            assertThat(batchedA[0] + batchedB[0]).isEqualTo(6L * 3 * 2 * groups);
            assertThat(batchedA[1] + batchedB[1]).as("transactions: the webhooks were batched")
                    .isLessThan(batchedA[0] + batchedB[0]);
        }
    }

    /**
     * A webhook that PostgreSQL refuses (a NUL character, which its text type cannot hold) fails alone: the
     * webhooks batched with it are committed. (The webhook parser replaces NULs, so this one is made past it.)
     */
    @Test
    void aWebhookThePostgresRefusesFailsAloneNotItsBatchMates() throws Exception {
        try (JdbcAlertStore store = open("a")) {
            List<Future<IngestResult>> ingests = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                // the fingerprint is stored as it came (labels and annotations as JSON, where a NUL is escaped)
                String fp = i == 17 ? "n\u0000" + i : "n" + i;
                Alert alert = new Alert(fp, AlertStatus.FIRING, Map.of("alertname", "A", "fp", "n" + i), Map.of(), T0,
                        null, "");
                ingests.add(store.ingest(List.of(new IncomingAlert("0", List.of("r"), "0:{fp=" + fp + "}", Map.of(),
                        Duration.ZERO, Duration.ofHours(4), Duration.ZERO, "gk", "", alert)), T0));
            }
            Future.join(ingests).toCompletionStage().handle((v, e) -> null).toCompletableFuture()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 0; i < ingests.size(); i++) {
                if (i == 17) {
                    assertThat(ingests.get(i).cause()).isInstanceOf(StoreUnavailableException.class);
                } else {
                    assertThat(ingests.get(i).succeeded()).as("webhook %d", i).isTrue();
                    assertThat(ingests.get(i).result().changed()).isEqualTo(1);
                }
            }
            assertThat(store.ingestBatches()[2]).as("the bad webhook shared a batch, which was split").isPositive();
            assertThat(get(store.flushDue(T0, ONE)).created()).hasSize(39);
        }
    }

    /**
     * A replica dies holding a request in flight and a pending row: once its lease expires the other replica takes
     * both, re-sending the one in flight with its key and attempt > 0.
     */
    @Test
    void aDeadReplicasClaimsAreTakenOverAfterTheLease() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        Instant now = Instant.now();
        long inFlight;
        String key;
        long pending;
        try (JdbcAlertStore dead = replica("dead", lease)) {
            List<IncomingAlert> alerts = new ArrayList<>();
            for (int g = 0; g < 2; g++) {
                Alert a = alert("d" + g, AlertStatus.FIRING, now.minusSeconds(5));
                alerts.add(new IncomingAlert("0", List.of("r"), "0:{g=" + g + "}", Map.of(), Duration.ZERO,
                        Duration.ofHours(4), Duration.ZERO, "gk", "", a));
            }
            get(dead.ingest(alerts, now));
            List<PendingDelivery> rows = get(dead.flushDue(now, ONE)).created();
            assertThat(rows).hasSize(2);
            inFlight = rows.get(0).notification().id();
            key = rows.get(0).notification().idempotencyKey();
            pending = rows.get(1).notification().id();
            assertThat(get(dead.claim(inFlight, 1, now))).isInstanceOf(Claim.Claimed.class);
        } // closed without a word: as far as the database knows, a SIGKILL
        try (JdbcAlertStore alive = replica("alive", lease)) {
            assertThat(get(alive.maintainClaims(now.plusMillis(500), List.of()))).as("lease still running").isEmpty();
            List<PendingDelivery> taken = get(alive.maintainClaims(now.plus(lease).plusMillis(100), List.of()));
            assertThat(taken).extracting(d -> d.notification().id()).containsExactly(inFlight, pending);
            assertThat(taken.get(0).notification().idempotencyKey()).isEqualTo(key);
            assertThat(taken.get(0).notification().attempt()).as("a re-send").isEqualTo(1);
            assertThat(taken.get(1).notification().attempt()).isZero();
            Claim again = get(alive.claim(inFlight, 2, now.plus(lease).plusMillis(200)));
            assertThat(again).isInstanceOf(Claim.Claimed.class);
            assertThat(((Claim.Claimed) again).row().notification().attempt()).isEqualTo(1);
        }
    }

    /**
     * A renewal that had to wait for a connection (under load, behind the pool's queue; here behind an ingest that
     * holds the only one, itself blocked by another transaction's lock) counts the lease from when it ran, not from
     * when it was asked for: a lease already partly spent when it is committed lets another replica take over, and
     * send again, a request still in flight here.
     */
    @Test
    void aRenewalThatWaitedCountsItsLeaseFromWhenItRan() throws Exception {
        Duration lease = Duration.ofSeconds(30);
        Duration held = Duration.ofMillis(1500);
        Instant now = Instant.now();
        OpsGateConfig.Database db = TestPostgres.inSchema(database, schema);
        OpsGateConfig.Database oneConnection = new OpsGateConfig.Database(db.url(), db.user(), db.password(), 1);
        try (JdbcAlertStore a = JdbcAlertStore.postgres(vertx, oneConnection, lease, "a")) {
            get(a.ingest(List.of(in("w", AlertStatus.FIRING, now.minusSeconds(5))), now));
            long id = get(a.flushDue(now, ONE)).created().get(0).notification().id();
            assertThat(get(a.claim(id, 1, now))).isInstanceOf(Claim.Claimed.class);
            Future<?> blockedIngest;
            Future<List<PendingDelivery>> renewal;
            try (var blocker = TestPostgres.connect(db); var watcher = TestPostgres.connect(db)) {
                blocker.setAutoCommit(false);
                try (var s = blocker.createStatement()) {
                    s.executeQuery("SELECT 1 FROM alert_group FOR UPDATE").close();
                }
                blockedIngest = a.ingest(List.of(in("w", AlertStatus.RESOLVED, now.minusSeconds(5))), now);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waitsOnALock(watcher));
                renewal = a.maintainClaims(now, List.of(id)); // queued behind the ingest: the pool has one connection
                Thread.sleep(held.toMillis()); // the wait that must not come off the lease
                blocker.commit();
            }
            get(blockedIngest);
            get(renewal);
            try (var c = TestPostgres.connect(db);
                 var s = c.prepareStatement("SELECT lease_until FROM outbox WHERE id = ?")) {
                s.setLong(1, id);
                try (var rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).as("lease counted from when the renewal ran")
                            .isGreaterThanOrEqualTo(now.plus(held).plus(lease).toEpochMilli());
                }
            }
        }
    }

    private static boolean waitsOnALock(java.sql.Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    /** A lane's next row waits while its request is in flight on another replica, and goes once that is answered. */
    @Test
    void aLaneWithARequestInFlightOnAnotherReplicaWaits() throws Exception {
        try (JdbcAlertStore a = replica("a", Duration.ofSeconds(30)); JdbcAlertStore b = replica("b", Duration.ofSeconds(30))) {
            get(a.ingest(List.of(in("x", AlertStatus.FIRING, T0)), T0));
            long first = get(a.flushDue(T0, ONE)).created().get(0).notification().id();
            assertThat(get(a.claim(first, 1, T0))).isInstanceOf(Claim.Claimed.class);
            get(b.ingest(List.of(in("x", AlertStatus.RESOLVED, T0)), T0.plusSeconds(61)));
            List<PendingDelivery> newer = get(b.flushDue(T0.plusSeconds(61), ONE)).created();
            assertThat(newer).hasSize(1);
            long second = newer.get(0).notification().id();
            assertThat(get(b.claim(second, 1, T0.plusSeconds(61)))).isInstanceOf(Claim.LaneBusy.class);
            get(a.markSent(first, 1, T0.plusSeconds(62)));
            Claim claim = get(b.claim(second, 1, T0.plusSeconds(62)));
            assertThat(claim).isInstanceOf(Claim.Claimed.class);
            assertThat(((Claim.Claimed) claim).row().notification().status()).isEqualTo(AlertStatus.RESOLVED);
        }
    }

    @Test
    void aSchemaNewerThanTheBuildIsRefused() throws Exception {
        open("a").close();
        OpsGateConfig.Database db = TestPostgres.inSchema(database, schema);
        try (var c = TestPostgres.connect(db); var s = c.createStatement()) {
            s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "checksum, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', "
                    + "'V99__future.sql', 0, 'test', 0, true)");
        }
        assertThatThrownBy(() -> open("a")).isInstanceOf(SQLException.class)
                .hasMessageContaining("schema version 99").hasMessageContaining("newer OpsGate");
        assertThat(StoreCheck.postgres(db)).hasValueSatisfying(p -> assertThat(p).contains("schema version 99"));
        assertThat(StoreCheck.postgres(new OpsGateConfig.Database("jdbc:postgresql://127.0.0.1:1/none", "u", "pw", 1)))
                .hasValueSatisfying(p -> assertThat(p).contains("cannot connect to jdbc:postgresql://127.0.0.1:1/none")
                        .doesNotContain("pw"));
    }
}
