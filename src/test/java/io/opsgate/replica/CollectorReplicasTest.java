package io.opsgate.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.OpsGateService;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three exporter replicas in one JVM (each its own Vert.x) on one real PostgreSQL and one AWS simulator: each
 * (account, region) is collected by one replica, so the simulator sees the requests of one replica; every replica
 * serves the same AWS families and {@code /sd/ec2}; a replica that stops, or dies without a word, has its targets
 * collected by another within the lease.
 */
class CollectorReplicasTest {
    private static final Duration LEASE = Duration.ofSeconds(4);
    /** Requests made once per replica (an STS session per account, the zone ids per target), not per cycle. */
    private static final Set<String> PER_REPLICA = Set.of("AssumeRole", "GetCallerIdentity", "DescribeAvailabilityZones");
    private static final String CONFIG = """
            collection:
              interval: 1h
              jitter: 0
              collectors: [ebs, ec2, ec2_status, elbv2_targets]
              cloudwatch: {cost_aware: {enabled: false}}
            discovery:
              kinds: [ec2]
            aws:
              regions: [us-east-1]
              endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", servicequotas: "${SIM}", elasticloadbalancing: "${SIM}"}
              credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
              retry: {max_attempts: 25, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 20ms}
            accounts:
              - name: a
                role_arn: arn:aws:iam::111111111111:role/opsgate
              - name: b
                role_arn: arn:aws:iam::222222222222:role/opsgate
                regions: [us-east-1, eu-west-1]
            """;
    private static final List<String> TARGETS = List.of("a/us-east-1", "b/us-east-1", "b/eu-west-1");

