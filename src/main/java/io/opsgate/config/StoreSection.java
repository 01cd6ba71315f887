package io.opsgate.config;

import java.time.Duration;
import java.util.List;

/**
 * Reads {@code alerts.store}: {@code type: sqlite} (the default) with {@code path}, or {@code type: postgres} with
 * {@code url}, {@code user}, {@code password} or {@code password_file}, {@code pool_size} and {@code lease}. Keys of
 * the other engine are refused rather than ignored: a {@code path} beside {@code type: postgres} is a config that
 * does not do what its author thinks.
 */
final class StoreSection {
    static final List<String> KEYS = List.of("type", "path", "url", "user", "password", "password_file", "pool_size",
            "lease");
    private static final List<String> POSTGRES_ONLY = List.of("url", "user", "password", "password_file", "pool_size",
            "lease");
    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final Duration MIN_LEASE = Duration.ofSeconds(1);
    private static final Duration MAX_LEASE = Duration.ofMinutes(10);

    private StoreSection() {
    }

    static OpsGateConfig.Store read(ConfigMap m) throws ConfigException {
        ConfigNode typeNode = m.find("type");
        OpsGateConfig.StoreType type = OpsGateConfig.StoreType.SQLITE;
        if (typeNode != null) {
            String text = typeNode.text();
            List<String> known = java.util.Arrays.stream(OpsGateConfig.StoreType.values())
                    .map(OpsGateConfig.StoreType::key).toList();
            type = java.util.Arrays.stream(OpsGateConfig.StoreType.values()).filter(t -> t.key().equals(text))
                    .findFirst().orElseThrow(() -> typeNode.error("expected sqlite or postgres, got "
                            + ConfigNode.quote(text) + Suggestions.hint(text, known)));
        }
        if (type == OpsGateConfig.StoreType.SQLITE) {
            for (String key : POSTGRES_ONLY) {
                ConfigNode other = m.find(key);
                if (other != null) {
                    throw other.error("only for type: postgres (this store is a SQLite file: set path, or type:"
                            + " postgres)");
                }
            }
            ConfigNode pathNode = m.find("path");
            return OpsGateConfig.Store.sqlite(m.node().context().baseDir()
                    .resolve(pathNode == null ? Defaults.ALERTS_STORE : pathNode.text()));
        }
        ConfigNode pathNode = m.find("path");
        if (pathNode != null) {
            throw pathNode.error("only for type: sqlite (a PostgreSQL store is reached by url)");
        }
        ConfigNode urlNode = m.find("url");
        if (urlNode == null) {
            throw (typeNode != null ? typeNode : m.node()).error("type: postgres needs url: "
                    + "jdbc:postgresql://HOST:PORT/DATABASE");
        }
        String url = urlNode.text();
        if (!url.startsWith(JDBC_PREFIX)) {
            throw urlNode.error("expected a JDBC URL like jdbc:postgresql://HOST:PORT/DATABASE, got "
                    + ConfigNode.quote(url.length() > 60 ? url.substring(0, 60) + "..." : url));
        }
        if (url.toLowerCase(java.util.Locale.ROOT).matches(".*[?&]password=.*")) {
            // The URL is logged and printed by check-config; a password in it would be too.
            throw urlNode.error("carries a password; set password_file (or password) instead");
        }
        ConfigNode userNode = m.find("user");
        String user = userNode == null ? null : userNode.text();
        String password = SecretValues.read(m, "password");
        ConfigNode poolNode = m.find("pool_size");
        int pool = poolNode == null ? Defaults.STORE_POOL_SIZE : poolNode.integer(1, 200);
        ConfigNode leaseNode = m.find("lease");
        Duration lease = Defaults.STORE_LEASE;
        if (leaseNode != null) {
            lease = leaseNode.duration();
            if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
                throw leaseNode.error("must be from 1s to 10m, got " + Durations.format(lease));
            }
        }
        return OpsGateConfig.Store.postgres(new OpsGateConfig.Database(url, user, password, pool), lease);
    }
}
