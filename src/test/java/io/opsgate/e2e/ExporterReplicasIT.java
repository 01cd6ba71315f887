package io.opsgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.config.OpsGateConfig;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.FreePort;
import io.opsgate.testing.GatewayProcess;
import io.opsgate.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three packaged OpsGate processes on one PostgreSQL and the AWS simulator: SIGKILL of the replica that collects a
 * target (no shutdown hook, its leases left as they were) and the target is collected by another replica within the
 * lease (and collected on the new holder's schedule, within an interval), and both survivors serve its fresh series
 * alike.
 */
class ExporterReplicasIT {
    private static final int LEASE_SECONDS = 4;
    /** The shortest interval the config accepts. */
    private static final int INTERVAL_SECONDS = 10;
    private static OpsGateConfig.Database database;
    private static Vertx vertx;
    private static AwsSimulator simulator;

    @BeforeAll
    static void start() throws Exception {
        database = TestPostgres.createDatabase("exporter_replicas_it");
        vertx = Vertx.vertx();
        simulator = AwsSimulator.start(vertx, SimulatorOptions.defaults().withFleetSize(30, 20))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        TestPostgres.dropDatabase(database);
    }

    private static String config() {
        return """
                collection:
                  interval: 10s
                  jitter: 0
                  collectors: [ebs, ec2]
                  cloudwatch: {cost_aware: {enabled: false}}
                aws:
                  regions: [us-east-1, eu-west-1]
                  endpoints: {ec2: "%1$s", cloudwatch: "%1$s", sts: "%1$s", servicequotas: "%1$s"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 5, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 20ms}
                accounts:
                  - name: a
                    role_arn: arn:aws:iam::111111111111:role/opsgate
                alerts:
                  enabled: false
                  store: {type: postgres, url: "%2$s", user: %3$s, pool_size: 2, lease: %4$ds}
                """.formatted(simulator.endpoint().replace("://127.0.0.1:", "://localhost:"), database.url(),
                database.user(), LEASE_SECONDS);
    }

    @Test
    void theKilledHoldersTargetsAreCollectedByAnotherWithinTheLease() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "it-exporter-replicas"));
        for (int i = 0; i < 3; i++) {
            Files.deleteIfExists(dir.resolve("replica-" + i + ".log"));
        }
        Path config = dir.resolve("opsgate.yml");
        Files.writeString(config, config());
        List<GatewayProcess> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                replicas.add(GatewayProcess.run(config, FreePort.pick(), dir.resolve("replica-" + i + ".log"),
                        List.of("-Xmx128m")));
            }
            // Two targets, three replicas: two collect one each, one waits.
            Awaitility.await("both targets leased, one replica each").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> replicas.stream().mapToDouble(r -> held(r)).sum() == 2
                            && replicas.stream().allMatch(r -> held(r) <= 1));
            GatewayProcess holder = replicas.stream().filter(r -> held(r) == 1).findFirst().orElseThrow();
            // The metric counts a grant a moment before the log line tells which target it is.
            String target = Awaitility.await("the holder's log names its one target").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> heldByLog(holder), h -> h.size() == 1)
                    .iterator().next();
            String region = target.substring(target.indexOf('/') + 1);
            replicas.remove(holder);
            long killedAt = System.currentTimeMillis();
            holder.kill();

            Awaitility.await("the killed replica's target collected again on both survivors")
                    .atMost(Duration.ofSeconds(LEASE_SECONDS + INTERVAL_SECONDS + 10)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> replicas.stream().allMatch(r ->
                            lastSuccess(body(r), region) * 1000 > killedAt));
            assertThat(System.currentTimeMillis() - killedAt).as("taken over within the lease, collected within an interval")
                    .isLessThan((LEASE_SECONDS + INTERVAL_SECONDS + 5) * 1000L);
            assertThat(replicas.stream().mapToDouble(ExporterReplicasIT::held).sum()).isEqualTo(2);
            Awaitility.await("the survivors serve the same AWS families").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() -> {
                        java.util.Set<String> bodies = new HashSet<>();
                        for (GatewayProcess r : replicas) {
                            bodies.add(aws(r.get("/metrics")));
                        }
                        assertThat(bodies).hasSize(1);
                        assertThat(bodies.iterator().next()).contains("region=\"" + region + "\"");
                    });
        } finally {
            for (GatewayProcess r : replicas) {
                r.close();
            }
        }
    }

    private static double held(GatewayProcess r) {
        return ExpositionText.sum(body(r), "opsgate_collection_leases_held");
    }

    private static String body(GatewayProcess r) {
        try {
            return r.get("/metrics");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The targets the replica holds, as its log tells the grants and hand-overs. */
    private static java.util.Set<String> heldByLog(GatewayProcess r) throws Exception {
        java.util.Set<String> held = new java.util.LinkedHashSet<>();
        java.util.regex.Pattern granted = java.util.regex.Pattern.compile(": collects (\\S+) \\(generation");
        java.util.regex.Pattern gone = java.util.regex.Pattern.compile("(?:gave (\\S+) up|lost the lease of (\\S+))");
        for (String line : r.logLines()) {
            java.util.regex.Matcher m = granted.matcher(line);
            if (m.find()) {
                held.add(m.group(1));
            }
            java.util.regex.Matcher g = gone.matcher(line);
            if (g.find()) {
                held.remove(g.group(1) != null ? g.group(1) : g.group(2));
            }
        }
        return held;
    }

    private static double lastSuccess(String body, String region) {
        return ExpositionText.samples(body, "opsgate_collection_last_success_timestamp_seconds").stream()
                .filter(l -> region.equals(ExpositionText.label(l, "region"))
                        && "ebs".equals(ExpositionText.label(l, "collector")))
                .mapToDouble(ExpositionText::value).max().orElse(0);
    }

    private static String aws(String body) {
        return body.lines().filter(l -> l.startsWith("aws_") || l.startsWith("# HELP aws_") || l.startsWith("# TYPE aws_"))
                .collect(Collectors.joining("\n"));
    }
}
