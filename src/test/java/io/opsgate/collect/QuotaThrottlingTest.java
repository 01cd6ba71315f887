package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.aws.AwsClientFactory;
import io.opsgate.aws.AwsRequestMetrics;
import io.opsgate.aws.RegionClients;
import io.opsgate.config.CollectorName;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ListServiceQuotas answering TooManyRequestsException, through the real SDK (whose retry strategy backs off) against
 * the simulator, over cycles on a controlled clock: the quota families of the last good listing are kept, the
 * collector is marked down and its last-success time stays, the retry waits a cycle, then two, and a listing that
 * succeeds again brings the collector back.
 */
class QuotaThrottlingTest {
    private static final String ACCOUNT = "111111111111";
    private static final Duration CYCLE = Duration.ofMinutes(5);

    private Vertx vertx;
    private AwsSimulator sim;
    private AwsClientFactory factory;
    private ExecutorService calls;

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.now();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        sim = vertx.executeBlocking(() -> null).compose(v -> AwsSimulator.start(vertx,
                SimulatorOptions.defaults().withFleetSize(20, 10))).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        calls = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() throws Exception {
        if (factory != null) {
            factory.close();
        }
        calls.shutdownNow();
        sim.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void throttledListingBacksOffKeepsTheLastLimitsAndMarksTheCollectorDown() throws Exception {
        OpsGateConfig config = ConfigLoader.parse("""
                collection:
                  interval: 5m
                  collectors: [quotas]
                  quotas: {interval: 1h, service_codes: [ec2, ebs]}
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "%1$s", cloudwatch: "%1$s", sts: "%1$s", servicequotas: "%1$s"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 3, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 10ms}
                accounts:
                  - {name: a, role_arn: "arn:aws:iam::111111111111:role/opsgate"}
                """.formatted(sim.endpoint()), "test.yml", k -> null, Path.of("."));
        PrometheusRegistry registry = new PrometheusRegistry();
        factory = new AwsClientFactory(config.aws(), 8, new AwsRequestMetrics(registry));
        RegionClients clients = factory.clientsFor(ACCOUNT, "us-east-1", factory.credentialsFor(config.accounts().get(0)));
        TestClock clock = new TestClock();
        TargetKey target = new TargetKey(ACCOUNT, "us-east-1");
        OpsGateConfig.Collection settings = config.collection();
        QuotaPart part = new QuotaPart(target, settings.quotas(), settings.interval(), settings.cloudWatchWindow(),
                inventory -> new QuotaLister(inventory.clients().serviceQuotas(), settings.quotas().serviceCodes(),
                        RequestPacer.realTime(10)));
        CloudWatchFetcher fetcher = new CloudWatchFetcher(clients.cloudWatch(), settings.cloudWatchPeriod(),
                settings.cloudWatchWindow(), clock, n -> { }, calls, 1, Duration.ofSeconds(30));
        TargetCycle cycle = new TargetCycle(target, List.of(part), clients, new Ec2Reader(clients.ec2()), fetcher, clock);
        SnapshotStore store = new SnapshotStore();
        CollectionMetrics metrics = new CollectionMetrics(registry);
        CollectorKey key = new CollectorKey(CollectorName.QUOTAS, target);

        CycleResult first = run(cycle, clock, store, metrics);
        assertThat(first.succeeded()).containsKey(CollectorName.QUOTAS);
        List<MetricFamily> good = store.current().families().get(key);
        assertThat(limits(good)).contains(Map.entry("L-1216C47A", limitOf(good, "L-1216C47A")));
        double lastSuccess = gauge(registry, "opsgate_collection_last_success_timestamp_seconds");
        assertThat(gauge(registry, "opsgate_collector_up")).isEqualTo(1);

        // Between listings usage is read every cycle, without a ListServiceQuotas call.
        long listings = sim.requestCount("ListServiceQuotas");
        clock.advance(CYCLE);
        assertThat(run(cycle, clock, store, metrics).succeeded()).containsKey(CollectorName.QUOTAS);
        assertThat(sim.requestCount("ListServiceQuotas")).isEqualTo(listings);

        sim.faults().setThrottledOperations(Set.of("ListServiceQuotas"));
        clock.advance(Duration.ofHours(1));
        CycleResult throttled = run(cycle, clock, store, metrics);
        assertThat(throttled.failed()).containsKey(CollectorName.QUOTAS);
        assertThat(throttled.failed().get(CollectorName.QUOTAS)).contains("TooManyRequestsException");
        // The SDK retried the throttled call with its backoff: 3 attempts, then the cycle gave up.
        assertThat(sim.requestCount("ListServiceQuotas") - listings).isEqualTo(3);
        assertThat(store.current().families().get(key)).as("the last good quotas are kept").isEqualTo(
                store.current().families().get(key)).isNotEmpty();
        assertThat(limits(store.current().families().get(key))).isEqualTo(limits(good));
        assertThat(gauge(registry, "opsgate_collector_up")).isZero();
        assertThat(gauge(registry, "opsgate_collection_last_success_timestamp_seconds")).isGreaterThanOrEqualTo(lastSuccess);
        double successBeforeOutage = gauge(registry, "opsgate_collection_last_success_timestamp_seconds");

        // The next cycle is before the retry is due: no call, no change, still marked down.
        long afterFirstFailure = sim.requestCount("ListServiceQuotas");
        clock.advance(Duration.ofMinutes(4));
        CycleResult waiting = run(cycle, clock, store, metrics);
        assertThat(waiting.failed()).doesNotContainKey(CollectorName.QUOTAS);
        assertThat(waiting.succeeded()).doesNotContainKey(CollectorName.QUOTAS);
        assertThat(sim.requestCount("ListServiceQuotas")).isEqualTo(afterFirstFailure);
        assertThat(gauge(registry, "opsgate_collector_up")).isZero();

        // Retried one cycle after the failure, fails again; the next retry waits two cycles.
        clock.advance(Duration.ofMinutes(1));
        assertThat(run(cycle, clock, store, metrics).failed()).containsKey(CollectorName.QUOTAS);
        clock.advance(CYCLE);
        long afterSecondFailure = sim.requestCount("ListServiceQuotas");
        run(cycle, clock, store, metrics);
        assertThat(sim.requestCount("ListServiceQuotas")).isEqualTo(afterSecondFailure);
        assertThat(gauge(registry, "opsgate_collection_last_success_timestamp_seconds")).isEqualTo(successBeforeOutage);

        sim.faults().setThrottledOperations(Set.of());
        clock.advance(CYCLE);
        assertThat(run(cycle, clock, store, metrics).succeeded()).containsKey(CollectorName.QUOTAS);
        assertThat(gauge(registry, "opsgate_collector_up")).isEqualTo(1);
        assertThat(gauge(registry, "opsgate_collection_last_success_timestamp_seconds")).isGreaterThan(successBeforeOutage);
    }

    private static CycleResult run(TargetCycle cycle, TestClock clock, SnapshotStore store, CollectionMetrics metrics) {
        CycleResult result = cycle.run(clock.instant().plus(Duration.ofMinutes(4))).result();
        Map<CollectorKey, List<MetricFamily>> succeeded = new java.util.HashMap<>();
        result.succeeded().forEach((c, f) -> succeeded.put(new CollectorKey(c, result.target()), f));
        store.record(result.target(), succeeded);
        metrics.recorded(result, clock.instant());
        return result;
    }

    private static Map<String, Double> limits(List<MetricFamily> families) {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (MetricFamily f : families) {
            if (f.name().equals("aws_service_quota_limit")) {
                f.samples().forEach(s -> out.put(s.labels().get("quota_code"), s.value()));
            }
        }
        return out;
    }

    private static double limitOf(List<MetricFamily> families, String code) {
        return limits(families).get(code);
    }

    private static double gauge(PrometheusRegistry registry, String name) {
        return registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName().equals(name)
                        || s.getMetadata().getName().equals(name))
                .flatMap(s -> ((GaugeSnapshot) s).getDataPoints().stream())
                .filter(p -> "quotas".equals(p.getLabels().get("collector")))
                .mapToDouble(p -> p.getValue()).findFirst().orElseThrow();
    }
}
