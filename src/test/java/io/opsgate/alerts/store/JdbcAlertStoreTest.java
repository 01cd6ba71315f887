package io.opsgate.alerts.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsgate.alerts.model.Alert;
import io.opsgate.alerts.model.AlertStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcAlertStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Alert alert(String fp, AlertStatus status, Instant startsAt) {
        return new Alert(fp, status, Map.of("alertname", "A", "fp", fp), Map.of(), startsAt, null, "");
    }

    private static IncidentSet at(JdbcAlertStore store, Instant now, Alert... alerts) throws Exception {
        List<IncomingAlert> in = new ArrayList<>();
        for (Alert a : alerts) {
            in.add(new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO, Duration.ofHours(4),
                    Duration.ZERO, "gk", "", a));
        }
        IngestResult r = store.ingest(in, now).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new IncidentSet(r.changed(), r.deduplicated());
    }

    private record IncidentSet(int changed, int deduplicated) {
    }

    private static Alert resolved(String fp, Instant startsAt, Instant endsAt) {
        return new Alert(fp, AlertStatus.RESOLVED, Map.of("alertname", "A", "fp", fp), Map.of(), startsAt, endsAt, "");
    }

    /** The reported defect: peers with different startsAt lost every resolve, and a late peer re-fired. */
    @Test
    void resolvesCarryingEitherPeersStartsAtGetThroughAndTheLatePeerChangesNothing() throws Exception {
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            List<Alert> peerA = new ArrayList<>();
            List<Alert> peerB = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                peerA.add(alert("s" + i, AlertStatus.FIRING, T0.plusSeconds(15)));
                peerB.add(alert("s" + i, AlertStatus.FIRING, T0));
            }
            assertThat(at(store, T0.plusSeconds(20), peerA.toArray(Alert[]::new))).isEqualTo(new IncidentSet(200, 0));
            assertThat(at(store, T0.plusSeconds(21), peerB.toArray(Alert[]::new))).isEqualTo(new IncidentSet(0, 200));
            List<Alert> resolvedA = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                resolvedA.add(resolved("s" + i, T0.plusSeconds(15), T0.plusSeconds(300)));
            }
            assertThat(at(store, T0.plusSeconds(301), resolvedA.toArray(Alert[]::new)))
                    .as("resolves with the later startsAt").isEqualTo(new IncidentSet(200, 0));
            assertThat(at(store, T0.plusSeconds(302), peerB.toArray(Alert[]::new)))
                    .as("the lagging peer still firing").isEqualTo(new IncidentSet(0, 200));
            List<AlertRecord> state = new ArrayList<>();
            store.scanAlerts(java.util.Optional.empty(), 1000, state::add)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(state).hasSize(200).allSatisfy(r -> {
                assertThat(r.alert().status()).isEqualTo(AlertStatus.RESOLVED);
                assertThat(r.alert().startsAt()).as("the earliest start").isEqualTo(T0);
            });
            assertThat(at(store, T0.plusSeconds(400), alert("s0", AlertStatus.FIRING, Instant.parse("9999-12-31T00:00:00Z"))))
                    .isEqualTo(new IncidentSet(1, 0));
            assertThat(at(store, T0.plusSeconds(500), resolved("s0", T0.plusSeconds(390), T0.plusSeconds(490))))
                    .as("a year-9999 startsAt does not hold back the resolve").isEqualTo(new IncidentSet(1, 0));
        }
    }

    @Test
    void aVersion1StoreIsUpgradedInPlaceAndANewerOneRefused() throws Exception {
        Path file = dir.resolve("v1.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE alert_state (route_id TEXT NOT NULL, fingerprint TEXT NOT NULL, group_id TEXT NOT NULL,
                      status TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT, labels TEXT NOT NULL,
                      annotations TEXT NOT NULL, generator_url TEXT NOT NULL, received_at BIGINT NOT NULL,
                      accepted_at BIGINT NOT NULL, pending INTEGER NOT NULL, notified_at BIGINT,
                      PRIMARY KEY (route_id, fingerprint))""");
            s.execute("""
                    CREATE TABLE alert_group (group_id TEXT NOT NULL PRIMARY KEY, route_id TEXT NOT NULL,
                      receivers TEXT NOT NULL, group_labels TEXT NOT NULL, group_key TEXT NOT NULL,
                      external_url TEXT NOT NULL, repeat_interval_ms BIGINT NOT NULL, group_interval_ms BIGINT NOT NULL,
                      flush_at BIGINT, next_repeat_at BIGINT, last_notified_at BIGINT)""");
            s.execute("""
                    CREATE TABLE outbox (id INTEGER PRIMARY KEY, route_id TEXT NOT NULL, receiver TEXT NOT NULL,
                      destination TEXT NOT NULL, channel_type TEXT NOT NULL, group_key TEXT NOT NULL,
                      alert_status TEXT NOT NULL, payload TEXT NOT NULL, external_url TEXT NOT NULL,
                      state TEXT NOT NULL, attempts INTEGER NOT NULL, last_error TEXT, created_at BIGINT NOT NULL,
                      accepted_at BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL, finished_at BIGINT)""");
            s.execute("INSERT INTO outbox VALUES (7, '0', 'r', 'r/x[0]', 'x', 'gk', 'firing', '{\"alerts\":[{"
                    + "\"fingerprint\":\"old\",\"status\":\"firing\",\"labels\":{},\"annotations\":{},"
                    + "\"startsAt\":\"2026-11-23T10:00:00Z\",\"generatorURL\":\"\"}],\"groupLabels\":{},"
                    + "\"commonLabels\":{},\"commonAnnotations\":{}}', '', 'pending', 2, 'HTTP 500', 0, 0, 0, NULL)");
            s.execute("INSERT INTO alert_state VALUES ('0', 'old', '0:{}', 'resolved', " + T0.toEpochMilli() + ", "
                    + T0.plusSeconds(60).toEpochMilli() + ", '{}', '{}', '', 0, 0, 0, NULL)");
            s.execute("PRAGMA user_version=1");
        }
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, file)) {
            Recovery left = get(store.recover());
            assertThat(left.pending()).hasSize(1);
            assertThat(left.pending().get(0).notification().idempotencyKey()).isEqualTo("opsgate-7");
            assertThat(left.pending().get(0).notification().attempt()).isEqualTo(2);
            assertThat(at(store, T0.plusSeconds(100), alert("old", AlertStatus.FIRING, T0.plusSeconds(30))))
                    .as("stale against the migrated horizon").isEqualTo(new IncidentSet(0, 1));
            assertThat(at(store, T0.plusSeconds(100), alert("old", AlertStatus.FIRING, T0.plusSeconds(90))))
                    .isEqualTo(new IncidentSet(1, 0));
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            assertThat(rs.getInt(1)).as("builds from before Flyway read this, and refuse a newer one")
                    .isGreaterThanOrEqualTo(4);
            s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "checksum, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', "
                    + "'V99__future.sql', 0, 'test', 0, 1)");
        }
        assertThatThrownBy(() -> JdbcAlertStore.sqlite(vertx, file)).isInstanceOf(SQLException.class)
                .hasMessageContaining("schema version 99").hasMessageContaining("newer OpsGate");
        Path pragmaOnly = dir.resolve("v99.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + pragmaOnly);
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE alert_state (x TEXT)");
            s.execute("PRAGMA user_version=99");
        }
        assertThatThrownBy(() -> JdbcAlertStore.sqlite(vertx, pragmaOnly)).isInstanceOf(SQLException.class)
                .hasMessageContaining("schema version 99").hasMessageContaining("newer OpsGate");
    }

    @Test
    void commonKeepsOnlySharedPairs() {
        assertThat(Outbox.common(List.of(Map.of("a", "1", "b", "2"), Map.of("a", "1", "b", "3"))))
                .containsExactly(Map.entry("a", "1"));
        assertThat(Outbox.common(List.of())).isEmpty();
    }

    @Test
    void concurrentIngestsAllCommitAndDuplicatesAcrossThemCollapse() throws Exception {
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            List<Future<IngestResult>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String fp = "fp" + (i % 200); // every alert twice, like two Alertmanager peers
                IncomingAlert in = new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ofHours(1),
                        Duration.ofHours(4), Duration.ofHours(1), "gk", "", alert(fp, AlertStatus.FIRING, T0));
                results.add(store.ingest(List.of(in), T0));
            }
            Future.all(results).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            int changed = results.stream().mapToInt(f -> f.result().changed()).sum();
            int duplicates = results.stream().mapToInt(f -> f.result().deduplicated()).sum();
            assertThat(changed).isEqualTo(200);
            assertThat(duplicates).isEqualTo(200);
            FlushResult flushed = store.flushDue(T0.plus(Duration.ofHours(1)),
                    Map.of("r", List.of(new Destination("r/x[0]", "x", true))))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(flushed.created()).hasSize(1);
            assertThat(flushed.created().get(0).notification().alerts()).hasSize(200);
            assertThat(flushed.nextDue()).contains(T0.plus(Duration.ofHours(5)));
        }
    }

    @Test
    void resolvedOnlyNotificationsSkipDestinationsThatDoNotSendResolved() throws Exception {
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            IncomingAlert in = new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO,
                    Duration.ofHours(4), Duration.ZERO, "gk", "", alert("z", AlertStatus.RESOLVED, T0));
            store.ingest(List.of(in), T0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            FlushResult flushed = store.flushDue(T0, Map.of("r", List.of(new Destination("r/slack[0]", "slack", false),
                            new Destination("r/webhook[0]", "webhook", true))))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(flushed.created()).extracting(d -> d.notification().destination()).containsExactly("r/webhook[0]");
        }
    }

    @Test
    void changesToANotifiedGroupWaitForGroupInterval() throws Exception {
        Map<String, List<Destination>> receivers = Map.of("r", List.of(new Destination("r/x[0]", "x", true)));
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            store.ingest(List.of(incoming("a")), T0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            FlushResult first = store.flushDue(T0, receivers).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(first.created()).hasSize(1);
            long firstId = first.created().get(0).notification().id();
            assertThat(get(store.markSending(firstId, 1, T0))).isTrue();
            get(store.markSent(firstId, 1, T0));

            Instant later = T0.plusSeconds(10);
            store.ingest(List.of(incoming("b")), later).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            FlushResult early = store.flushDue(later, receivers).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(early.created()).isEmpty();
            assertThat(early.nextDue()).contains(T0.plus(Duration.ofMinutes(5)));

            FlushResult due = store.flushDue(T0.plus(Duration.ofMinutes(5)), receivers)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(due.created()).hasSize(1);
            assertThat(due.created().get(0).notification().alerts()).extracting(Alert::fingerprint).containsExactly("b");
            assertThat(due.superseded()).isEmpty();
        }
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static final Map<String, List<Destination>> ONE = Map.of("r", List.of(new Destination("r/x[0]", "x", true)));

    private static IncomingAlert now(Alert a) {
        return new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO, Duration.ofHours(4),
                Duration.ZERO, "gk", "", a);
    }

    /** P4: a group's pending notification is replaced by the group's newest state, and keeps its Retry-After. */
    @Test
    void aNewerStateOfTheGroupSupersedesThePendingNotification() throws Exception {
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            get(store.ingest(List.of(now(alert("x", AlertStatus.FIRING, T0)), now(alert("y", AlertStatus.FIRING, T0))),
                    T0.plusSeconds(1)));
            PendingDelivery firing = get(store.flushDue(T0.plusSeconds(1), ONE)).created().get(0);
            long id = firing.notification().id();
            assertThat(get(store.markSending(id, 1, T0.plusSeconds(1)))).isTrue();
            Instant retryAt = T0.plusSeconds(16);
            assertThat(get(store.markRetry(id, 1, retryAt, "HTTP 429"))).as("nothing newer yet").isEmpty();

            get(store.ingest(List.of(now(resolved("x", T0, T0.plusSeconds(5)))), T0.plusSeconds(5)));
            FlushResult flushed = get(store.flushDue(T0.plusSeconds(5), ONE));
            assertThat(flushed.superseded()).containsExactly(id);
            PendingDelivery newest = flushed.created().get(0);
            assertThat(newest.notification().alerts()).extracting(Alert::fingerprint, Alert::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("x", AlertStatus.RESOLVED),
                            org.assertj.core.groups.Tuple.tuple("y", AlertStatus.FIRING));
            assertThat(newest.notification().idempotencyKey()).isNotEqualTo(firing.notification().idempotencyKey());
            assertThat(newest.notification().attempt()).isZero();
            assertThat(newest.dueAt()).as("the destination's Retry-After still holds").isEqualTo(retryAt);
            assertThat(get(store.markSending(id, 2, retryAt))).as("the superseded row is never sent").isFalse();
            Recovery recovery = get(store.recover());
            assertThat(recovery.pending()).extracting(d -> d.notification().id()).containsExactly(newest.notification().id());
        }
    }

    /** P1 across an in-flight request: the row in flight fails, the newer one takes its alerts, nothing stale follows. */
    @Test
    void aFailedRequestThatANewerStateWaitsBehindIsFoldedIntoItNotRetried() throws Exception {
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            get(store.ingest(List.of(now(alert("x", AlertStatus.FIRING, T0)), now(alert("y", AlertStatus.FIRING, T0))),
                    T0.plusSeconds(1)));
            PendingDelivery firing = get(store.flushDue(T0.plusSeconds(1), ONE)).created().get(0);
            long id = firing.notification().id();
            assertThat(get(store.markSending(id, 1, T0.plusSeconds(1)))).isTrue();
            get(store.ingest(List.of(now(resolved("x", T0, T0.plusSeconds(3)))), T0.plusSeconds(3)));
            FlushResult flushed = get(store.flushDue(T0.plusSeconds(3), ONE));
            assertThat(flushed.superseded()).as("in flight: not touched").isEmpty();
            PendingDelivery newer = flushed.created().get(0);
            assertThat(newer.notification().alerts()).extracting(Alert::fingerprint).containsExactly("x");

            java.util.Optional<PendingDelivery> replacement = get(store.markRetry(id, 1, T0.plusSeconds(20), "HTTP 503"));
            assertThat(replacement).isPresent();
            assertThat(replacement.get().notification().id()).isEqualTo(newer.notification().id());
            assertThat(replacement.get().notification().idempotencyKey()).as("never sent: same key")
                    .isEqualTo(newer.notification().idempotencyKey());
            assertThat(replacement.get().notification().alerts()).extracting(Alert::fingerprint, Alert::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("x", AlertStatus.RESOLVED),
                            org.assertj.core.groups.Tuple.tuple("y", AlertStatus.FIRING));
            assertThat(get(store.recover()).pending()).extracting(d -> d.notification().id())
                    .containsExactly(newer.notification().id());
        }
    }

    /** After a crash only the request in flight goes out again, with its key and attempt > 0. */
    @Test
    void afterACrashOnlyTheRequestInFlightIsSentAgainWithItsKey() throws Exception {
        Path file = dir.resolve("a.db");
        String key;
        long inFlight;
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, file)) {
            List<IncomingAlert> in = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                in.add(new IncomingAlert("0", List.of("r"), "0:{g=" + i + "}", Map.of(), Duration.ZERO,
                        Duration.ofHours(4), Duration.ZERO, "gk", "", alert("c" + i, AlertStatus.FIRING, T0)));
            }
            get(store.ingest(in, T0));
            List<PendingDelivery> rows = get(store.flushDue(T0, ONE)).created();
            assertThat(rows).hasSize(3);
            get(store.markSending(rows.get(0).notification().id(), 1, T0));
            get(store.markSent(rows.get(0).notification().id(), 1, T0));
            inFlight = rows.get(1).notification().id();
            key = rows.get(1).notification().idempotencyKey();
            get(store.markSending(inFlight, 1, T0));
        }
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, file)) {
            Recovery recovery = get(store.recover());
            assertThat(recovery.resent()).isEqualTo(1);
            assertThat(recovery.dropped()).isZero();
            assertThat(recovery.pending()).hasSize(2);
            PendingDelivery again = recovery.pending().get(0);
            assertThat(again.notification().id()).isEqualTo(inFlight);
            assertThat(again.notification().idempotencyKey()).isEqualTo(key);
            assertThat(again.notification().attempt()).isEqualTo(1);
            assertThat(recovery.pending().get(1).notification().attempt()).isZero();
        }
    }

    private static IncomingAlert incoming(String fp) {
        return new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO, Duration.ofHours(4),
                Duration.ofMinutes(5), "gk", "", alert(fp, AlertStatus.FIRING, T0));
    }

    @Test
    void aSecondGatewayCannotOpenTheSameFile() throws Exception {
        try (JdbcAlertStore first = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            assertThatThrownBy(() -> JdbcAlertStore.sqlite(vertx, dir.resolve("a.db")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("locked");
        }
    }
}
