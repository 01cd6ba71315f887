package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** collection.quotas and collection.snapshots: defaults, and every bad value named with file, line, column, key. */
class QuotasConfigTest {
    private static OpsGateConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "cfg.yml", name -> null, null);
    }

    @Test
    void defaults() throws Exception {
        OpsGateConfig.Collection c = parse("collection: {interval: 5m}\n").collection();
        assertThat(c.quotas().serviceCodes()).containsExactly("ec2", "ebs", "vpc", "elasticloadbalancing");
        assertThat(c.quotas().interval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.snapshots().interval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.collectors()).contains(CollectorName.QUOTAS, CollectorName.SNAPSHOTS);
        // A cycle slower than the default hour: the slow collectors run every cycle.
        assertThat(parse("collection: {interval: 2h}\n").collection().quotas().interval()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void ownValues() throws Exception {
        OpsGateConfig.Collection c = parse("""
                collection:
                  quotas: {service_codes: [ec2, AWSCloudMap], interval: 6h}
                  snapshots: {interval: 30m}
                """).collection();
        assertThat(c.quotas()).isEqualTo(new OpsGateConfig.Quotas(List.of("ec2", "AWSCloudMap"), Duration.ofHours(6)));
        assertThat(c.snapshots().interval()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> parse("collection:\n  interval: 5m\n  quotas: {interval: 1m}\n"))
                .hasMessage("cfg.yml:3:22: collection.quotas.interval: must be at least collection.interval (5m), got 1m");
        assertThatThrownBy(() -> parse("collection:\n  snapshots: {interval: 1m}\n"))
                .hasMessage("cfg.yml:2:25: collection.snapshots.interval: must be at least collection.interval (5m), got 1m");
        assertThatThrownBy(() -> parse("collection:\n  quotas: {service_codes: []}\n"))
                .hasMessageStartingWith("cfg.yml:2:27: collection.quotas.service_codes: must name at least one service code");
        assertThatThrownBy(() -> parse("collection:\n  quotas: {service_codes: [ec2, \"ec2 ebs\"]}\n"))
                .hasMessageStartingWith("cfg.yml:2:33: collection.quotas.service_codes[1]: not a service code: \"ec2 ebs\"");
        assertThatThrownBy(() -> parse("collection:\n  quotas: {service_codes: [ec2, ec2]}\n"))
                .hasMessageStartingWith("cfg.yml:2:33: collection.quotas.service_codes[1]: service code \"ec2\" is listed twice");
        assertThatThrownBy(() -> parse("collection:\n  quotas: {service_code: [ec2]}\n"))
                .hasMessageContaining("collection.quotas.service_code: unknown key");
    }
}
