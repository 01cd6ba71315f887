package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsSectionTest {
    private static OpsGateConfig parse(String yaml, Path dir) throws ConfigException {
        return ConfigLoader.parse(yaml, "cfg.yml", Map.<String, String>of()::get, dir);
    }

    @Test
    void absentMeansOffWithDefaults() throws Exception {
        OpsGateConfig.Alerts a = parse("server: {}", null).alerts();
        assertThat(a.enabled()).isFalse();
        assertThat(a).isEqualTo(Defaults.alerts());
        assertThat(a.maxBodyBytes()).isEqualTo(4L << 20);
    }

    @Test
    void readsEveryKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pw"), "hunter2\n");
        OpsGateConfig.Alerts a = parse("""
                alerts:
                  auth:
                    bearer_token: tok
                    basic_auth: {username: am, password_file: pw}
                  max_body_size: 512KiB
                  store: {path: data/a.db}
                  delivery: {initial_backoff: 2s, max_backoff: 1m, max_age: 2h, concurrency: 8}
                """, dir).alerts();
        assertThat(a.enabled()).isTrue();
        assertThat(a.bearerToken()).isEqualTo("tok");
        assertThat(a.auth().username()).isEqualTo("am");
        assertThat(a.auth().password()).isEqualTo("hunter2");
        assertThat(a.maxBodyBytes()).isEqualTo(512 * 1024);
        assertThat(a.storePath()).isEqualTo(dir.resolve("data/a.db"));
        assertThat(a.initialBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(a.maxAge()).isEqualTo(Duration.ofHours(2));
        assertThat(a.concurrency()).isEqualTo(8);
        assertThat(a.toString()).doesNotContain("tok", "hunter2");
    }

    @Test
    void errorsNameKeyAndLine() {
        assertThatThrownBy(() -> parse("alerts:\n  max_body: 1MiB\n", null))
                .hasMessageContaining("cfg.yml:2:3: alerts.max_body: unknown key \"max_body\"")
                .hasMessageContaining("max_body_size");
        assertThatThrownBy(() -> parse("alerts:\n  max_body_size: lots\n", null))
                .hasMessageContaining("cfg.yml:2:18: alerts.max_body_size: expected a size like 4MiB");
        assertThatThrownBy(() -> parse("alerts:\n  max_body_size: 10\n", null))
                .hasMessageContaining("alerts.max_body_size: must be from 1KiB to 1GiB");
        assertThatThrownBy(() -> parse("alerts:\n  enabled: yes please\n", null))
                .hasMessageContaining("alerts.enabled: expected true or false");
        assertThatThrownBy(() -> parse("alerts:\n  auth:\n    basic_auth: {username: am}\n", null))
                .hasMessageContaining("alerts.auth.basic_auth.username: needs alerts.auth.basic_auth.password");
        assertThatThrownBy(() -> parse("alerts:\n  delivery: {initial_backoff: 1m, max_backoff: 10s}\n", null))
                .hasMessageContaining("alerts.delivery.max_backoff")
                .hasMessageContaining("must not be shorter than initial_backoff");
        assertThatThrownBy(() -> parse("alerts:\n  auth: {bearer_token: \"  \"}\n", null))
                .hasMessageContaining("cfg.yml:2:24: alerts.auth.bearer_token: is blank");
        assertThatThrownBy(() -> parse("alerts:\n  auth: {bearer_token: a, bearer_token_file: b}\n", null))
                .hasMessageContaining("set either bearer_token or bearer_token_file");
    }

    @Test
    void aPostgresStoreReadsItsPasswordFromAFileAndNeverPrintsIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("db_pw"), "s3cret-pw\n");
        OpsGateConfig.Alerts a = parse("""
                alerts:
                  store:
                    type: postgres
                    url: jdbc:postgresql://127.0.0.1:5432/opsgate
                    user: opsgate
                    password_file: db_pw
                    pool_size: 4
                    lease: 15s
                """, dir).alerts();
        assertThat(a.store().type()).isEqualTo(OpsGateConfig.StoreType.POSTGRES);
        assertThat(a.store().database()).isEqualTo(new OpsGateConfig.Database(
                "jdbc:postgresql://127.0.0.1:5432/opsgate", "opsgate", "s3cret-pw", 4));
        assertThat(a.store().lease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(a.storePath()).isNull();
        assertThat(a.toString()).contains("opsgate").doesNotContain("s3cret-pw");
        OpsGateConfig.Store defaults = parse("alerts:\n  store: {type: postgres, url: \"jdbc:postgresql:db\"}\n", dir)
                .alerts().store();
        assertThat(defaults.database().poolSize()).isEqualTo(10);
        assertThat(defaults.database().password()).isNull();
        assertThat(defaults.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse("alerts:\n  store: {type: sqlite, path: x.db}\n", dir).alerts().storePath())
                .isEqualTo(dir.resolve("x.db"));
    }

    @Test
    void storeErrorsNameFileLineColumnAndKey(@TempDir Path dir) {
        assertThatThrownBy(() -> parse("alerts:\n  store: {type: postgress}\n", dir))
                .hasMessageContaining("cfg.yml:2:17: alerts.store.type: expected sqlite or postgres, got \"postgress\"")
                .hasMessageContaining("postgres");
        assertThatThrownBy(() -> parse("alerts:\n  store: {type: postgres}\n", dir))
                .hasMessageContaining("cfg.yml:2:17: alerts.store.type: type: postgres needs url");
        assertThatThrownBy(() -> parse("alerts:\n  store:\n    type: postgres\n    url: postgres://h/db\n", dir))
                .hasMessageContaining("cfg.yml:4:10: alerts.store.url: expected a JDBC URL like jdbc:postgresql://");
        assertThatThrownBy(() -> parse("alerts:\n  store: {type: postgres, url: \"jdbc:postgresql://h/db?user=a&password=hunter2\"}\n", dir))
                .hasMessageContaining("alerts.store.url: carries a password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThatThrownBy(() -> parse("alerts:\n  store: {type: postgres, url: \"jdbc:postgresql:db\", path: a.db}\n", dir))
                .hasMessageContaining("alerts.store.path: only for type: sqlite");
        assertThatThrownBy(() -> parse("alerts:\n  store: {path: a.db, url: \"jdbc:postgresql:db\"}\n", dir))
                .hasMessageContaining("alerts.store.url: only for type: postgres");
        assertThatThrownBy(() -> parse("alerts:\n  store: {type: postgres, url: \"jdbc:postgresql:db\", password_file: nope}\n", dir))
                .hasMessageContaining("alerts.store.password_file: cannot read").hasMessageContaining("no such file");
        assertThatThrownBy(() -> parse("alerts:\n  store: {type: postgres, url: \"jdbc:postgresql:db\", pool_size: 0}\n", dir))
                .hasMessageContaining("alerts.store.pool_size");
        assertThatThrownBy(() -> parse("alerts:\n  store: {type: postgres, url: \"jdbc:postgresql:db\", lease: 1h}\n", dir))
                .hasMessageContaining("alerts.store.lease: must be from 1s to 10m");
        assertThatThrownBy(() -> parse("alerts:\n  store: {passwd: x}\n", dir))
                .hasMessageContaining("alerts.store.passwd: unknown key").hasMessageContaining("password");
    }

    @Test
    void exampleFileDocumentsEveryKeyAndTheDefaults() throws Exception {
        Path example = Path.of("opsgate.example.yml");
        String text = Files.readString(example);
        List<String> keys = new ArrayList<>();
        keys.addAll(AlertsSection.KEYS);
        keys.addAll(AuthSection.KEYS);
        keys.addAll(AuthSection.BASIC_KEYS);
        keys.addAll(AlertsSection.STORE_KEYS);
        keys.addAll(AlertsSection.DELIVERY_KEYS);
        for (String key : keys) {
            assertThat(text).as(key).containsPattern("(?m)(^|[ #-])" + key + ":");
        }
        OpsGateConfig.Alerts a = ConfigLoader.load(example, Map.<String, String>of()::get).alerts();
        assertThat(a.enabled()).isTrue();
        assertThat(a).usingRecursiveComparison().ignoringFields("enabled", "store.path").isEqualTo(Defaults.alerts());
    }
}
