package io.opsgate;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.sum;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.collect.CloudWatchFetcher;
import io.opsgate.collect.MetricQuery;
import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.ManualClock;
import io.opsgate.testing.SimulatedService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Cost-aware polling through the real SDK against the simulator, on a clock that both share and the test moves:
 * a volume draining at the fastest rate its size allows is read while it drains and its alert condition shows in
 * {@code /metrics} in the same cycle as for a reader that polls every cycle; a full, idle fleet is read once per
 * maximum interval and still served whole.
 */
class CostAwarePollingTest {
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";
    /** A period boundary plus the default publication delay. */
    private static final Instant T0 = Instant.parse("2026-12-02T00:01:00Z");

    private static String config(String collectors, String maxInterval) {
        return """
                collection:
                  interval: 1h
                  jitter: 0
                  collectors: [%s]
                  cloudwatch:
                    cost_aware: {max_interval: %s}
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                accounts:
                  - name: a
                    id: "123456789012"
                """.formatted(collectors, maxInterval);
    }

    @Test
    void aVolumeDrainingAtTheFastestRateIsSeenCrossingInTheSameCycleAsByPollingEveryCycle() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ExecutorService calls = Executors.newSingleThreadExecutor();
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(40, 5)
                .withAdmin("127.0.0.1", 0).withClock(clock), config("ebs", "1h"), clock,
                // Every volume full and idle from the first cycle on; the one drained below starts full too.
                sim -> sim.setIdleShare(1.0));
             CloudWatchClient cloudWatch = CloudWatchClient.builder()
                     .endpointOverride(URI.create(env.simulator().endpoint())).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create("AKIAOPSGATETEST00000", "not-a-secret"))).build()) {
            env.awaitReady(Duration.ofSeconds(60));
            // The smallest bursting gp2 drains fastest: 5.4 M credits at 3,000 - 100 IOPS, 31 minutes from full.
            SimVolume volume = env.simulator().fleet().volumes(ACCOUNT, REGION).stream()
                    .filter(SimVolume::reportsBurstBalance).filter(v -> v.volumeType().equals("gp2"))
                    .min(java.util.Comparator.comparingInt(SimVolume::sizeGiB)).orElseThrow();
            assertThat(volume.sizeGiB()).isLessThan(34);
            assertThat(ratio(env, volume.id())).hasValue(1.0);

            // A reader that polls every cycle (fixed polling), with the service's own fetcher settings.
            CloudWatchFetcher everyCycle = new CloudWatchFetcher(cloudWatch, Duration.ofMinutes(5),
                    Duration.ofMinutes(15), clock, n -> { }, calls, 1, Duration.ofSeconds(30));
            MetricQuery burst = new MetricQuery("AWS/EBS", "BurstBalance", "VolumeId", volume.id(), "Average");
            double requestedBefore = sum(env.get("/metrics").body(), "opsgate_cloudwatch_metrics_requested_total");
            assertThat(post(env, "/volumes/" + volume.id() + "/drain", "{\"from\": 100, \"percentPerSecond\": \"max\"}")
                    .statusCode()).isEqualTo(200);
            // Faster than physics is refused.
            assertThat(post(env, "/volumes/" + volume.id() + "/drain", "{\"percentPerSecond\": 1}").statusCode())
                    .isEqualTo(409);

            boolean seenDrainingBeforeCrossing = false;
            Integer crossingMinute = null;
            int cycles = 0;
            for (int minute = 5; minute <= 60 && crossingMinute == null; minute += 5) {
                clock.advance(Duration.ofMinutes(5));
                env.collectOnce();
                cycles++;
                double truth = everyCycle.fetchNewest(List.of(burst), clock.instant().plusSeconds(30)).get(burst);
                double served = ratio(env, volume.id()).orElseThrow();
                if (truth >= 20 && served < 1.0) {
                    seenDrainingBeforeCrossing = true;
                }
                if (truth < 20) {
                    crossingMinute = minute;
                    // The alert's expression (aws_ebs_burst_balance_ratio < 0.20) holds on what /metrics serves.
                    assertThat(served).as("served at the cycle the crossing can first be read (minute %d)", minute)
                            .isLessThan(0.2);
                } else {
                    assertThat(served).as("never below the threshold before the data is").isGreaterThanOrEqualTo(0.2);
                }
            }
            assertThat(seenDrainingBeforeCrossing).as("read while draining, before it crossed").isTrue();
            // 80 points at 0.0537 %/s take 25 minutes; CloudWatch's 5-minute average lags a few minutes behind.
            assertThat(crossingMinute).as("crossed within physics plus CloudWatch's lag").isNotNull().isBetween(25, 35);
            long bursting = env.simulator().fleet().volumes(ACCOUNT, REGION).stream()
                    .filter(SimVolume::reportsBurstBalance).count();
            double requested = sum(env.get("/metrics").body(), "opsgate_cloudwatch_metrics_requested_total") - requestedBefore;
            // The idle volumes were not re-read while this one drained (fixed polling: bursting × cycles).
            assertThat(requested).isLessThan((double) bursting * cycles / 2);
        } finally {
            calls.shutdownNow();
        }
    }

    @Test
    void aFullIdleFleetIsReadOncePerMaxIntervalAndServedWhole() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (SimulatedService env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(120, 60)
                .withClock(clock), config("ebs, ec2", "20m"), clock, sim -> sim.setIdleShare(1.0))) {
            env.awaitReady(Duration.ofSeconds(60));
            long bursting = env.simulator().fleet().volumes(ACCOUNT, REGION).stream()
                    .filter(SimVolume::reportsBurstBalance).count();
            List<SimInstance> crediting = env.simulator().fleet().instances(ACCOUNT, REGION).stream()
                    .filter(SimInstance::reportsCreditMetrics).toList();
            long unlimited = crediting.stream().filter(i -> "unlimited".equals(i.creditMode())).count();
            // Balance and usage of each, the surplus pair only in unlimited mode.
            long series = bursting + 2L * crediting.size() + 2L * unlimited;
            String first = env.get("/metrics").body();
            assertThat(sum(first, "opsgate_cloudwatch_metrics_requested_total")).isEqualTo(series);
            assertThat(samples(first, "aws_ec2_cpu_surplus_credit_balance")).hasSize((int) unlimited);

            env.simulator().resetCounts();
            int cycles = 24; // two hours at five minutes
            for (int i = 0; i < cycles; i++) {
                clock.advance(Duration.ofMinutes(5));
                env.collectOnce();
            }
            String last = env.get("/metrics").body();
            double requested = sum(last, "opsgate_cloudwatch_metrics_requested_total") - series;
            // Read at T0, then once per 20 minutes: six more reads in two hours (no bucket here can drain to its
            // threshold in less than 20 minutes: a full small gp2 needs 25), against 24 for fixed polling.
            assertThat(requested).isEqualTo(6.0 * series);
            assertThat(env.simulator().requestCount("GetMetricData")).isEqualTo(6L * ((series + 499) / 500));
            assertThat(sum(last, "opsgate_cloudwatch_metrics_skipped_total")).isEqualTo((double) (cycles - 6) * series);
            assertThat(sum(last, "opsgate_cloudwatch_estimated_cost_dollars_total"))
                    .isEqualTo(new java.math.BigDecimal(7 * series).movePointLeft(5).doubleValue());
            // Skipped series are still served, from their last value.
            assertThat(samples(last, "aws_ebs_burst_balance_ratio")).hasSize((int) bursting)
                    .allSatisfy(l -> assertThat(value(l)).isEqualTo(1.0));
            assertThat(samples(last, "aws_ec2_cpu_credit_balance")).hasSize(crediting.size());
            assertThat(sum(last, "opsgate_collector_up")).isEqualTo(2.0);
        }
    }

    private static OptionalDouble ratio(SimulatedService env, String volumeId) throws Exception {
        return samples(env.get("/metrics").body(), "aws_ebs_burst_balance_ratio").stream()
                .filter(l -> volumeId.equals(label(l, "volume_id"))).mapToDouble(l -> value(l)).findFirst();
    }

    private static HttpResponse<String> post(SimulatedService env, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(env.simulator().adminEndpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
