package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Volume;

/** The admin API through real HTTP, its effects seen through real SDK clients. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorAdminTest {

    private static final Instant END = SimHarness.NOW;
    private static final Instant START = END.minus(Duration.ofMinutes(15));

    private SimHarness harness;
    private Ec2Client ec2;
    private CloudWatchClient cw;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        harness = new SimHarness(SimulatorOptions.defaults().withClock(SimHarness.FIXED).withAdmin("127.0.0.1", 0));
        ec2 = harness.ec2();
        cw = harness.cloudWatch();
    }

    @AfterEach
    void clear() {
        harness.sim.faults().clear();
        harness.sim.resetCounts();
    }

    @AfterAll
    void stop() throws Exception {
        ec2.close();
        cw.close();
        harness.close();
    }

    // ---- requests -----------------------------------------------------------------------------------------------

    @Test
    void countsRequestsByServiceAndOperationAndResetsThem() throws Exception {
        ec2.describeVolumes();
        ec2.describeVolumes();
        cw.listMetrics(r -> r.namespace("AWS/EBS"));
        JsonObject counts = json(send("GET", "/requests", null), 200);
        assertThat(counts.getLong("total")).isEqualTo(3);
        assertThat(counts.getJsonObject("services").getJsonObject("ec2").getJsonObject("DescribeVolumes").getLong("count"))
                .isEqualTo(2);
        assertThat(counts.getJsonObject("services").getJsonObject("cloudwatch").getJsonObject("ListMetrics")
                .getLong("count")).isEqualTo(1);
        assertThat(counts.getJsonObject("services").getJsonObject("ec2").getJsonObject("DescribeVolumes")
                .getLong("inFlight")).isZero();

        JsonObject afterReset = json(send("DELETE", "/requests", null), 200);
        assertThat(afterReset.getLong("total")).isZero();
        assertThat(json(send("GET", "/requests", null), 200).getJsonObject("services").isEmpty()).isTrue();
    }

    @Test
    void reportsTheMostRequestsInFlightAtOnce() throws Exception {
        json(send("PUT", "/faults", "{\"latencyMs\": 400}"), 200);
        List<CompletableFuture<?>> calls = new ArrayList<>();
        IntStream.range(0, 4).forEach(n -> calls.add(CompletableFuture.runAsync(() -> ec2.describeVolumes())));
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
        JsonObject op = json(send("GET", "/requests", null), 200).getJsonObject("services").getJsonObject("ec2")
                .getJsonObject("DescribeVolumes");
        assertThat(op.getLong("count")).isEqualTo(4);
        assertThat(op.getLong("maxInFlight")).isEqualTo(4);
        assertThat(op.getLong("inFlight")).isZero();
        assertThat(harness.sim.maxInFlight("DescribeVolumes")).isEqualTo(4);
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    @Test
    void faultsAreReadAndChangedAndKeysLeftOutKeepTheirValue() throws Exception {
        assertThat(json(send("GET", "/faults", null), 200))
                .isEqualTo(new JsonObject().put("latencyMs", 0).put("operationLatencyMs", new JsonObject())
                        .put("throttleRate", 0.0).put("serverErrorRate", 0.0));
        json(send("PUT", "/faults", "{\"latencyMs\": 25, \"serverErrorRate\": 0.25}"), 200);
        JsonObject after = json(send("PUT", "/faults", "{\"throttleRate\": 0.5}"), 200);
        assertThat(after.getLong("latencyMs")).isEqualTo(25);
        assertThat(after.getDouble("throttleRate")).isEqualTo(0.5);
        assertThat(after.getDouble("serverErrorRate")).isEqualTo(0.25);
        assertThat(harness.sim.faults().getLatency()).isEqualTo(Duration.ofMillis(25));
        JsonObject perOperation = json(send("PUT", "/faults", "{\"operationLatencyMs\": {\"DescribeVolumes\": 300}}"), 200);
        assertThat(perOperation.getJsonObject("operationLatencyMs")).isEqualTo(new JsonObject().put("DescribeVolumes", 300));
        assertThat(harness.sim.faults().latencyFor("DescribeVolumes")).isEqualTo(Duration.ofMillis(300));
        assertThat(harness.sim.faults().latencyFor("DescribeInstances")).isEqualTo(Duration.ofMillis(25));

        json(send("PUT", "/faults", "{\"throttleRate\": 1, \"serverErrorRate\": 0}"), 200);
        try (Ec2Client once = harness.ec2(SimHarness.STATIC, 1)) {
            assertThatThrownBy(once::describeVolumes).isInstanceOfSatisfying(AwsServiceException.class,
                    e -> assertThat(e.isThrottlingException()).isTrue());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"latencyMs\": -1}                          | latencyMs must be a whole number",
        "{\"latencyMs\": 2.5}                         | latencyMs must be a whole number",
        "{\"latencyMs\": \"20ms\"}                    | latencyMs must be a whole number",
        "{\"latencyMs\": 99999999999999999999999}     | latencyMs must be a whole number",
        "{\"throttleRate\": 1.5}                      | throttleRate must be a number from 0 to 1",
        "{\"throttleRate\": null}                     | throttleRate must be a number from 0 to 1",
        "{\"serverErrorRate\": \"NaN\"}               | serverErrorRate must be a number from 0 to 1",
        "{\"throttleRate\": 0.7, \"serverErrorRate\": 0.7} | must not exceed 1",
        "{\"latency\": 20}                            | unknown key \"latency\"",
        "{\"operationLatencyMs\": 20}                 | operationLatencyMs must be an object",
        "{\"operationLatencyMs\": {\"get metric\": 1}} | not an operation name",
        "{\"operationLatencyMs\": {\"GetMetricData\": -5}} | operationLatencyMs.GetMetricData must be a whole number",
        "[1, 2]                                       | expected a JSON object",
        "\"text\"                                     | expected a JSON object",
        "{\"latencyMs\": 20                           | malformed JSON",
        "`   `                                        | expected a JSON object in the request body",
    })
    void badFaultSettingsGet400WithAReasonAndChangeNothing(String body, String reason) throws Exception {
        json(send("PUT", "/faults", "{\"latencyMs\": 7}"), 200);
        JsonObject error = json(send("PUT", "/faults", body), 400);
        assertThat(error.getString("error")).contains(reason);
        assertThat(json(send("GET", "/faults", null), 200)).isEqualTo(new JsonObject().put("latencyMs", 7)
                .put("operationLatencyMs", new JsonObject()).put("throttleRate", 0.0).put("serverErrorRate", 0.0));
    }

    @Test
    void oversizedBodiesUnknownPathsAndWrongMethodsGetJsonErrors() throws Exception {
        JsonObject tooBig = json(send("PUT", "/faults", "{\"latencyMs\": 1, \"pad\": \"" + "x".repeat(40_000) + "\"}"), 413);
        assertThat(tooBig.getString("error")).contains("larger than");
        assertThat(json(send("GET", "/nope", null), 404).getString("error")).contains("no such admin resource");
        HttpResponse<String> wrong = send("POST", "/faults", "{}");
        assertThat(json(wrong, 405).getString("error")).contains("POST is not allowed");
        assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, PUT");
        assertThat(json(send("GET", "/volumes/vol-0abc/drain", null), 405).getString("error")).contains("allowed: POST");
    }

    // ---- burst balance --------------------------------------------------------------------------------------------

    @Test
    void drainAndRefillReachTheNextGetMetricDataAndReleaseRestoresTheNaturalCycle() throws Exception {
        Volume gp2 = ec2.describeVolumes().volumes().stream()
                .filter(v -> v.volumeTypeAsString().equals("gp2") && v.stateAsString().equals("in-use"))
                .findFirst().orElseThrow();
        MetricDataResult natural = burstBalance(gp2.volumeId());
        assertThat(natural.values()).hasSize(3);

        JsonObject drained = json(send("POST", "/volumes/" + gp2.volumeId() + "/drain", ""), 200);
        assertThat(drained.getJsonObject("burstBalanceOverride").getDouble("value")).isEqualTo(0.0);
        assertThat(drained.getJsonObject("burstBalanceOverride").getString("since")).isEqualTo(SimHarness.NOW.toString());
        assertThat(drained.getString("volumeType")).isEqualTo("gp2");
        MetricDataResult afterDrain = burstBalance(gp2.volumeId());
        // The newest period shows the drain; the periods before it keep their history.
        assertThat(afterDrain.values().get(0)).isEqualTo(0.0);
        assertThat(afterDrain.values().subList(1, 3)).isEqualTo(natural.values().subList(1, 3));

        json(send("POST", "/volumes/" + gp2.volumeId() + "/refill", null), 200);
        assertThat(burstBalance(gp2.volumeId()).values().get(0)).isEqualTo(100.0);
        assertThat(json(send("GET", "/volumes/" + gp2.volumeId(), null), 200)
                .getJsonObject("burstBalanceOverride").getDouble("value")).isEqualTo(100.0);

        JsonObject released = json(send("DELETE", "/volumes/" + gp2.volumeId() + "/override", null), 200);
        assertThat(released.getValue("burstBalanceOverride")).isNull();
        assertThat(burstBalance(gp2.volumeId()).values()).isEqualTo(natural.values());
    }

    @Test
    void theFleetCanBeNamedAndOnlyVolumesWithABurstBucketCanBeDrained() throws Exception {
        String account = "210987654321";
        SimVolume gp3 = harness.sim.fleet().volumes(account, "eu-west-1").stream()
                .filter(v -> v.volumeType().equals("gp3")).findFirst().orElseThrow();
        SimVolume gp2 = harness.sim.fleet().volumes(account, "eu-west-1").stream()
                .filter(SimVolume::reportsBurstBalance).findFirst().orElseThrow();
        String query = "?account_id=" + account + "&region=eu-west-1";
        JsonObject conflict = json(send("POST", "/volumes/" + gp3.id() + "/drain" + query, null), 409);
        assertThat(conflict.getString("error")).contains(gp3.id()).contains("gp3").contains("gp2, st1 and sc1");
        JsonObject ok = json(send("POST", "/volumes/" + gp2.id() + "/drain" + query, null), 200);
        assertThat(ok.getString("accountId")).isEqualTo(account);
        assertThat(ok.getString("region")).isEqualTo("eu-west-1");
        json(send("DELETE", "/volumes/" + gp2.id() + "/override", null), 200);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST | /volumes/vol-0123456789abcdef0/drain                              | 404 | no volume vol-0123456789abcdef0",
        "POST | /volumes/not-a-volume/drain                                      | 400 | not a volume id",
        "POST | /volumes/vol-00ff/refill?account_id=12&region=us-east-1           | 400 | account_id must be 12 digits",
        "POST | /volumes/vol-00ff/refill?account_id=123456789012&region=mars-1    | 400 | not a region",
        "POST | /volumes/vol-00ff/refill?account_id=123456789012                  | 400 | both account_id and region",
        "POST | /volumes/vol-00ff/refill?volume=1                                  | 400 | unknown query parameter",
        "GET  | /volumes/vol-00ff?account_id=123456789012&region=us-east-1        | 404 | in account 123456789012 region us-east-1",
    })
    void badVolumeRequestsGet4xxWithAReason(String method, String path, int status, String reason) throws Exception {
        assertThat(json(send(method, path, null), status).getString("error")).contains(reason);
    }

    private MetricDataResult burstBalance(String volumeId) {
        return cw.getMetricData(r -> r.startTime(START).endTime(END).scanBy(ScanBy.TIMESTAMP_DESCENDING)
                .metricDataQueries(q -> q.id("b").metricStat(s -> s.period(300).stat("Average")
                        .metric(m -> m.namespace("AWS/EBS").metricName("BurstBalance")
                                .dimensions(Dimension.builder().name("VolumeId").value(volumeId).build())))))
                .metricDataResults().get(0);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(URI.create(harness.sim.adminEndpoint() + path))
                .header("Content-Type", "application/json").method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new JsonObject(response.body());
    }
}
