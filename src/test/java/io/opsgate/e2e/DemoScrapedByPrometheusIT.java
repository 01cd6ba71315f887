package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.DemoProcess;
import io.opsgate.testing.PeerGeneration;
import io.opsgate.testing.PerGeneration;
import io.opsgate.testing.PrometheusServer;
import io.vertx.core.Vertx;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code opsgate demo} as users run it (the packaged jar, a separate process) scraped by a real
 * Prometheus; every assertion goes through Prometheus's HTTP API, so it also proves that Prometheus
 * parses what we serve (OpenMetrics, gzip) and that the series are the ones the simulated fleet implies.
 * One demo, scraped by one Prometheus of each {@link PeerGeneration} (2.42 and 3.5) side by side.
 */
class DemoScrapedByPrometheusIT {
    private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222");
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

    @TempDir
    static Path work;
    private static DemoProcess demo;
    private static PerGeneration<PrometheusServer> prometheus;
    private static Vertx vertx;
    private static AwsSimulator fleetReference;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoProcess.start(work.resolve("demo"), "--interval", "10s");

        // Same seed and sizes as the demo's simulator: the fleet is a pure function of them.
        vertx = Vertx.vertx();
        fleetReference = AwsSimulator.start(vertx, SimulatorOptions.defaults()).toCompletionStage().toCompletableFuture().get();

        prometheus = new PerGeneration<>(g -> PrometheusServer.start(g, """
                global:
                  scrape_interval: 2s
                  scrape_timeout: 2s
                scrape_configs:
                  - job_name: opsgate
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(demo.port()), work.resolve("prometheus-" + g.name().toLowerCase())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (demo != null) {
            demo.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static Set<String> keys(JsonNode vector, String idLabel) {
        Set<String> keys = new HashSet<>();
        for (JsonNode sample : vector) {
            JsonNode m = sample.get("metric");
            keys.add(m.path("account_id").asText() + "/" + m.path("region").asText() + "/" + m.path(idLabel).asText());
        }
        return keys;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void prometheusScrapesTheDemoSuccessfully(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = DemoScrapedByPrometheusIT.prometheus.get(generation);
        JsonNode up = prometheus.awaitQuery("up{job=\"opsgate\"}", r -> r.size() == 1
                && r.get(0).get("value").get(1).asText().equals("1"), Duration.ofSeconds(30));
        assertThat(up).hasSize(1);
        // Every collector of each of the demo's 4 (account, region) targets, route53 once per account (2).
        int expected = (io.opsgate.config.CollectorName.values().length - 1) * 4 + 2;
        JsonNode collectors = prometheus.awaitQuery("opsgate_collector_up == 1", r -> r.size() == expected, Duration.ofSeconds(30));
        assertThat(collectors).hasSize(expected);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void oneBurstBalanceSeriesPerAttachedBurstingVolumeAndNoneForOthers(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = DemoScrapedByPrometheusIT.prometheus.get(generation);
        Set<String> expected = new HashSet<>();
        Set<String> nonBursting = new HashSet<>();
        for (String account : ACCOUNTS) {
            for (String region : REGIONS) {
                for (SimVolume v : fleetReference.fleet().volumes(account, region)) {
                    String key = account + "/" + region + "/" + v.id();
                    if (v.reportsBurstBalance()) {
                        expected.add(key);
                    }
                    if (!Set.of("gp2", "st1", "sc1").contains(v.volumeType())) {
                        nonBursting.add(key);
                    }
                }
            }
        }
        assertThat(nonBursting).as("the fleet has gp3/io1/io2 volumes").isNotEmpty();
        JsonNode series = prometheus.awaitQuery("aws_ebs_burst_balance_ratio",
                r -> r.size() == expected.size(), Duration.ofSeconds(30));
        assertThat(keys(series, "volume_id")).isEqualTo(expected).doesNotContainAnyElementsOf(nonBursting);
        assertThat(prometheus.query("aws_ebs_burst_balance_ratio * on(account_id, region, volume_id) "
                + "group_left(volume_type) aws_ebs_volume_info{volume_type!~\"gp2|st1|sc1\"}")).isEmpty();
        assertThat(prometheus.query("aws_ebs_burst_balance_ratio > 1 or aws_ebs_burst_balance_ratio < 0")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void creditSeriesOnlyForBurstableInstances(PeerGeneration generation) throws Exception {
        PrometheusServer prometheus = DemoScrapedByPrometheusIT.prometheus.get(generation);
        Set<String> expected = new HashSet<>();
        for (String account : ACCOUNTS) {
            for (String region : REGIONS) {
                for (SimInstance i : fleetReference.fleet().instances(account, region)) {
                    if (i.reportsCreditMetrics()) {
                        expected.add(account + "/" + region + "/" + i.id());
                    }
                }
            }
        }
        assertThat(expected).isNotEmpty();
        JsonNode balance = prometheus.awaitQuery("aws_ec2_cpu_credit_balance", r -> r.size() == expected.size(), Duration.ofSeconds(30));
        assertThat(keys(balance, "instance_id")).isEqualTo(expected);
        assertThat(prometheus.query("aws_ec2_cpu_credit_balance * on(account_id, region, instance_id) "
                + "group_left(instance_type) aws_ec2_instance_info{instance_type!~\"t2\\\\..*|t3\\\\..*|t3a\\\\..*|t4g\\\\..*\"}")).isEmpty();
        assertThat(prometheus.query("count(aws_ec2_instance_info) > count(aws_ec2_cpu_credit_balance)")).hasSize(1);
    }

    @Test
    void theShippedJarLogs() throws Exception {
        // The fat jar must carry an SLF4J provider; without one the service runs silently.
        assertThat(demo.log()).contains("collecting 4 target(s)").doesNotContain("No SLF4J providers");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PeerGeneration.class)
    void promtoolFindsNothingToCriticise(PeerGeneration generation) throws Exception {
        Path promtool = generation.promtool();
        Path scraped = work.resolve("scraped-" + generation.name().toLowerCase() + ".txt");
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(demo.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofFile(scraped));
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(scraped.toFile()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();
        assertThat(output).isBlank();
        assertThat(Files.size(scraped)).isGreaterThan(10_000);
    }
}
