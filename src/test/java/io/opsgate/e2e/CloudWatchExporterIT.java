package io.opsgate.e2e;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.AwsEndpointProxy;
import io.opsgate.testing.CloudWatchExporterProcess;
import io.opsgate.testing.SimulatedService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * cloudwatch_exporter 0.16.0, unmodified and in its own JVM (SDK 2.27.7, awsQuery; reaching the simulator through
 * an {@link AwsEndpointProxy}, as through a corporate HTTPS proxy), against the simulator that
 * OpsGate (SDK 2.57, RPC v2 CBOR) reads too, in both of the exporter's modes: ListMetrics + GetMetricStatistics
 * (its default) and ListMetrics + GetMetricData ({@code use_get_metric_data: true}, which maps results back by the
 * Label it sets). Both ask for the same 5-minute Average over a 15-minute window ending now, so within one clock
 * minute both read the same newest period and must report the same value for every volume and instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudWatchExporterIT {

    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";
    private static final String OPSGATE = """
            collection:
              interval: 1h
              jitter: 0
              collectors: [ebs, ec2]
              # Value for value against an exporter that reads every series at every scrape: cost-aware polling,
              # which serves a full bucket's last value until it could have fallen, would differ by design.
              cloudwatch: {period: 5m, window: 15m, cost_aware: {enabled: false}}
            aws:
              regions: [us-east-1]
              endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", servicequotas: "${SIM}"}
              credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
            accounts:
              - name: main
                id: "123456789012"
            """;
    /** OpsGate's metric -> the CloudWatch metric behind it. */
    private static final Map<String, String> EC2 = Map.of(
            "aws_ec2_cpu_credit_balance", "CPUCreditBalance",
            "aws_ec2_cpu_credit_usage", "CPUCreditUsage",
            "aws_ec2_cpu_surplus_credit_balance", "CPUSurplusCreditBalance",
            "aws_ec2_cpu_surplus_credits_charged", "CPUSurplusCreditsCharged");

    @TempDir
    Path work;
    private SimulatedService env;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws Exception {
        // The exporter computes its window from its own clock, so the simulator runs on the real one.
        env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(60, 30).withClock(Clock.systemUTC()), OPSGATE);
        env.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() throws Exception {
        if (env != null) {
            env.close();
        }
    }

    static String exporterConfig(boolean getMetricData) {
        StringBuilder yml = new StringBuilder("region: " + REGION + "\n")
                .append("use_get_metric_data: ").append(getMetricData).append('\n')
                .append("period_seconds: 300\nrange_seconds: 900\ndelay_seconds: 0\nset_timestamp: false\nmetrics:\n")
                .append(rule("AWS/EBS", "BurstBalance", "VolumeId"));
        for (String m : EC2.values()) {
            yml.append(rule("AWS/EC2", m, "InstanceId"));
        }
        return yml.toString();
    }

    private static String rule(String namespace, String metric, String dimension) {
        return "  - aws_namespace: " + namespace + "\n    aws_metric_name: " + metric + "\n    aws_dimensions: ["
                + dimension + "]\n    aws_statistics: [Average]\n";
    }

    @ParameterizedTest(name = "use_get_metric_data: {0}")
    @ValueSource(booleans = {false, true})
    void exporterValuesEqualOpsGatesForEveryVolumeAndInstance(boolean getMetricData) throws Exception {
        Path config = work.resolve("cloudwatch-" + getMetricData + ".yml");
        Files.writeString(config, exporterConfig(getMetricData));
        Set<String> bursting = env.simulator().fleet().volumes(ACCOUNT, REGION).stream()
                .filter(SimVolume::reportsBurstBalance).map(SimVolume::id).collect(Collectors.toSet());
        Set<String> crediting = env.simulator().fleet().instances(ACCOUNT, REGION).stream()
                .filter(SimInstance::reportsCreditMetrics).map(SimInstance::id).collect(Collectors.toSet());
        assertThat(bursting).isNotEmpty();
        assertThat(crediting).isNotEmpty();

        try (AwsEndpointProxy proxy = AwsEndpointProxy.start(env.simulator().port(),
                List.of("monitoring." + REGION + ".amazonaws.com"), work);
             CloudWatchExporterProcess exporter = CloudWatchExporterProcess.start(config, proxy, REGION,
                     List.of("-Xmx256m"), work.resolve("exporter-" + getMetricData + ".log"))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                env.simulator().resetCounts();
                Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
                env.collectOnce();
                String ours = env.get("/metrics").body();
                String theirs = http.send(HttpRequest.newBuilder(exporter.uri("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Map<String, Long> counts = env.simulator().requestCountsByProtocol();
                assertThat(Instant.now().truncatedTo(ChronoUnit.MINUTES))
                        .as("both read within one clock minute (else their newest periods differ); retrying")
                        .isEqualTo(minute);
                assertThat(samples(theirs, "cloudwatch_exporter_scrape_error")).singleElement()
                        .satisfies(l -> assertThat(value(l)).as(exporter.log()).isZero());

                assertThat(byId(theirs, "aws_ebs_burst_balance_average", "volume_id", 1.0))
                        .as("BurstBalance, percent")
                        .isEqualTo(byId(ours, "aws_ebs_burst_balance_ratio", "volume_id", 100.0))
                        .containsOnlyKeys(bursting);
                for (Map.Entry<String, String> e : EC2.entrySet()) {
                    Map<String, Double> oursById = byId(ours, e.getKey(), "instance_id", 1.0);
                    Map<String, Double> theirsById = new java.util.HashMap<>(
                            byId(theirs, exporterName(e.getValue()), "instance_id", 1.0));
                    if (e.getValue().startsWith("CPUSurplus")) {
                        // Ours requests surplus metrics only for unlimited instances (in standard mode they mean
                        // nothing); theirs reads every instance: compare where both read.
                        assertThat(oursById.keySet()).as(e.getValue()).isNotEmpty().isSubsetOf(crediting);
                        theirsById.keySet().retainAll(oursById.keySet());
                    } else {
                        assertThat(oursById).as(e.getValue()).containsOnlyKeys(crediting);
                    }
                    assertThat(theirsById).as(e.getValue()).isEqualTo(oursById);
                }
                // Theirs speaks awsQuery, ours RPC v2 CBOR; theirs lists metrics first, ours reads the inventory.
                String theirCall = getMetricData ? "query:GetMetricData" : "query:GetMetricStatistics";
                assertThat(counts).containsKey(theirCall).containsKey("query:ListMetrics")
                        .containsKey("rpcv2Cbor:GetMetricData")
                        .doesNotContainKey(getMetricData ? "query:GetMetricStatistics" : "query:GetMetricData");
                if (!getMetricData) {
                    assertThat(counts.get(theirCall)).as("one GetMetricStatistics per series")
                            .isEqualTo(bursting.size() + 4L * crediting.size());
                }
            });
        }
    }

    /** cloudwatch_exporter's name: aws_ + namespace + snake_case(metric) + _ + statistic. */
    private static String exporterName(String metric) {
        return "aws_ec2_" + metric.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase() + "_average";
    }

    private static Map<String, Double> byId(String body, String metric, String idLabel, double scale) {
        Map<String, Double> out = new HashMap<>();
        for (String line : samples(body, metric)) {
            out.put(label(line, idLabel), Math.round(value(line) * scale * 1e6) / 1e6);
        }
        return out;
    }
}
