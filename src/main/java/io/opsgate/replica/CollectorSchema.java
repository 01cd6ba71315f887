package io.opsgate.replica;

import java.sql.SQLException;
import java.util.Arrays;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The collector's tables ({@code db/collector/postgres}), in PostgreSQL schema {@value #SCHEMA} with a Flyway history
 * of their own ({@code opsgate_collection.flyway_schema_history}) apart from the alert store's: the two evolve
 * independently in the one database (the database user needs the right to create a schema, as its owner has). Flyway's lock lets replicas that start together migrate once. A schema newer than this build is refused.
 */
final class CollectorSchema {
    static final String SCHEMA = "opsgate_collection";

    private CollectorSchema() {
    }

    static void migrate(DataSource dataSource, String where) throws SQLException {
        Flyway flyway = Flyway.configure(CollectorSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/collector/postgres")
                .schemas(SCHEMA)
                .createSchemas(true)
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .loggers("slf4j")
                .load();
        try {
            MigrationInfo[] applied = flyway.info().applied();
            if (Arrays.stream(applied).anyMatch(m -> m.getState() == MigrationState.FUTURE_SUCCESS
                    || m.getState() == MigrationState.FUTURE_FAILED)) {
                throw new SQLException("collector tables in " + where + " were written by a newer OpsGate"
                        + " (upgrade every replica to the same version)");
            }
            flyway.migrate();
        } catch (FlywayException e) {
            throw new SQLException("collector tables in " + where + ": schema migration failed: " + e.getMessage(), e);
        }
    }
}
