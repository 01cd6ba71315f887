package io.opsgate.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.opsgate.config.OpsGateConfig;
import java.time.Duration;

/**
 * Connection pools to the PostgreSQL database of {@code alerts.store}, for every part of OpsGate that shares it (the
 * alert store; the collector lease). Blocking JDBC: use the connections on worker threads, never on an event loop.
 * <p>
 * The pool connects lazily: creating it never fails, the first {@code getConnection} does when the server is not
 * there, after {@link #CONNECT_TIMEOUT}, so that a webhook answers 503 in time for Alertmanager to retry rather than
 * waiting out its own timeout.
 */
public final class Databases {
    /** How long {@code getConnection} waits for a free or new connection before it fails. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** A statement's reply must start within this: a server that went silent is not waited on forever. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private Databases() {
    }

    /**
     * @param name names the pool in its threads and log lines (e.g. "alert-store")
     */
    public static HikariDataSource pool(OpsGateConfig.Database database, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        if (database.user() != null) {
            config.setUsername(database.user());
        }
        if (database.password() != null) {
            config.setPassword(database.password());
        }
        config.setPoolName("opsgate-" + name);
        config.setMaximumPoolSize(database.poolSize());
        config.setMinimumIdle(Math.min(2, database.poolSize()));
        config.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        config.setValidationTimeout(Math.min(2_000, CONNECT_TIMEOUT.toMillis() - 250));
        config.setInitializationFailTimeout(-1); // connect on first use: start-up reports the failure itself
        config.setAutoCommit(false);
        config.addDataSourceProperty("ApplicationName", "opsgate " + name);
        config.addDataSourceProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(config);
    }

    /** The URL without its query (which may carry options such as sslpassword), for messages and logs. */
    public static String describe(OpsGateConfig.Database database) {
        String url = database.url();
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