    private static OpsGateConfig.Database database;
    private static Vertx simVertx;
    private static AwsSimulator simulator;
    private final List<Replica> replicas = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        database = TestPostgres.createDatabase("collector_replicas");
        simVertx = Vertx.vertx();
        simulator = await(AwsSimulator.start(simVertx, SimulatorOptions.defaults().withFleetSize(20, 10)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (simVertx != null) {
            await(simVertx.close());
        }
        TestPostgres.dropDatabase(database);
    }

    @AfterEach
    void stopReplicas() throws Exception {
        for (Replica r : replicas) {
            r.close();
        }
        replicas.clear();
        try (var c = TestPostgres.connect(database); var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS opsgate_collection CASCADE");
        }
    }

    private record Replica(Vertx vertx, OpsGateService service) {
        CollectorReplicas share() {
            return service.replicas();
        }

        void close() throws Exception {
            try {
                await(service.stop());
            } finally {
                await(vertx.close());
            }
        }
    }

    private Replica startReplica(boolean shared) throws Exception {
        return startReplica(shared, CONFIG);
    }

    private Replica startReplica(boolean shared, String base) throws Exception {
        String yaml = base + (shared ? """
                alerts:
                  enabled: false
                  store:
                    type: postgres
                    url: %s
                    user: %s
                    lease: %ds
                """.formatted(database.url(), database.user(), LEASE.toSeconds()) : "");
        OpsGateConfig config = ConfigLoader.parse(yaml, "test.yml", Map.of("SIM", simulator.endpoint())::get, Path.of("."));
        config = config.withServer(config.server().withAddressOf(new OpsGateConfig.Server("127.0.0.1", 0)));
        Vertx vertx = Vertx.vertx();
        Replica r = new Replica(vertx, await(OpsGateService.start(vertx, config, Clock.systemUTC())));
        replicas.add(r);
        return r;
    }

    /** One replica alone, without PostgreSQL: the requests of its first cycle and of one more. */
    private List<Map<String, Long>> alone() throws Exception {
        return alone(CONFIG);
    }

    private List<Map<String, Long>> alone(String base) throws Exception {
        simulator.resetCounts();
        Replica r = startReplica(false, base);
        Awaitility.await().atMost(Duration.ofSeconds(25)).until(() -> r.service().collection().ready());
        Map<String, Long> first = perCycle(simulator.requestCounts());
        simulator.resetCounts();
        collect(r);
        Map<String, Long> next = perCycle(simulator.requestCounts());
        r.close();
        replicas.remove(r);
        simulator.resetCounts();
        return List.of(first, next);
    }

    private static Map<String, Long> perCycle(Map<String, Long> counts) {
        Map<String, Long> out = new HashMap<>(counts);
        out.keySet().removeIf(op -> PER_REPLICA.stream().anyMatch(op::endsWith));
        return out;
    }

    @Test
    void threeReplicasCostTheRequestsOfOneAndServeTheSameSeries() throws Exception {
        List<Map<String, Long>> single = alone();
        List<Replica> three = List.of(startReplica(true), startReplica(true), startReplica(true));
        awaitSpreadAndIdentical(three);
        assertThat(perCycle(simulator.requestCounts())).as("first cycles of three replicas").isEqualTo(single.get(0));
        assertThat(three).allSatisfy(r -> assertThat(r.share().held()).hasSize(1));

        simulator.resetCounts();
        for (Replica r : three) {
            collect(r);
        }
        assertThat(perCycle(simulator.requestCounts())).as("one more cycle on every replica").isEqualTo(single.get(1));
        awaitIdentical(three);
    }

    @Test
    void aStoppedReplicasTargetsMoveAtOnceAndAKilledOnesWithinTheLease() throws Exception {
        List<Replica> three = new ArrayList<>(List.of(startReplica(true), startReplica(true), startReplica(true)));
        awaitSpreadAndIdentical(three);

        Replica stopped = three.remove(0);
        Set<String> itsTargets = stopped.share().held();
        stopped.close();
        replicas.remove(stopped);
        awaitTaken(three, itsTargets, LEASE.dividedBy(2).plusSeconds(1));
        collectAgainAndCompare(three, itsTargets);

        Replica killed = three.remove(0);
        Set<String> killedTargets = killed.share().held();
        long started = System.nanoTime();
        killed.share().abandon();
        awaitTaken(three, killedTargets, LEASE.plusSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThanOrEqualTo(LEASE.plusSeconds(1));
        collectAgainAndCompare(three, killedTargets);
        assertThat(three.get(0).share().held()).containsExactlyInAnyOrderElementsOf(TARGETS);
    }

    @Test
    void fourTargetsOnThreeReplicasSpreadTwoOneOneAndAJoinerGetsItsShare() throws Exception {
        String fourTargets = CONFIG.replace("regions: [us-east-1, eu-west-1]", "regions: [us-east-1, eu-west-1, us-west-2]");
        Map<String, Long> single = alone(fourTargets).get(0);
        // Two replicas: 2 and 2 once settled (if the first took all four before the second announced itself, it hands
        // two back after their cycles, and the second does not collect them again).
        List<Replica> all = new ArrayList<>(List.of(startReplica(true, fourTargets), startReplica(true, fourTargets)));
        awaitHoldings(all, List.of(2, 2));
        awaitIdentical(all);
        assertThat(perCycle(simulator.requestCounts())).as("first cycles on two replicas, as on one").isEqualTo(single);
        // A third joins: one of the two hands a target back once its cycle is over, the joiner takes it.
        all.add(startReplica(true, fourTargets));
        awaitHoldings(all, List.of(1, 1, 2));
        awaitIdentical(all);
        assertThat(perCycle(simulator.requestCounts())).as("the handed-back target not collected again")
                .isEqualTo(single);
    }

    @Test
    void aTargetWhoseFirstCycleFailsCountsAsAttemptedOnEveryReplica() throws Exception {
        // No STS, and accounts without a role ARN (which would name the account id): each cycle must ask STS who the
        // account is, which fails, so every cycle fails as a whole and publishes no result.
        String noSts = CONFIG.replace("sts: \"${SIM}\"", "sts: \"http://127.0.0.1:1\"")
                .replace("max_attempts: 25", "max_attempts: 1")
                .replaceAll("\\n +role_arn: [^\\n]+", "");
        List<Replica> three = List.of(startReplica(true, noSts), startReplica(true, noSts), startReplica(true, noSts));
        Awaitility.await("one target per replica, every replica ready though no cycle succeeded")
                .atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(100))
                .until(() -> three.stream().allMatch(r -> r.share().held().size() == 1
                        && r.service().collection().ready()));
        try (var c = TestPostgres.connect(database); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM opsgate_collection.results")) {
            rs.next();
            assertThat(rs.getInt(1)).as("results published").isZero();
        }
    }

    private static void awaitHoldings(List<Replica> replicas, List<Integer> expected) {
        Awaitility.await("leases held " + expected + ", every replica ready").atMost(Duration.ofSeconds(25))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> replicas.stream().map(r -> r.share().held().size()).sorted().toList().equals(expected)
                        && replicas.stream().allMatch(r -> r.service().collection().ready()));
    }

    /** The survivors hold the targets, collect them again (one cycle, by their holder only), and serve the same. */
    private void collectAgainAndCompare(List<Replica> survivors, Set<String> moved) throws Exception {
        long before = simulator.requestCount("DescribeVolumes");
        for (Replica r : survivors) {
            collect(r);
        }
        assertThat(simulator.requestCount("DescribeVolumes") - before).as("each target collected once")
                .isGreaterThanOrEqualTo(TARGETS.size());
        awaitIdentical(survivors);
    }

