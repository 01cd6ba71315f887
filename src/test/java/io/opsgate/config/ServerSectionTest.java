package io.opsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSectionTest {
    private static OpsGateConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "cfg.yml", Map.<String, String>of()::get, null);
    }

    @Test
    void defaultsAndEveryKey() throws Exception {
        assertThat(parse("server: {}").server().limits()).isEqualTo(new OpsGateConfig.HttpLimits(Duration.ofMinutes(2),
                Duration.ofSeconds(10), Duration.ofSeconds(30), 512, 16L << 20));
        OpsGateConfig.Server s = parse("""
                server:
                  listen: 127.0.0.1:9200
                  idle_timeout: 90s
                  request_header_timeout: 5s
                  request_body_timeout: 1m
                  max_connections: 2000
                  max_inflight_body_bytes: 64MiB
                """).server();
        assertThat(s.listenPort()).isEqualTo(9200);
        assertThat(s.limits()).isEqualTo(new OpsGateConfig.HttpLimits(Duration.ofSeconds(90), Duration.ofSeconds(5),
                Duration.ofMinutes(1), 2000, 64L << 20));
        assertThat(s.withAddressOf(new OpsGateConfig.Server("::1", 1)).limits()).as("--listen keeps the file's limits")
                .isEqualTo(s.limits());
    }

    @Test
    void metricsAuthHasTheShapeOfTheOtherAuthSections() throws Exception {
        assertThat(parse("server: {}").server().metricsAuth()).isEqualTo(AuthConfig.NONE);
        OpsGateConfig.Server s = parse("server:\n  metrics_auth:\n    bearer_token: t0ken\n"
                + "    basic_auth: {username: prometheus, password: pw}\n").server();
        assertThat(s.metricsAuth()).isEqualTo(new AuthConfig("prometheus", "pw", "t0ken"));
        assertThat(s.withAddressOf(new OpsGateConfig.Server("::1", 1)).metricsAuth()).isEqualTo(s.metricsAuth());
        assertThatThrownBy(() -> parse("server:\n  metrics_auth: {bearer_token: \"  \"}\n"))
                .hasMessageContaining("server.metrics_auth.bearer_token").hasMessageContaining("blank");
        assertThatThrownBy(() -> parse("server:\n  metrics_auth: {basic_auth: {username: x}}\n"))
                .hasMessageContaining("server.metrics_auth.basic_auth.username");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> parse("server:\n  request_header_timeout: 10ms\n"))
                .hasMessage("cfg.yml:2:27: server.request_header_timeout: must be at least 100ms, got 10ms");
        assertThatThrownBy(() -> parse("server:\n  max_connections: 2\n"))
                .hasMessageStartingWith("cfg.yml:2:20: server.max_connections:");
        assertThatThrownBy(() -> parse("server:\n  max_inflight_body_bytes: lots\n"))
                .hasMessageStartingWith("cfg.yml:2:28: server.max_inflight_body_bytes:");
        assertThatThrownBy(() -> parse("server:\n  max_inflight_body_bytes: 1MiB\nalerts:\n  max_body_size: 4MiB\n"))
                .hasMessage("cfg.yml:2:28: server.max_inflight_body_bytes: server.max_inflight_body_bytes (1MiB) must be"
                        + " at least alerts.max_body_size (4MiB)");
        assertThatThrownBy(() -> parse("alerts:\n  max_body_size: 32MiB\n"))
                .hasMessageStartingWith("cfg.yml:2:18: alerts.max_body_size: server.max_inflight_body_bytes (16MiB)");
    }
}
