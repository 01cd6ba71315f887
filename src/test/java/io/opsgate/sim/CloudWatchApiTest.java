package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudWatchApiTest {

    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";
    private static final Instant END = SimHarness.NOW;
    private static final Instant START = END.minus(Duration.ofMinutes(15));
    private static final List<String> CREDIT_METRICS = List.of("CPUCreditBalance", "CPUCreditUsage",
            "CPUSurplusCreditBalance", "CPUSurplusCreditsCharged");

    private SimHarness harness;
    private CloudWatchClient cw;

    @BeforeAll
    void start() {
        harness = SimHarness.withFixedClock();
        cw = harness.cloudWatch();
    }

    @AfterAll
    void stop() throws Exception {
        cw.close();
        harness.close();
    }

    @Test
    void moreThan500QueriesIsRejectedWithAwsValidationError() {
        List<MetricDataQuery> queries = IntStream.range(0, 501)
                .mapToObj(n -> query("q" + n, "AWS/EBS", "BurstBalance", "VolumeId", "vol-" + n, 300, "Average"))
                .toList();
        assertThatThrownBy(() -> cw.getMetricData(r -> r.startTime(START).endTime(END).metricDataQueries(queries)))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The collection MetricDataQueries must not have a size greater than 500.");
                });
        GetMetricDataResponse ok = cw.getMetricData(r -> r.startTime(START).endTime(END)
                .metricDataQueries(queries.subList(0, 500)));
        assertThat(ok.metricDataResults()).hasSize(500);
    }

    @Test
    void invalidOrDuplicateIdsAreRejected() {
        assertThatThrownBy(() -> cw.getMetricData(r -> r.startTime(START).endTime(END).metricDataQueries(
                query("Bad-id", "AWS/EBS", "BurstBalance", "VolumeId", "vol-1", 300, "Average"))))
                .isInstanceOfSatisfying(CloudWatchException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> cw.getMetricData(r -> r.startTime(START).endTime(END).metricDataQueries(
                query("a", "AWS/EBS", "BurstBalance", "VolumeId", "vol-1", 300, "Average"),
                query("a", "AWS/EBS", "BurstBalance", "VolumeId", "vol-2", 300, "Average"))))
                .isInstanceOfSatisfying(CloudWatchException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).contains("not unique"));
        assertThatThrownBy(() -> cw.getMetricData(r -> r.startTime(END).endTime(START).metricDataQueries(
                query("a", "AWS/EBS", "BurstBalance", "VolumeId", "vol-1", 300, "Average"))))
                .isInstanceOfSatisfying(CloudWatchException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void burstBalanceOnlyForAttachedGp2St1Sc1() {
        List<SimVolume> volumes = harness.sim.fleet().volumes(ACCOUNT, REGION);
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int n = 0; n < volumes.size(); n++) {
            queries.add(query("v" + n, "AWS/EBS", "BurstBalance", "VolumeId", volumes.get(n).id(), 300, "Average"));
        }
        Map<String, MetricDataResult> results = fetch(queries);
        assertThat(results).hasSize(volumes.size());
        for (int n = 0; n < volumes.size(); n++) {
            SimVolume v = volumes.get(n);
            MetricDataResult r = results.get("v" + n);
            boolean expected = v.volumeType().matches("gp2|st1|sc1") && v.state().equals("in-use");
            if (expected) {
                assertThat(r.values()).as(v.toString()).hasSize(3)
                        .allSatisfy(x -> assertThat(x).isBetween(0.0, 100.0));
                assertThat(r.timestamps()).containsExactly(END.minusSeconds(300), END.minusSeconds(600),
                        END.minusSeconds(900));
            } else {
                assertThat(r.values()).as(v.toString()).isEmpty();
            }
            assertThat(r.statusCode()).isEqualTo(StatusCode.COMPLETE);
        }
        assertThat(volumes).anySatisfy(v -> assertThat(v.reportsBurstBalance()).isTrue());
        assertThat(volumes).anySatisfy(v -> assertThat(v.volumeType()).isEqualTo("gp3"));
    }

    @Test
    void creditMetricsOnlyForRunningBurstableInstances() {
        List<SimInstance> instances = harness.sim.fleet().instances(ACCOUNT, REGION);
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int n = 0; n < instances.size(); n++) {
            for (int m = 0; m < CREDIT_METRICS.size(); m++) {
                queries.add(query("i" + n + "_" + m, "AWS/EC2", CREDIT_METRICS.get(m), "InstanceId",
                        instances.get(n).id(), 300, "Average"));
            }
        }
        Map<String, MetricDataResult> results = fetch(queries);
        for (int n = 0; n < instances.size(); n++) {
            SimInstance i = instances.get(n);
            for (int m = 0; m < CREDIT_METRICS.size(); m++) {
                MetricDataResult r = results.get("i" + n + "_" + m);
                if (i.burstable() && i.running()) {
                    assertThat(r.values()).as(i + " " + CREDIT_METRICS.get(m)).hasSize(3)
                            .allSatisfy(x -> assertThat(x).isGreaterThanOrEqualTo(0.0));
                } else {
                    assertThat(r.values()).as(i + " " + CREDIT_METRICS.get(m)).isEmpty();
                }
            }
            if (i.burstable() && i.running()) {
                assertThat(results.get("i" + n + "_1").values()).allSatisfy(x -> assertThat(x).isPositive());
                if ("standard".equals(i.creditMode())) {
                    assertThat(results.get("i" + n + "_2").values()).containsOnly(0.0);
                }
            }
        }
    }

    @Test
    void maxDatapointsPagesWithNextTokenAndScanByAscending() {
        SimVolume v = harness.sim.fleet().volumes(ACCOUNT, REGION).get(0);
        SimInstance i = harness.sim.fleet().instances(ACCOUNT, REGION).get(0);
        List<MetricDataQuery> queries = List.of(
                query("burst", "AWS/EBS", "BurstBalance", "VolumeId", v.id(), 60, "Minimum"),
                query("credit", "AWS/EC2", "CPUCreditBalance", "InstanceId", i.id(), 300, "Average"));
        Instant start = END.minus(Duration.ofHours(1));

        GetMetricDataResponse whole = cw.getMetricData(r -> r.startTime(start).endTime(END)
                .scanBy(ScanBy.TIMESTAMP_ASCENDING).metricDataQueries(queries));
        assertThat(whole.nextToken()).isNull();
        MetricDataResult burst = whole.metricDataResults().get(0);
        assertThat(burst.timestamps()).hasSize(60).isSorted().first().isEqualTo(start);
        assertThat(burst.timestamps()).allSatisfy(t -> assertThat(t.getEpochSecond() % 60).isZero());

        List<GetMetricDataResponse> pages = new ArrayList<>();
        cw.getMetricDataPaginator(r -> r.startTime(start).endTime(END).scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .maxDatapoints(25).metricDataQueries(queries)).forEach(pages::add);
        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).metricDataResults().get(0).statusCode()).isEqualTo(StatusCode.PARTIAL_DATA);
        List<Instant> burstTimes = new ArrayList<>();
        List<Double> creditValues = new ArrayList<>();
        for (GetMetricDataResponse p : pages) {
            for (MetricDataResult r : p.metricDataResults()) {
                if (r.id().equals("burst")) {
                    burstTimes.addAll(r.timestamps());
                } else {
                    creditValues.addAll(r.values());
                }
            }
        }
        assertThat(burstTimes).isEqualTo(burst.timestamps());
        assertThat(creditValues).isEqualTo(whole.metricDataResults().get(1).values());
    }

    private Map<String, MetricDataResult> fetch(List<MetricDataQuery> queries) {
        List<MetricDataResult> out = new ArrayList<>();
        for (int from = 0; from < queries.size(); from += 500) {
            List<MetricDataQuery> batch = queries.subList(from, Math.min(queries.size(), from + 500));
            cw.getMetricDataPaginator(r -> r.startTime(START).endTime(END).scanBy(ScanBy.TIMESTAMP_DESCENDING)
                    .metricDataQueries(batch)).metricDataResults().forEach(out::add);
        }
        return out.stream().collect(Collectors.toMap(MetricDataResult::id, Function.identity()));
    }

    static MetricDataQuery query(String id, String namespace, String metric, String dim, String value, int period,
            String stat) {
        return MetricDataQuery.builder().id(id).returnData(true).metricStat(MetricStat.builder().period(period)
                .stat(stat).metric(Metric.builder().namespace(namespace).metricName(metric)
                        .dimensions(Dimension.builder().name(dim).value(value).build()).build()).build()).build();
    }
}
