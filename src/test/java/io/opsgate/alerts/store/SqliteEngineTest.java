package io.opsgate.alerts.store;

import static io.opsgate.alerts.store.JdbcAlertStoreTest.T0;
import static io.opsgate.alerts.store.JdbcAlertStoreTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsgate.alerts.model.AlertStatus;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite engine has: stores from before versioned migrations, and one gateway per file. */
class SqliteEngineTest {
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private record IncidentSet(int changed, int deduplicated) {
    }

    private static IncidentSet at(JdbcAlertStore store, java.time.Instant now, io.opsgate.alerts.model.Alert a)
            throws Exception {
        IngestResult r = get(store.ingest(List.of(new IncomingAlert("0", List.of("r"), "0:{}", Map.of(), Duration.ZERO,
                Duration.ofHours(4), Duration.ZERO, "gk", "", a)), now));
        return new IncidentSet(r.changed(), r.deduplicated());
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
            assertThat(at(store, T0.plusSeconds(100), JdbcAlertStoreTest.alert("old", AlertStatus.FIRING, T0.plusSeconds(30))))
                    .as("stale against the migrated horizon").isEqualTo(new IncidentSet(0, 1));
            assertThat(at(store, T0.plusSeconds(100), JdbcAlertStoreTest.alert("old", AlertStatus.FIRING, T0.plusSeconds(90))))
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
    void aSecondGatewayCannotOpenTheSameFile() throws Exception {
        try (JdbcAlertStore first = JdbcAlertStore.sqlite(vertx, dir.resolve("a.db"))) {
            assertThatThrownBy(() -> JdbcAlertStore.sqlite(vertx, dir.resolve("a.db")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("locked");
        }
    }

    /** Files as schemas 2 and 3 left them (the same DDL those builds ran), with rows: baselined, upgraded, rows kept. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
    void pragmaVersionedStoresAreBaselinedAtTheirVersionAndKeepTheirRows(int version) throws Exception {
        Path file = dir.resolve("v" + version + ".db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement()) {
            for (String script : List.of("V1__alert_state_groups_outbox.sql", "V2__incident_horizon.sql",
                    "V3__outbox_lanes_idempotency_keys.sql").subList(0, version)) {
                String sql;
                try (var in = getClass().getResourceAsStream("/db/migration/sqlite/" + script)) {
                    sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
            s.execute("INSERT INTO alert_state VALUES ('0', 'kept', '0:{}', 'resolved', " + T0.toEpochMilli() + ", "
                    + T0.plusSeconds(60).toEpochMilli() + ", '{}', '{}', '', 0, 0, 0, NULL, "
                    + T0.plusSeconds(60).toEpochMilli() + ")");
            s.execute("PRAGMA user_version=" + version);
        }
        try (JdbcAlertStore store = JdbcAlertStore.sqlite(vertx, file)) {
            List<AlertRecord> rows = new java.util.ArrayList<>();
            get(store.scanAlerts(java.util.Optional.empty(), 10, rows::add));
            assertThat(rows).extracting(r -> r.alert().fingerprint()).containsExactly("kept");
            assertThat(at(store, T0.plusSeconds(100), JdbcAlertStoreTest.alert("kept", AlertStatus.FIRING,
                    T0.plusSeconds(30)))).as("stale against the kept horizon").isEqualTo(new IncidentSet(0, 1));
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT version, type FROM flyway_schema_history "
                     + "ORDER BY installed_rank LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(Integer.toString(version));
            assertThat(rs.getString(2)).isEqualTo("BASELINE");
        }
    }
}
