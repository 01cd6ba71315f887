package io.opsgate.alerts.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the SQLite file the gateway keeps its state in, after bringing its schema up to date ({@link Migrations}).
 * <p>
 * WAL lets the API read while the writer commits. {@code synchronous=FULL}: in WAL mode, NORMAL skips the fsync of
 * the WAL at each commit, so a power loss or kernel crash can drop transactions that were already committed, i.e.
 * alerts we already answered 2xx for, and Alertmanager will not resend them. FULL fsyncs every commit; group commit
 * ({@link GroupCommitWriter}) spreads that fsync over every webhook that arrived meanwhile, so the price is latency
 * of one fsync per batch, not throughput.
 */
public final class SqliteEngine {
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
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        SQLiteDataSource migrations = new SQLiteDataSource();
        migrations.setUrl(url);
        int version = Migrations.migrate(Migrations.Engine.SQLITE, migrations, file.toString());
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
            // One gateway per file: the dispatcher's in-memory queue assumes nobody else delivers these rows.
            // The lock is taken by the first write below and held until the connection closes.
            s.execute("PRAGMA locking_mode=EXCLUSIVE");
            // Also for OpsGate builds from before Flyway, which read only this and refuse a newer version.
            s.execute("PRAGMA user_version=" + version);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.setAutoCommit(false);
        return c;
    }
}
