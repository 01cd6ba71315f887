package io.opsgate.testing;

import io.opsgate.config.OpsGateConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own ({@code initdb} and {@code pg_ctl} of the machine's PostgreSQL 15, in a
 * temporary directory, on a free loopback port, trust authentication), for tests that stop and start the server:
 * the shared one at 127.0.0.1:5432 ({@link TestPostgres}) is never touched. PostgreSQL refuses to run as root, so
 * as root the cluster belongs to the {@code postgres} account and its commands run through {@code runuser}.
 *
 * <p>The binaries: {@code $OPSGATE_PG_BIN}, else {@code /usr/lib/postgresql/15/bin}. Without them the test is
 * skipped, or fails under {@code CI=true}.
 */
public final class PrivatePostgres implements AutoCloseable {
    private static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String SERVICE_ACCOUNT = "postgres";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asServiceAccount;
    private boolean running;

    private PrivatePostgres(Path bin, Path dir, int port, boolean asServiceAccount) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asServiceAccount = asServiceAccount;
    }

    /** A new cluster, initialised and started. */
    public static PrivatePostgres start() throws Exception {
        String configured = System.getenv("OPSGATE_PG_BIN");
        Path bin = configured == null || configured.isBlank() ? DEFAULT_BIN : Path.of(configured);
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                return ExternalBinary.missing(bin.resolve(tool) + " missing; install the Debian package "
                        + "'postgresql-15' (or set OPSGATE_PG_BIN)");
            }
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && ExternalBinary.find(List.of("runuser")).isEmpty()) {
            return ExternalBinary.missing("running as root without runuser: PostgreSQL cannot be started as root");
        }
        Path dir = Files.createTempDirectory("opsgate-pg-");
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            try {
                Files.setOwner(dir, users.lookupPrincipalByName(SERVICE_ACCOUNT));
            } catch (IOException e) {
                return ExternalBinary.missing("running as root and no '" + SERVICE_ACCOUNT + "' account to run "
                        + "PostgreSQL as: " + e.getMessage());
            }
        }
        PrivatePostgres pg = new PrivatePostgres(bin, dir, FreePort.pick(), root);
        try {
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-A", "trust", "-U",
                    "postgres", "-E", "UTF8", "--no-sync"), 120);
            pg.startServer();
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** Starts the server again (on the same port and data) after {@link #stop}; waits until it accepts connections. */
    public void startServer() throws Exception {
        // fsync=off: the machine does not crash in a test, only the server stops, and commits reach the OS either way
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"), 90);
        running = true;
    }

    /**
     * Stops the server at once, as a crash would ({@code pg_ctl stop -m immediate}: connections cut, no checkpoint;
     * the next start replays the WAL).
     */
    public void stop() throws Exception {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"), 60);
        running = false;
    }

    public int port() {
        return port;
    }

    /** A new database in this cluster; connect as the returned configuration says. */
    public OpsGateConfig.Database createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new OpsGateConfig.Database(url(name), "postgres", null, 4);
    }

    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url(database), p);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The server's own log, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    private void run(List<String> command, int timeoutSeconds) throws Exception {
        List<String> line = new ArrayList<>();
        if (asServiceAccount) {
            line.addAll(List.of("runuser", "-u", SERVICE_ACCOUNT, "--"));
        }
        line.addAll(command);
        Process p = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // pg_ctl start leaves the server running with our pipe closed: read until the command itself exits
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", line) + " did not finish in " + timeoutSeconds + "s:\n" + out);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " exited with " + p.exitValue() + ":\n" + out
                    + "\n" + log());
        }
    }

    /** Stops the server (if it runs) and deletes the cluster. */
    @Override
    public void close() throws Exception {
        try {
            if (running) {
                stop();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
