package io.opsgate.alerts.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's schema, versioned by Flyway: {@code src/main/resources/db/migration/<engine>/V<n>__<what>.sql}, one
 * folder per engine with the same version numbers in both (a version is the same change on either engine; a change
 * one engine does not need is an empty file there, so that the numbers never drift apart). Runs at every start,
 * before the store opens; a schema newer than this build is refused, never touched.
 * <p>
 * <b>Stores from before Flyway.</b> SQLite files written before the history table existed carry their version in
 * {@code PRAGMA user_version} (1 to 3). Such a file is baselined at that version, so that only the later migrations
 * run on it and no row is lost. After each migration the SQLite engine writes the new version back into
 * {@code user_version}, so that an OpsGate from before Flyway, which reads only that, refuses the file as newer
 * instead of writing to a schema it does not know.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** The last version OpsGate wrote with {@code PRAGMA user_version} before migrations moved to Flyway. */
    static final int LAST_PRAGMA_VERSION = 3;
    static final String HISTORY_TABLE = "flyway_schema_history";

    private Migrations() {
    }

    /** The engines, by the folder their migrations live in. */
    public enum Engine {
        SQLITE("sqlite"), POSTGRES("postgres");

        private final String folder;

        Engine(String folder) {
            this.folder = folder;
        }

        String location() {
            return "classpath:db/migration/" + folder;
        }
    }

    /**
     * Brings the schema up to this build's newest version.
     *
     * @param where names the store in messages (a file, or a URL without credentials)
     * @return the schema version now in place
     * @throws SQLException saying what is wrong, among them a schema newer than this build
     */
    static int migrate(Engine engine, DataSource dataSource, String where) throws SQLException {
        Optional<String> baseline = engine == Engine.SQLITE ? sqliteBaseline(dataSource, where) : Optional.empty();
        Flyway flyway = flyway(engine, dataSource, baseline);
        try {
            refuseNewer(flyway, where);
            int before = current(flyway);
            var result = flyway.migrate();
            int after = current(flyway);
            if (baseline.isPresent()) {
                LOG.info("alert store {}: schema version {} from before versioned migrations taken as the baseline",
                        where, baseline.get());
            }
            if (result.migrationsExecuted > 0) {
                LOG.info("alert store {}: schema upgraded from version {} to {}", where, before == 0
                        ? baseline.orElse("none") : before, after);
            }
            return after;
        } catch (FlywayException e) {
            throw new SQLException("alert store " + where + ": schema migration failed: " + e.getMessage(), e);
        }
    }

    /**
     * The version of the schema in place and the newest this build knows, without changing anything (for
     * {@code check-config}).
     *
     * @return empty when the store can be used by this build, else why not
     */
    static Optional<String> problem(Engine engine, DataSource dataSource, String where) {
        try {
            Optional<String> baseline = engine == Engine.SQLITE ? sqliteBaseline(dataSource, where) : Optional.empty();
            refuseNewer(flyway(engine, dataSource, baseline), where);
            return Optional.empty();
        } catch (SQLException | FlywayException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Flyway flyway(Engine engine, DataSource dataSource, Optional<String> baseline) {
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(engine.location())
                .table(HISTORY_TABLE)
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .loggers("slf4j");
        baseline.ifPresent(v -> config.baselineOnMigrate(true).baselineVersion(v)
                .baselineDescription("OpsGate schema " + v + " from PRAGMA user_version"));
        return config.load();
    }

    /** A migration applied that this build does not have: written by a newer OpsGate. */
    private static void refuseNewer(Flyway flyway, String where) throws SQLException {
        MigrationInfo[] applied = flyway.info().applied();
        Optional<MigrationInfo> future = Arrays.stream(applied)
                .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                .reduce((a, b) -> b);
        if (future.isPresent()) {
            throw new SQLException("alert store " + where + " has schema version " + future.get().getVersion()
                    + ", written by a newer OpsGate; this one knows versions up to " + newest(flyway)
                    + " (upgrade OpsGate, or point alerts.store at a new database)");
        }
    }

    private static String newest(Flyway flyway) {
        return Arrays.stream(flyway.info().all()).filter(m -> m.getState().isResolved() && m.getVersion() != null)
                .reduce((a, b) -> b).map(m -> m.getVersion().getVersion()).orElse("none");
    }

    private static int current(Flyway flyway) {
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null ? 0 : Integer.parseInt(current.getVersion().getVersion());
    }

    /**
     * For a SQLite file from before Flyway: the version to baseline it at (its {@code user_version}); empty for a new
     * file or one Flyway already keeps.
     */
    private static Optional<String> sqliteBaseline(DataSource dataSource, String where) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (tableExists(s, HISTORY_TABLE)) {
                return Optional.empty();
            }
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > LAST_PRAGMA_VERSION) {
                throw new SQLException("alert store " + where + " has schema version " + version + " but no "
                        + HISTORY_TABLE + " table: written by a newer OpsGate, or damaged (upgrade OpsGate, or point"
                        + " alerts.store.path at a new file)");
            }
            if (version == 0) {
                if (tableExists(s, "alert_state")) {
                    throw new SQLException("alert store " + where + " has OpsGate's tables but no schema version"
                            + " (a development build wrote it); point alerts.store.path at a new file");
                }
                return Optional.empty();
            }
            return Optional.of(Integer.toString(version));
        }
    }

    private static boolean tableExists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            return rs.next();
        }
    }
}