    /**
     * The elbv2_targets collector runs beside the cycle: when DescribeTargetHealth answers only after every cycle's
     * own result is out, its late result is published by the collecting replica like the cycle's, and every replica
     * serves the same again, with the new last success of that collector.
     */
    @Test
    void aLateResultOfACollectorBesideTheCycleReachesEveryReplica() throws Exception {
        List<Replica> three = List.of(startReplica(true), startReplica(true), startReplica(true));
        awaitSpreadAndIdentical(three);
        String pending;
        simulator.faults().hold("DescribeTargetHealth");
        try {
            simulator.resetCounts();
            for (Replica r : three) {
                await(r.service().collection().runAllOnce());
            }
            Awaitility.await("every target's health read waiting").atMost(Duration.ofSeconds(20))
                    .until(() -> simulator.requestCount("DescribeTargetGroups") == TARGETS.size()
                            && simulator.requestCount("DescribeTargetHealth") > 0);
            awaitIdentical(three);
            pending = shared(get(three.get(0), "/metrics"));
        } finally {
            simulator.faults().release("DescribeTargetHealth");
        }
        for (Replica r : three) {
            await(r.service().collection().besideRecorded());
        }
        Map<String, Double> before = elbv2LastSuccess(pending);
        assertThat(before).hasSize(TARGETS.size());
        Awaitility.await("the late elbv2_targets results on every replica").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                    List<String> metrics = new ArrayList<>();
                    for (Replica r : three) {
                        metrics.add(shared(get(r, "/metrics")));
                    }
                    assertThat(new HashSet<>(metrics)).as("distinct /metrics (shared families)").hasSize(1);
                    Map<String, Double> after = elbv2LastSuccess(metrics.get(0));
                    assertThat(after.keySet()).isEqualTo(before.keySet());
                    after.forEach((target, at) -> assertThat(at).as(target).isGreaterThan(before.get(target)));
                });
    }

    /** account/region → the elbv2_targets collector's last success. */
    private static Map<String, Double> elbv2LastSuccess(String body) {
        Map<String, Double> out = new HashMap<>();
        io.opsgate.testing.ExpositionText.samples(body, "opsgate_collection_last_success_timestamp_seconds").stream()
                .filter(l -> "elbv2_targets".equals(io.opsgate.testing.ExpositionText.label(l, "collector")))
                .forEach(l -> out.put(io.opsgate.testing.ExpositionText.label(l, "account_id") + "/"
                        + io.opsgate.testing.ExpositionText.label(l, "region"), io.opsgate.testing.ExpositionText.value(l)));
        return out;
    }

    /** One cycle of the replica's targets, with the results of the collectors beside it. */
    private static void collect(Replica r) throws Exception {
        await(r.service().collection().runAllOnce());
        await(r.service().collection().besideRecorded());
    }

    private static void awaitTaken(List<Replica> survivors, Set<String> targets, Duration within) {
        assertThat(targets).isNotEmpty();
        Awaitility.await("targets " + targets + " taken over").atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> survivors.stream().flatMap(r -> r.share().held().stream()).collect(Collectors.toSet())
                        .containsAll(targets));
    }

    private void awaitSpreadAndIdentical(List<Replica> all) {
        Awaitility.await("one target per replica, every replica ready").atMost(Duration.ofSeconds(25))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> all.stream().allMatch(r -> r.share().held().size() == 1
                        && r.service().collection().ready()));
        awaitIdentical(all);
    }

    private void awaitIdentical(List<Replica> all) {
        Awaitility.await("identical AWS families and /sd/ec2 on every replica").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                    List<String> metrics = new ArrayList<>();
                    List<String> sd = new ArrayList<>();
                    for (Replica r : all) {
                        metrics.add(shared(get(r, "/metrics")));
                        sd.add(get(r, "/sd/ec2"));
                    }
                    assertThat(metrics.get(0)).contains("aws_ebs_volume_info{").contains("opsgate_collector_duration_seconds{").contains("account_id=\"222222222222\",region=\"eu-west-1\"");
                    assertThat(new HashSet<>(metrics)).as("distinct /metrics (shared families)").hasSize(1);
                    assertThat(sd.get(0)).startsWith("[{").contains("111111111111").contains("eu-west-1");
                    assertThat(new HashSet<>(sd)).as("distinct /sd/ec2").hasSize(1);
                });
    }

    /** The families every replica serves alike: the AWS ones, and the collectors' up, last-success and duration gauges. */
    private static String shared(String body) {
        return body.lines().filter(l -> {
            String name = l.startsWith("# ") ? l.split(" ")[2] : l;
            return name.startsWith("aws_") || name.startsWith("opsgate_collector_up")
                    || name.startsWith("opsgate_collection_last_success_timestamp_seconds")
                    || name.startsWith("opsgate_collector_duration_seconds");
        }).collect(Collectors.joining("\n"));
    }

    private String get(Replica r, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + r.service().port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
