package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** collection.route53: defaults, own values, and every bad value named with file, line, column and key. */
class Route53ConfigTest {
    private static OpsGateConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "cfg.yml", name -> null, null);
    }

    @Test
    void defaultsAndOwnValues() throws Exception {
        assertThat(parse("collection: {interval: 5m}\n").collection().route53()).isEqualTo(OpsGateConfig.Route53.DEFAULT);
        assertThat(parse("collection:\n  route53: {requests_per_second: 2.5, status_budget: 0}\n").collection().route53())
                .isEqualTo(new OpsGateConfig.Route53(2.5, 0));
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> parse("collection:\n  route53: {requests_per_second: 0}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cfg.yml:2:34: collection.route53.requests_per_second: must be more than 0");
        assertThatThrownBy(() -> parse("collection:\n  route53: {requests_per_second: 6}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cfg.yml:2:34: collection.route53.requests_per_second:");
        assertThatThrownBy(() -> parse("collection:\n  route53: {status_budget: -1}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cfg.yml:2:28: collection.route53.status_budget:");
        assertThatThrownBy(() -> parse("collection:\n  route53: {status_budgets: 3}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collection.route53.status_budgets: unknown key");
    }
}
