package io.opsgate.alerts.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

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
              last_notified_at   BIGINT
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
              finished_at     BIGINT
            )""",
            "CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, id)");

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
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            s.execute("PRAGMA user_version=1");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.setAutoCommit(false);
        return c;
    }
}
