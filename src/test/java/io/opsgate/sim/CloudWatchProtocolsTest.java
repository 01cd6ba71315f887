package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Element;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * CloudWatch through both wire protocols: the SDK 2.57 client (Smithy RPC v2 CBOR) and awsQuery form posts as
 * older SDKs send them. Every operation answers the same data, error codes and NextTokens on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudWatchProtocolsTest {

    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";
    private static final Instant END = SimHarness.NOW;
    private static final Instant START = END.minus(Duration.ofMinutes(15));

    private SimHarness harness;
    private CloudWatchClient cw;
    private AwsQueryClient query;

    @BeforeAll
    void start() {
        // Enough burst-capable volumes for ListMetrics to page (500 metrics a page).
        harness = new SimHarness(SimulatorOptions.defaults().withClock(SimHarness.FIXED).withFleetSize(1500, 200));
        cw = harness.cloudWatch(SimHarness.STATIC, 1);
        query = new AwsQueryClient(harness.endpoint(), REGION);
    }

    @AfterEach
    void reset() {
        harness.sim.faults().clear();
        harness.sim.resetCounts();
    }

    @AfterAll
    void stop() throws Exception {
        cw.close();
        harness.close();
    }

    private SimVolume burstVolume(int n) {
        return harness.sim.fleet().volumes(ACCOUNT, REGION).stream().filter(SimVolume::reportsBurstBalance).skip(n)
                .findFirst().orElseThrow();
    }

    private SimInstance creditInstance() {
        return harness.sim.fleet().instances(ACCOUNT, REGION).stream().filter(SimInstance::reportsCreditMetrics)
                .findFirst().orElseThrow();
    }

    @Test
    void theSdkSpeaksRpcV2CborAndGetsEachQuerysLabelBack() {
        SimVolume v = burstVolume(0);
        GetMetricDataResponse r = cw.getMetricData(b -> b.startTime(START).endTime(END).metricDataQueries(
                labelled(CloudWatchApiTest.query("a", "AWS/EBS", "BurstBalance", "VolumeId", v.id(), 300, "Average"),
                        "Average/VolumeId=" + v.id()),
                CloudWatchApiTest.query("b", "AWS/EBS", "BurstBalance", "VolumeId", v.id(), 300, "Maximum")));
        assertThat(r.metricDataResults()).extracting(MetricDataResult::label)
                .containsExactly("Average/VolumeId=" + v.id(), "BurstBalance");
        assertThat(r.metricDataResults().get(0).values()).hasSize(3);
        assertThat(harness.sim.requestCountsByProtocol())
                .containsEntry("rpcv2Cbor:GetMetricData", 1L)
                .doesNotContainKey("query:GetMetricData");
    }

    @Test
    void getMetricDataAnswersTheSameOnBothProtocols() throws Exception {
        SimVolume v = burstVolume(1);
        SimInstance i = creditInstance();
        List<MetricDataQuery> queries = List.of(
                labelled(CloudWatchApiTest.query("burst", "AWS/EBS", "BurstBalance", "VolumeId", v.id(), 60, "Minimum"),
                        "my <label> & more"),
                CloudWatchApiTest.query("credit", "AWS/EC2", "CPUCreditBalance", "InstanceId", i.id(), 300, "Average"),
                CloudWatchApiTest.query("none", "AWS/EBS", "BurstBalance", "VolumeId", "vol-0000000000000000", 300, "Average"));
        GetMetricDataResponse sdk = cw.getMetricData(b -> b.startTime(START).endTime(END).metricDataQueries(queries));

        Map<String, String> form = new LinkedHashMap<>();
        form.put("StartTime", START.toString());
        form.put("EndTime", END.toString());
        form.put("ScanBy", "TimestampDescending");
        for (int n = 0; n < queries.size(); n++) {
            MetricDataQuery q = queries.get(n);
            String base = "MetricDataQueries.member." + (n + 1) + ".";
            form.put(base + "Id", q.id());
            if (q.label() != null) {
                form.put(base + "Label", q.label());
            }
            form.put(base + "MetricStat.Metric.Namespace", q.metricStat().metric().namespace());
            form.put(base + "MetricStat.Metric.MetricName", q.metricStat().metric().metricName());
            form.put(base + "MetricStat.Metric.Dimensions.member.1.Name", q.metricStat().metric().dimensions().get(0).name());
            form.put(base + "MetricStat.Metric.Dimensions.member.1.Value", q.metricStat().metric().dimensions().get(0).value());
            form.put(base + "MetricStat.Period", String.valueOf(q.metricStat().period()));
            form.put(base + "MetricStat.Stat", q.metricStat().stat());
        }
        AwsQueryClient.Reply xml = query.call("GetMetricData", form);
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.xml().getDocumentElement().getNamespaceURI())
                .isEqualTo("http://monitoring.amazonaws.com/doc/2010-08-01/");
        List<Element> members = AwsQueryClient.children(
                AwsQueryClient.child(AwsQueryClient.child(xml.xml().getDocumentElement(), "GetMetricDataResult"),
                        "MetricDataResults"), "member");
        assertThat(members).hasSize(3);
        for (int n = 0; n < 3; n++) {
            MetricDataResult s = sdk.metricDataResults().get(n);
            Element x = members.get(n);
            assertThat(AwsQueryClient.childText(x, "Id")).isEqualTo(s.id());
            assertThat(AwsQueryClient.childText(x, "Label")).isEqualTo(s.label());
            assertThat(AwsQueryClient.childText(x, "StatusCode")).isEqualTo(s.statusCodeAsString());
            assertThat(AwsQueryClient.members(x, "Timestamps")).map(Instant::parse).isEqualTo(s.timestamps());
            assertThat(AwsQueryClient.members(x, "Values")).map(Double::valueOf).isEqualTo(s.values());
        }
        assertThat(sdk.metricDataResults().get(0).label()).isEqualTo("my <label> & more");
        assertThat(sdk.metricDataResults().get(0).values()).hasSize(15);
        assertThat(sdk.metricDataResults().get(1).label()).isEqualTo("CPUCreditBalance");
        assertThat(sdk.metricDataResults().get(1).values()).hasSize(3);
        assertThat(sdk.metricDataResults().get(2).values()).isEmpty();
        assertThat(harness.sim.requestCountsByProtocol())
                .containsEntry("rpcv2Cbor:GetMetricData", 1L).containsEntry("query:GetMetricData", 1L);
    }

    @Test
    void route53HealthCheckStatusAnswersTheSameOnBothProtocols() throws Exception {
        List<SimHealthCheck> checks = harness.sim.fleet().healthChecks(ACCOUNT);
        SimHealthCheck healthy = checks.get(0);
        SimHealthCheck failing = checks.get(1);
        GetMetricDataResponse sdk = cw.getMetricData(b -> b.startTime(START).endTime(END).metricDataQueries(
                CloudWatchApiTest.query("up", "AWS/Route53", "HealthCheckStatus", "HealthCheckId", healthy.id(), 60, "Minimum"),
                CloudWatchApiTest.query("down", "AWS/Route53", "HealthCheckStatus", "HealthCheckId", failing.id(), 60, "Minimum")));
        assertThat(sdk.metricDataResults().get(0).values()).isNotEmpty().allSatisfy(v -> assertThat(v).isEqualTo(1.0));
        assertThat(sdk.metricDataResults().get(1).values()).isNotEmpty().allSatisfy(v -> assertThat(v).isZero());

        Map<String, String> form = new LinkedHashMap<>();
        form.put("StartTime", START.toString());
        form.put("EndTime", END.toString());
        String base = "MetricDataQueries.member.1.";
        form.put(base + "Id", "down");
        form.put(base + "MetricStat.Metric.Namespace", "AWS/Route53");
        form.put(base + "MetricStat.Metric.MetricName", "HealthCheckStatus");
        form.put(base + "MetricStat.Metric.Dimensions.member.1.Name", "HealthCheckId");
        form.put(base + "MetricStat.Metric.Dimensions.member.1.Value", failing.id());
        form.put(base + "MetricStat.Period", "60");
        form.put(base + "MetricStat.Stat", "Minimum");
        AwsQueryClient.Reply xml = query.call("GetMetricData", form);
        assertThat(xml.status()).isEqualTo(200);
        Element member = AwsQueryClient.children(AwsQueryClient.child(AwsQueryClient.child(xml.xml().getDocumentElement(),
                "GetMetricDataResult"), "MetricDataResults"), "member").get(0);
        assertThat(AwsQueryClient.members(member, "Values")).map(Double::valueOf)
                .isEqualTo(sdk.metricDataResults().get(1).values());
        assertThat(AwsQueryClient.members(member, "Timestamps")).map(Instant::parse)
                .isEqualTo(sdk.metricDataResults().get(1).timestamps());
    }

    @Test
    void getMetricStatisticsAnswersTheSameOnBothProtocols() throws Exception {
        SimVolume v = burstVolume(2);
        Instant start = END.minus(Duration.ofHours(1));
        GetMetricStatisticsResponse sdk = cw.getMetricStatistics(b -> b.namespace("AWS/EBS").metricName("BurstBalance")
                .dimensions(d -> d.name("VolumeId").value(v.id())).startTime(start).endTime(END).period(300)
                .statistics(Statistic.AVERAGE, Statistic.MAXIMUM, Statistic.SAMPLE_COUNT));
        assertThat(sdk.label()).isEqualTo("BurstBalance");
        assertThat(sdk.datapoints()).hasSize(12).extracting(Datapoint::timestamp).isSorted()
                .allSatisfy(t -> assertThat(t).isBetween(start, END));
        assertThat(sdk.datapoints()).allSatisfy(d -> {
            assertThat(d.unit()).isEqualTo(StandardUnit.PERCENT);
            assertThat(d.sampleCount()).isEqualTo(5.0);
            assertThat(d.maximum()).isGreaterThanOrEqualTo(d.average());
            assertThat(d.sum()).isNull();
            assertThat(d.average()).isBetween(0.0, 100.0);
        });

        AwsQueryClient.Reply xml = query.call("GetMetricStatistics", Map.of("Namespace", "AWS/EBS",
                "MetricName", "BurstBalance", "Dimensions.member.1.Name", "VolumeId", "Dimensions.member.1.Value", v.id(),
                "StartTime", start.toString(), "EndTime", END.toString(), "Period", "300",
                "Statistics.member.1", "Average", "Statistics.member.2", "Maximum", "Statistics.member.3", "SampleCount"));
        assertThat(xml.status()).isEqualTo(200);
        Element result = AwsQueryClient.child(xml.xml().getDocumentElement(), "GetMetricStatisticsResult");
        assertThat(AwsQueryClient.childText(result, "Label")).isEqualTo("BurstBalance");
        List<Element> points = AwsQueryClient.children(AwsQueryClient.child(result, "Datapoints"), "member");
        assertThat(points).hasSize(12);
        for (int n = 0; n < points.size(); n++) {
            Datapoint d = sdk.datapoints().get(n);
            Element x = points.get(n);
            assertThat(Instant.parse(AwsQueryClient.childText(x, "Timestamp"))).isEqualTo(d.timestamp());
            assertThat(Double.valueOf(AwsQueryClient.childText(x, "Average"))).isEqualTo(d.average());
            assertThat(Double.valueOf(AwsQueryClient.childText(x, "Maximum"))).isEqualTo(d.maximum());
            assertThat(AwsQueryClient.childText(x, "Unit")).isEqualTo("Percent");
        }
        // The same metric through GetMetricData gives the same numbers.
        GetMetricDataResponse viaData = cw.getMetricData(b -> b.startTime(start).endTime(END)
                .scanBy(ScanBy.TIMESTAMP_ASCENDING).metricDataQueries(
                        CloudWatchApiTest.query("a", "AWS/EBS", "BurstBalance", "VolumeId", v.id(), 300, "Average")));
        assertThat(viaData.metricDataResults().get(0).values()).isEqualTo(sdk.datapoints().stream().map(Datapoint::average).toList());

        SimVolume gp3 = harness.sim.fleet().volumes(ACCOUNT, REGION).stream()
                .filter(x -> x.volumeType().equals("gp3")).findFirst().orElseThrow();
        assertThat(cw.getMetricStatistics(b -> b.namespace("AWS/EBS").metricName("BurstBalance")
                .dimensions(d -> d.name("VolumeId").value(gp3.id())).startTime(start).endTime(END).period(300)
                .statistics(Statistic.AVERAGE)).datapoints()).isEmpty();
    }

    @Test
    void extendedStatisticsComeBackAsAMapOnBothProtocols() throws Exception {
        SimInstance i = creditInstance();
        Instant start = END.minus(Duration.ofMinutes(30));
        GetMetricStatisticsResponse sdk = cw.getMetricStatistics(b -> b.namespace("AWS/EC2").metricName("CPUCreditUsage")
                .dimensions(d -> d.name("InstanceId").value(i.id())).startTime(start).endTime(END).period(300)
                .extendedStatistics("p99", "p50"));
        assertThat(sdk.datapoints()).hasSize(6).allSatisfy(d -> {
            assertThat(d.extendedStatistics()).containsOnlyKeys("p99", "p50");
            assertThat(d.average()).isNull();
            assertThat(d.unit()).isEqualTo(StandardUnit.COUNT);
        });
        AwsQueryClient.Reply xml = query.call("GetMetricStatistics", Map.of("Namespace", "AWS/EC2",
                "MetricName", "CPUCreditUsage", "Dimensions.member.1.Name", "InstanceId", "Dimensions.member.1.Value", i.id(),
                "StartTime", start.toString(), "EndTime", END.toString(), "Period", "300",
                "ExtendedStatistics.member.1", "p99", "ExtendedStatistics.member.2", "p50"));
        assertThat(xml.status()).isEqualTo(200);
        List<Element> points = AwsQueryClient.children(AwsQueryClient.child(AwsQueryClient.child(
                xml.xml().getDocumentElement(), "GetMetricStatisticsResult"), "Datapoints"), "member");
        assertThat(points).hasSize(6);
        for (int n = 0; n < points.size(); n++) {
            Map<String, Double> entries = new LinkedHashMap<>();
            for (Element e : AwsQueryClient.children(AwsQueryClient.child(points.get(n), "ExtendedStatistics"), "entry")) {
                entries.put(AwsQueryClient.childText(e, "key"), Double.valueOf(AwsQueryClient.childText(e, "value")));
            }
            assertThat(entries).isEqualTo(sdk.datapoints().get(n).extendedStatistics());
        }
        assertThatThrownBy(() -> cw.getMetricStatistics(b -> b.namespace("AWS/EC2").metricName("CPUCreditUsage")
                .startTime(start).endTime(END).period(300).extendedStatistics("p101")))
                .isInstanceOf(InvalidParameterValueException.class);
    }

    @Test
    void listMetricsFiltersAndPagesIdenticallyOnBothProtocols() throws Exception {
        long burst = harness.sim.fleet().volumes(ACCOUNT, REGION).stream().filter(SimVolume::reportsBurstBalance).count();
        assertThat(burst).isGreaterThan(500);

        List<ListMetricsResponse> sdkPages = new ArrayList<>();
        cw.listMetricsPaginator(b -> b.namespace("AWS/EBS").metricName("BurstBalance")
                .dimensions(d -> d.name("VolumeId"))).forEach(sdkPages::add);
        List<String> sdkIds = sdkPages.stream().flatMap(p -> p.metrics().stream())
                .map(m -> m.dimensions().get(0).value()).toList();
        assertThat(sdkIds).hasSize((int) burst).doesNotHaveDuplicates();
        assertThat(sdkPages).hasSize((int) ((burst + 499) / 500));

        List<String> xmlIds = new ArrayList<>();
        List<String> xmlTokens = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> form = new LinkedHashMap<>(Map.of("Namespace", "AWS/EBS", "MetricName", "BurstBalance",
                    "Dimensions.member.1.Name", "VolumeId"));
            if (token != null) {
                form.put("NextToken", token);
            }
            AwsQueryClient.Reply page = query.call("ListMetrics", form);
            assertThat(page.status()).isEqualTo(200);
            Element result = AwsQueryClient.child(page.xml().getDocumentElement(), "ListMetricsResult");
            for (Element m : AwsQueryClient.children(AwsQueryClient.child(result, "Metrics"), "member")) {
                Element dim = AwsQueryClient.children(AwsQueryClient.child(m, "Dimensions"), "member").get(0);
                assertThat(AwsQueryClient.childText(dim, "Name")).isEqualTo("VolumeId");
                xmlIds.add(AwsQueryClient.childText(dim, "Value"));
            }
            token = AwsQueryClient.childText(result, "NextToken");
            if (token != null) {
                xmlTokens.add(token);
            }
        } while (token != null);
        assertThat(xmlIds).isEqualTo(sdkIds);
        assertThat(xmlTokens).isEqualTo(sdkPages.stream().map(ListMetricsResponse::nextToken)
                .filter(t -> t != null).toList());

        // A value filter selects one metric; a dimension the namespace does not have selects none.
        assertThat(cw.listMetrics(b -> b.namespace("AWS/EBS").dimensions(d -> d.name("VolumeId").value(sdkIds.get(7))))
                .metrics()).singleElement().satisfies(m -> assertThat(m.metricName()).isEqualTo("BurstBalance"));
        assertThat(cw.listMetrics(b -> b.namespace("AWS/EBS").dimensions(d -> d.name("InstanceId"))).metrics()).isEmpty();
        SimInstance i = creditInstance();
        assertThat(cw.listMetrics(b -> b.dimensions(d -> d.name("InstanceId").value(i.id()))).metrics())
                .extracting(m -> m.metricName())
                .containsExactly("CPUCreditBalance", "CPUCreditUsage", "CPUSurplusCreditBalance", "CPUSurplusCreditsCharged");
    }

    @Test
    void errorsCarryTheSameCodesOnBothProtocols() throws Exception {
        SimVolume v = burstVolume(0);
        List<MetricDataQuery> tooMany = IntStream.range(0, 501)
                .mapToObj(n -> CloudWatchApiTest.query("q" + n, "AWS/EBS", "BurstBalance", "VolumeId", "vol-" + n, 300, "Average"))
                .toList();
        assertSdkError(() -> cw.getMetricData(b -> b.startTime(START).endTime(END).metricDataQueries(tooMany)),
                400, "ValidationError");
        Map<String, String> tooManyForm = new LinkedHashMap<>(Map.of("StartTime", START.toString(), "EndTime", END.toString()));
        for (int n = 1; n <= 501; n++) {
            tooManyForm.put("MetricDataQueries.member." + n + ".Id", "q" + n);
        }
        assertQueryError(query.call("GetMetricData", tooManyForm), 400, "ValidationError");

        assertThatThrownBy(() -> cw.listMetrics(b -> b.nextToken("bogus")))
                .isInstanceOf(InvalidNextTokenException.class);
        assertSdkError(() -> cw.listMetrics(b -> b.nextToken("bogus")), 400, "InvalidNextToken");
        assertQueryError(query.call("ListMetrics", Map.of("NextToken", "bogus")), 400, "InvalidNextToken");

        Map<String, String> stats = Map.of("Namespace", "AWS/EBS", "MetricName", "BurstBalance",
                "StartTime", START.toString(), "EndTime", END.toString(), "Period", "300");
        assertThatThrownBy(() -> cw.getMetricStatistics(b -> b.namespace("AWS/EBS").metricName("BurstBalance")
                .startTime(START).endTime(END).period(300))).isInstanceOf(MissingRequiredParameterException.class);
        assertSdkError(() -> cw.getMetricStatistics(b -> b.namespace("AWS/EBS").metricName("BurstBalance")
                .startTime(START).endTime(END).period(300)), 400, "MissingParameter");
        assertQueryError(query.call("GetMetricStatistics", stats), 400, "MissingParameter");

        Map<String, String> both = new LinkedHashMap<>(stats);
        both.put("Statistics.member.1", "Average");
        both.put("ExtendedStatistics.member.1", "p99");
        assertSdkError(() -> cw.getMetricStatistics(b -> b.namespace("AWS/EBS").metricName("BurstBalance")
                .startTime(START).endTime(END).period(300).statistics(Statistic.AVERAGE).extendedStatistics("p99")),
                400, "InvalidParameterCombination");
        assertQueryError(query.call("GetMetricStatistics", both), 400, "InvalidParameterCombination");

        Map<String, String> badPeriod = new LinkedHashMap<>(stats);
        badPeriod.put("Period", "7");
        badPeriod.put("Statistics.member.1", "Average");
        assertThatThrownBy(() -> cw.getMetricStatistics(b -> b.namespace("AWS/EBS").metricName("BurstBalance")
                .dimensions(d -> d.name("VolumeId").value(v.id())).startTime(START).endTime(END).period(7)
                .statistics(Statistic.AVERAGE))).isInstanceOf(InvalidParameterValueException.class);
        assertQueryError(query.call("GetMetricStatistics", badPeriod), 400, "InvalidParameterValue");

        harness.sim.faults().setThrottleRate(1.0);
        assertThatThrownBy(() -> cw.listMetrics(b -> { })).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.isThrottlingException()).isTrue();
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
        });
        assertQueryError(query.call("ListMetrics", Map.of()), 400, "Throttling");
    }

    @Test
    void rawRpcV2RequestsGetCborErrorsWithTypeAndQueryErrorHeader() throws Exception {
        CBORMapper cbor = new CBORMapper();
        HttpResponse<byte[]> unknown = query.cbor("DescribeAlarms", cbor.writeValueAsBytes(Map.of()), true);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/cbor");
        assertThat(unknown.headers().firstValue("x-amzn-query-error")).hasValue("InvalidAction;Sender");
        JsonNode body = cbor.readTree(unknown.body());
        assertThat(body.get("__type").asText()).isEqualTo("InvalidAction");
        assertThat(body.get("message").asText()).contains("DescribeAlarms");

        HttpResponse<byte[]> noHeader = query.cbor("ListMetrics", cbor.writeValueAsBytes(Map.of()), false);
        assertThat(noHeader.statusCode()).isEqualTo(400);
        assertThat(cbor.readTree(noHeader.body()).get("message").asText()).contains("smithy-protocol");

        HttpResponse<byte[]> notCbor = query.cbor("ListMetrics", "{\"Namespace\":1}".getBytes(), true);
        assertThat(notCbor.statusCode()).isEqualTo(400);
        assertThat(notCbor.headers().firstValue("x-amzn-query-error")).hasValueSatisfying(h -> assertThat(h).startsWith("SerializationException;"));

        HttpResponse<byte[]> badToken = query.cbor("ListMetrics", cbor.writeValueAsBytes(Map.of("NextToken", "x")), true);
        assertThat(badToken.statusCode()).isEqualTo(400);
        assertThat(cbor.readTree(badToken.body()).get("__type").asText()).isEqualTo("com.amazonaws.cloudwatch#InvalidNextToken");
        assertThat(badToken.headers().firstValue("x-amzn-query-error")).hasValue("InvalidNextToken;Sender");

        HttpResponse<byte[]> wrongType = query.cbor("ListMetrics", cbor.writeValueAsBytes(Map.of("Namespace", 5)), true);
        assertThat(wrongType.headers().firstValue("x-amzn-query-error")).hasValue("InvalidParameterValue;Sender");

        HttpResponse<byte[]> ok = query.cbor("ListMetrics", new byte[0], true);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(cbor.readTree(ok.body()).get("Metrics").size()).isEqualTo(500);
    }

    private static MetricDataQuery labelled(MetricDataQuery q, String label) {
        return q.toBuilder().label(label).build();
    }

    private static void assertSdkError(Runnable call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        });
    }

    private static void assertQueryError(AwsQueryClient.Reply reply, int status, String code) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.xml().getDocumentElement().getLocalName()).isEqualTo("ErrorResponse");
    }
}
