package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** collection.elbv2_targets: defaults, own values, and every bad value named with file, line, column and key. */
class Elbv2TargetsConfigTest {
    private static OpsGateConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "cfg.yml", name -> null, null);
    }

    @Test
    void defaultsAndOwnValues() throws Exception {
        assertThat(parse("collection: {interval: 5m}\n").collection().elbv2Targets())
                .isEqualTo(OpsGateConfig.Elbv2Targets.DEFAULT)
                .isEqualTo(new OpsGateConfig.Elbv2Targets(4, 10));
        assertThat(parse("collection:\n  elbv2_targets: {concurrency: 1, requests_per_second: 2.5}\n").collection()
                .elbv2Targets()).isEqualTo(new OpsGateConfig.Elbv2Targets(1, 2.5));
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> parse("collection:\n  elbv2_targets: {requests_per_second: 0}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cfg.yml:2:40: collection.elbv2_targets.requests_per_second: must be more than 0");
        assertThatThrownBy(() -> parse("collection:\n  elbv2_targets: {requests_per_second: 1001}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cfg.yml:2:40: collection.elbv2_targets.requests_per_second:");
        assertThatThrownBy(() -> parse("collection:\n  elbv2_targets: {requests_per_second: fast}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cfg.yml:2:40: collection.elbv2_targets.requests_per_second:");
        assertThatThrownBy(() -> parse("collection:\n  elbv2_targets: {concurrency: 0}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cfg.yml:2:32: collection.elbv2_targets.concurrency:");
        assertThatThrownBy(() -> parse("collection:\n  elbv2_targets:\n    concurrency: 65\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cfg.yml:3:18: collection.elbv2_targets.concurrency:");
        assertThatThrownBy(() -> parse("collection:\n  elbv2_targets: {concurrencies: 3}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collection.elbv2_targets.concurrencies: unknown key");
    }
}
