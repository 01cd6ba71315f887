package io.opsgate.bench;

import io.opsgate.OpsGateService;
import io.opsgate.collect.CloudWatchFetcher;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimVolume;
import io.opsgate.testing.ExpositionText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Full collection cycles of the real service, in this JVM so that each cycle can be started on demand and
 * timed from outside: {@code runAllOnce()} until the cycle has recorded its snapshot ("collect"), until
 * {@code /metrics} serves it ("collect + render"), and until the collectors that run beside the cycle (route53,
 * elbv2_targets, published when they end) have recorded theirs too ("beside"); the next cycle starts after that, as
 * one would a collection interval later. AWS calls are counted by the simulator per cycle, beside parts included.
 */
final class CollectionBench {

    /**
     * @param callsPerCycle      AWS requests of the last timed cycle by operation, as the simulator counted them
     * @param queriesPerCycle    GetMetricData queries of the last cycle, as the service counted them
     * @param expectedQueries    burst-capable attached volumes + 2 × running burstable instances + 2 × those in
     *                           unlimited mode, from the fleet
     * @param sameCallsEveryCycle whether every timed cycle made exactly the same calls
     */
    record Figures(long firstCycleNanos, long[] collectNanos, long[] publishNanos, long[] besideNanos,
                   Map<String, Long> callsPerCycle, long queriesPerCycle, long expectedQueries,
                   boolean sameCallsEveryCycle) {

        long getMetricDataCalls() {
            return callsPerCycle.getOrDefault("GetMetricData", 0L);
        }

        long minimumCalls() {
            return (queriesPerCycle + CloudWatchFetcher.MAX_QUERIES_PER_CALL - 1) / CloudWatchFetcher.MAX_QUERIES_PER_CALL;
        }

        long totalCalls() {
            return callsPerCycle.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    Figures run(Vertx vertx, AwsSimulator simulator, int cycles) throws Exception {
        return run(vertx, simulator, cycles, BenchConfig.everyCollector(simulator.endpoint(), "127.0.0.1:0"));
    }

    /** @param yaml the service's configuration (BenchConfig) */
    Figures run(Vertx vertx, AwsSimulator simulator, int cycles, String yaml) throws Exception {
        OpsGateConfig config = ConfigLoader.parse(yaml, "bench.yml", name -> null, Path.of("."));
        OpsGateService service = await(OpsGateService.start(vertx, config, Clock.systemUTC()));
        try {
            long t0 = System.nanoTime();
            while (!published(service)) {
                Thread.sleep(5);
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(3)) {
                    throw new IllegalStateException("first collection cycle did not finish within 3 minutes");
                }
            }
            long firstCycle = System.nanoTime() - t0;

            long[] collect = new long[cycles];
            long[] publish = new long[cycles];
            long[] beside = new long[cycles];
            List<Map<String, Long>> calls = new ArrayList<>();
            double requestedBefore = metricsRequested(service);
            double requestedAfter = requestedBefore;
            for (int i = 0; i < cycles; i++) {
                simulator.resetCounts();
                requestedBefore = requestedAfter;
                long start = System.nanoTime();
                await(service.collection().runAllOnce());
                collect[i] = System.nanoTime() - start;
                while (!published(service)) {
                    Thread.sleep(1);
                }
                publish[i] = System.nanoTime() - start;
                await(service.collection().besideRecorded());
                beside[i] = System.nanoTime() - start;
                while (!published(service)) {
                    Thread.sleep(1);
                }
                calls.add(simulator.requestCounts());
                requestedAfter = metricsRequested(service);
            }
            boolean same = calls.stream().distinct().count() == 1;
            return new Figures(firstCycle, collect, publish, beside, calls.get(calls.size() - 1),
                    Math.round(requestedAfter - requestedBefore), expectedQueries(simulator), same);
        } finally {
            await(service.stop());
        }
    }

    private static boolean published(OpsGateService service) {
        return service.collection().ready()
                && service.metricsEndpoint().renderedVersion() >= service.snapshots().current().version();
    }

    /** The service's own count of metrics requested from GetMetricData (the billing unit). */
    private double metricsRequested(OpsGateService service) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return ExpositionText.sum(body, "opsgate_cloudwatch_metrics_requested_total");
    }

    private static long expectedQueries(AwsSimulator simulator) {
        long volumes = simulator.fleet().volumes(BenchConfig.ACCOUNT_ID, BenchConfig.REGION).stream()
                .filter(SimVolume::reportsBurstBalance)
                .count();
        List<SimInstance> instances = simulator.fleet().instances(BenchConfig.ACCOUNT_ID, BenchConfig.REGION).stream()
                .filter(SimInstance::reportsCreditMetrics)
                .toList();
        long unlimited = instances.stream().filter(i -> "unlimited".equals(i.creditMode())).count();
        // Quotas with an AWS/Usage series, but the vCPU ones: OpsGate counts those from the instances it lists.
        long quotaUsage = simulator.fleet().quotas(BenchConfig.ACCOUNT_ID, BenchConfig.REGION).stream()
                .filter(q -> q.usageMetric() != null && !"vCPU".equals(q.usageMetric().dimensions().get("Resource")))
                .count();
        // Balance and usage of each burstable instance; the surplus pair only for those in unlimited mode; one
        // HealthCheckStatus per Route 53 health check (the region is us-east-1, so they join this plan).
        return volumes + 2L * instances.size() + 2L * unlimited + quotaUsage
                + simulator.fleet().healthChecks(BenchConfig.ACCOUNT_ID).size();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    }
}
