package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.opsgate.testing.PeerGeneration;
import io.opsgate.testing.PerGeneration;
import io.opsgate.testing.PrometheusServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code server.metrics_auth} on the packaged service, scraped by real Prometheus servers the way their scrape configs
 * send credentials: {@code authorization} (bearer) and {@code basic_auth} get in, a scrape without credentials is
 * refused (up 0), and the health endpoints stay open.
 */
class MetricsAuthIT {
    private static final String TOKEN = "metrics-token";
    @TempDir
    static Path work;
    private static GatewayProcess service;
    private static PerGeneration<PrometheusServer> prometheus;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        Path config = work.resolve("opsgate.yml");
        Files.writeString(config, """
                server:
                  metrics_auth:
                    bearer_token: %s
                    basic_auth: {username: prometheus, password: hunter2}
                """.formatted(TOKEN) + GatewayConfigs.deadAws());
        service = GatewayProcess.run(config, FreePort.pick(), work.resolve("opsgate.log"));
        prometheus = new PerGeneration<>(g -> PrometheusServer.start(g, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: bearer
                    authorization: {credentials: %s}
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                  - job_name: basic
                    basic_auth: {username: prometheus, password: hunter2}
                    static_configs: [{targets: ['127.0.0.1:%2$d']}]
                  - job_name: anonymous
                    static_configs: [{targets: ['127.0.0.1:%2$d']}]
                  - job_name: wrong
                    authorization: {credentials: not-the-token}
                    static_configs: [{targets: ['127.0.0.1:%2$d']}]
                """.formatted(TOKEN, service.port()), work.resolve("prometheus-" + g.name().toLowerCase())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void prometheusGetsInWithItsCredentialsAndNotWithout(PeerGeneration generation) throws Exception {
        PrometheusServer p = prometheus.get(generation);
        p.awaitQuery("up", r -> r.size() == 4, Duration.ofSeconds(30));
        for (String job : new String[] {"bearer", "basic"}) {
            assertThat(p.awaitQuery("up{job=\"" + job + "\"} == 1", r -> r.size() == 1, Duration.ofSeconds(30)))
                    .as(job).hasSize(1);
            assertThat(p.awaitQuery("opsgate_build_info{job=\"" + job + "\"}", r -> r.size() == 1, Duration.ofSeconds(30)))
                    .as(job).hasSize(1);
        }
        for (String job : new String[] {"anonymous", "wrong"}) {
            assertThat(p.awaitQuery("up{job=\"" + job + "\"} == 0", r -> r.size() == 1, Duration.ofSeconds(30)))
                    .as(job).hasSize(1);
        }
    }

    @Test
    void withoutCredentials401AndTheHealthEndpointsStayOpen() throws Exception {
        HttpResponse<String> anonymous = get("/metrics", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("WWW-Authenticate"))
                .contains("Bearer realm=\"opsgate\"", "Basic realm=\"opsgate\", charset=\"UTF-8\"");
        assertThat(anonymous.body()).doesNotContain("opsgate_build_info");
        assertThat(get("/metrics", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "Basic " + Base64.getEncoder().encodeToString("prometheus:hunter2".getBytes()))
                .statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "Basic " + Base64.getEncoder().encodeToString("prometheus:wrong".getBytes()))
                .statusCode()).isEqualTo(401);
        assertThat(get("/-/healthy", null).statusCode()).isEqualTo(200);
        assertThat(get("/-/ready", null).statusCode()).isIn(200, 503);
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(service.uri(path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
