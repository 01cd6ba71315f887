package io.opsgate.testing;

import io.opsgate.config.OpsGateConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.List;
import java.util.ArrayList;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL server the tests run against: the one these machines run on 127.0.0.1:5432 (trust
 * authentication), or {@code OPSGATE_TEST_PG_URL} / {@code OPSGATE_TEST_PG_USER}. No registry can be reached here, so
 * there is no image for Testcontainers to start one from. Each test class gets a database of its own
 * ({@link #createDatabase}), dropped afterwards; without a server the tests are skipped, except under
 * {@code CI=true}, where they fail.
 */
public final class TestPostgres {
    private static final String ADMIN_URL = System.getenv().getOrDefault("OPSGATE_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getenv().getOrDefault("OPSGATE_TEST_PG_USER", "postgres");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Boolean available;

    private TestPostgres() {
    }

    /** Skips the test without a server; fails it under {@code CI=true}. */
    public static void assumeAvailable() {
        if (available()) {
            return;
        }
        String why = "no PostgreSQL server answers at " + ADMIN_URL + " as " + USER;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why + " (CI=true: the PostgreSQL tests must run)");
        }
        Assumptions.abort(why);
    }

    public static boolean available() {
        Boolean a = available;
        if (a == null) {
            try (Connection c = admin()) {
                a = c.isValid(2);
            } catch (SQLException e) {
                a = false;
            }
            available = a;
        }
        return a;
    }

    private static Connection admin() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(ADMIN_URL, p);
    }

    /** A new, empty database, named after {@code label}; connect to it as the returned configuration says. */
    public static OpsGateConfig.Database createDatabase(String label) {
        assumeAvailable();
        String name = ("opsgate_" + label + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        int slash = ADMIN_URL.lastIndexOf('/');
        return new OpsGateConfig.Database(ADMIN_URL.substring(0, slash + 1) + name, USER, null, 4);
    }

    /** The same database, with every table in schema {@code schema} (created if needed). */
    public static OpsGateConfig.Database inSchema(OpsGateConfig.Database database, String schema) {
        String name = schema.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + name + ": " + e.getMessage(), e);
        }
        return new OpsGateConfig.Database(database.url() + "?currentSchema=" + name, database.user(),
                database.password(), database.poolSize());
    }

    /**
     * Empties every table of the database's current schema but Flyway's history, so the next store opened on it
     * starts from a migrated, empty schema without running the migrations again.
     */
    public static void emptyTables(OpsGateConfig.Database database) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT quote_ident(tablename) FROM pg_tables"
                    + " WHERE schemaname = current_schema() AND tablename <> 'flyway_schema_history'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            if (!tables.isEmpty()) {
                s.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the tables of " + database.url() + ": " + e.getMessage(), e);
        }
    }

    public static Connection connect(OpsGateConfig.Database database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", database.user());
        return DriverManager.getConnection(database.url(), p);
    }

    /** Drops the database, closing whatever connections are still open to it. */
    public static void dropDatabase(OpsGateConfig.Database database) {
        if (database == null) {
            return;
        }
        String url = database.url();
        int q = url.indexOf('?');
        String name = url.substring(url.lastIndexOf('/') + 1, q < 0 ? url.length() : q);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }
}
