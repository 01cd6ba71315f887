package io.opsgate.alerts.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Opens the SQLite file the gateway keeps its state in.
 * <p>
 * WAL lets the API read while the writer commits. {@code synchronous=FULL}: in WAL mode, NORMAL skips the fsync of
 * the WAL at each commit, so a power loss or kernel crash can drop transactions that were already committed, i.e.
 * alerts we already answered 2xx for, and Alertmanager will not resend them. FULL fsyncs every commit; group commit
 * ({@link GroupCommitWriter}) spreads that fsync over every webhook that arrived meanwhile, so the price is latency
 * of one fsync per batch, not throughput.
 */
public final class SqliteEngine {
    static final List<String> SCHEMA = List.of(
            """
            CREATE TABLE IF NOT EXISTS alert_state (
              route_id      TEXT    NOT NULL,
              fingerprint   TEXT    NOT NULL,
              group_id      TEXT    NOT NULL,
              status        TEXT    NOT NULL,
              starts_at     BIGINT  NOT NULL,
              ends_at       BIGINT,
              horizon       BIGINT,
              labels        TEXT    NOT NULL,
              annotations   TEXT    NOT NULL,
              generator_url TEXT    NOT NULL,
              received_at   BIGINT  NOT NULL,
              accepted_at   BIGINT  NOT NULL,
              pending       INTEGER NOT NULL,
              notified_at   BIGINT,
              PRIMARY KEY (route_id, fingerprint)
            )""",
            "CREATE INDEX IF NOT EXISTS alert_state_group ON alert_state (group_id, pending)",
            """
            CREATE TABLE IF NOT EXISTS alert_group (
              group_id           TEXT   NOT NULL PRIMARY KEY,
              route_id           TEXT   NOT NULL,
              receivers          TEXT   NOT NULL,
              group_labels       TEXT   NOT NULL,
              group_key          TEXT   NOT NULL,
              external_url       TEXT   NOT NULL,
              repeat_interval_ms BIGINT NOT NULL,
              group_interval_ms  BIGINT NOT NULL,
              flush_at           BIGINT,
              next_repeat_at     BIGINT,
              last_notified_at   BIGINT,
              notification_reason TEXT  NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX IF NOT EXISTS alert_group_flush ON alert_group (flush_at)",
            "CREATE INDEX IF NOT EXISTS alert_group_repeat ON alert_group (next_repeat_at)",
            """
            CREATE TABLE IF NOT EXISTS outbox (
              id              INTEGER PRIMARY KEY,
              route_id        TEXT    NOT NULL,
              receiver        TEXT    NOT NULL,
              destination     TEXT    NOT NULL,
              channel_type    TEXT    NOT NULL,
              group_key       TEXT    NOT NULL,
              alert_status    TEXT    NOT NULL,
              payload         TEXT    NOT NULL,
              external_url    TEXT    NOT NULL,
              state           TEXT    NOT NULL,
              attempts        INTEGER NOT NULL,
              last_error      TEXT,
              created_at      BIGINT  NOT NULL,
              accepted_at     BIGINT  NOT NULL,
              next_attempt_at BIGINT  NOT NULL,
              finished_at     BIGINT,
              group_id        TEXT    NOT NULL DEFAULT '',
              idempotency_key TEXT    NOT NULL DEFAULT '',
              notification_reason TEXT NOT NULL DEFAULT ''
            )""",
            """
            CREATE TABLE IF NOT EXISTS group_message (
              destination TEXT   NOT NULL,
              group_id    TEXT   NOT NULL,
              channel     TEXT   NOT NULL,
              ts          TEXT,
              shown       TEXT   NOT NULL,
              post_id     TEXT   NOT NULL,
              posted_at   BIGINT NOT NULL,
              alerts      TEXT   NOT NULL,
              updated_at  BIGINT NOT NULL,
              PRIMARY KEY (destination, group_id)
            )""",
            "CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, id)",
            "CREATE INDEX IF NOT EXISTS outbox_lane ON outbox (destination, group_id, state, id)");

    /** The schema version {@link #SCHEMA} creates; {@code PRAGMA user_version} of the file. */
    static final int VERSION = 4;

    /**
     * Upgrades from each older version, by the version they start from: each is portable DDL/DML run in one
     * transaction together with the new user_version. Version 1 had no incident horizon (the end of the last
     * closed incident): for a resolved alert it is its end. Version 2 had no outbox lanes or idempotency keys: rows
     * left from it share one lane per destination and are keyed by their id. Version 3 had no notification reasons
     * (they are "" for its rows) and no group messages (the table is created with the schema).
     */
    static final Map<Integer, List<String>> MIGRATIONS = Map.of(
            1, List.of("ALTER TABLE alert_state ADD COLUMN horizon BIGINT",
                    "UPDATE alert_state SET horizon = ends_at WHERE status = 'resolved'"),
            2, List.of("ALTER TABLE outbox ADD COLUMN group_id TEXT NOT NULL DEFAULT ''",
                    "ALTER TABLE outbox ADD COLUMN idempotency_key TEXT NOT NULL DEFAULT ''",
                    "UPDATE outbox SET idempotency_key = 'opsgate-' || id"),
            3, List.of("ALTER TABLE alert_group ADD COLUMN notification_reason TEXT NOT NULL DEFAULT ''",
                    "ALTER TABLE outbox ADD COLUMN notification_reason TEXT NOT NULL DEFAULT ''"));

    private SqliteEngine() {
    }

    /** Opens (creating if needed) the database file and its schema; the connection is in manual-commit mode. */
    public static Connection open(Path file) throws SQLException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
            // One gateway per file: the dispatcher's in-memory queue assumes nobody else delivers these rows.
            // The lock is taken by the first write below and held until the connection closes.
            s.execute("PRAGMA locking_mode=EXCLUSIVE");
            migrate(c, s, file);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.setAutoCommit(false);
        return c;
    }

    private static void migrate(Connection c, Statement s, Path file) throws SQLException {
        int version;
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > VERSION) {
            throw new SQLException("alert store " + file + " has schema version " + version + ", written by a newer "
                    + "OpsGate; this one reads version " + VERSION + " and older (upgrade OpsGate, or point "
                    + "alerts.store.path at a new file)");
        }
        c.setAutoCommit(false);
        try {
            for (int v = version == 0 ? VERSION : version; v < VERSION; v++) {
                List<String> steps = MIGRATIONS.get(v);
                if (steps == null) {
                    throw new SQLException("alert store " + file + " has schema version " + v + ", which this OpsGate "
                            + "cannot upgrade; point alerts.store.path at a new file");
                }
                for (String step : steps) {
                    s.execute(step);
                }
            }
            for (String ddl : SCHEMA) { // new files; tables and indexes a version added
                s.execute(ddl);
            }
            s.execute("PRAGMA user_version=" + VERSION);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        if (version != 0 && version < VERSION) {
            LoggerFactory.getLogger(SqliteEngine.class).info("alert store {}: upgraded the schema from version {} to {}",
                    file, version, VERSION);
        }
    }
}
