package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispatchAndFaultsTest {

    private SimHarness harness;
    private final HttpClient raw = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        harness = SimHarness.withFixedClock();
    }

    @AfterEach
    void clearFaults() {
        harness.sim.faults().clear();
        harness.sim.resetCounts();
    }

    @AfterAll
    void stop() throws Exception {
        harness.close();
    }

    private HttpResponse<String> post(String form) throws Exception {
        return raw.send(HttpRequest.newBuilder(URI.create(harness.sim.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsWithoutSigV4AreRejectedWith403InTheProtocolsShape() throws Exception {
        HttpResponse<String> ec2 = post("Action=DescribeVolumes&Version=2016-11-15");
        assertThat(ec2.statusCode()).isEqualTo(403);
        assertThat(ec2.body()).contains("<Response><Errors><Error><Code>MissingAuthenticationToken</Code>")
                .contains("<RequestID>");

        HttpResponse<String> cw = post("Action=GetMetricData&Version=2010-08-01");
        assertThat(cw.statusCode()).isEqualTo(403);
        assertThat(cw.body()).contains("<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">")
                .contains("<Type>Sender</Type><Code>MissingAuthenticationToken</Code>")
                .contains("<RequestId>");

        HttpResponse<String> sts = post("Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(sts.statusCode()).isEqualTo(403);
        assertThat(sts.body()).contains("<Message>Request is missing Authentication Token</Message>");
        assertThat(harness.sim.requestCount("DescribeVolumes")).isEqualTo(1);
    }

    @Test
    void throttleRateOneMakesTheSdkSeeThrottlingExceptions() {
        harness.sim.faults().setThrottleRate(1.0);
        try (Ec2Client ec2 = harness.ec2(SimHarness.STATIC, 1);
             CloudWatchClient cw = harness.cloudWatch(SimHarness.STATIC, 1);
             StsClient sts = harness.sts(SimHarness.STATIC, 1)) {
            assertThatThrownBy(ec2::describeVolumes).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
            });
            assertThatThrownBy(() -> cw.listMetrics(r -> { })).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
            });
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(AwsServiceException.class,
                    e -> assertThat(e.isThrottlingException()).isTrue());
        }
        assertThat(harness.sim.requestCount("DescribeVolumes")).isEqualTo(1);
        assertThat(harness.sim.requestCount("ListMetrics")).isEqualTo(1);
    }

    @Test
    void sdkRetriesThroughPartialThrottlingAndCountsEveryAttempt() {
        harness.sim.faults().setThrottleRate(0.5);
        try (Ec2Client ec2 = harness.ec2(SimHarness.STATIC, 10)) {
            for (int n = 0; n < 5; n++) {
                assertThat(ec2.describeRegions().regions()).isNotEmpty();
            }
        }
        assertThat(harness.sim.requestCount("DescribeRegions")).isGreaterThan(5);
    }

    @Test
    void serverErrorRateOneAnswers500() {
        harness.sim.faults().setServerErrorRate(1.0);
        try (Ec2Client ec2 = harness.ec2(SimHarness.STATIC, 1);
             CloudWatchClient cw = harness.cloudWatch(SimHarness.STATIC, 1)) {
            assertThatThrownBy(ec2::describeInstances).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                assertThat(e.isThrottlingException()).isFalse();
            });
            assertThatThrownBy(() -> cw.listMetrics(r -> { })).isInstanceOfSatisfying(AwsServiceException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure"));
        }
    }

    @Test
    void latencyDelaysRepliesWithoutBlocking() {
        harness.sim.faults().setLatency(Duration.ofMillis(300));
        try (Ec2Client ec2 = harness.ec2()) {
            long t0 = System.nanoTime();
            ec2.describeAvailabilityZones();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void countsPerOperationAndReset() {
        try (Ec2Client ec2 = harness.ec2(); CloudWatchClient cw = harness.cloudWatch()) {
            ec2.describeVolumesPaginator(r -> r.maxResults(10)).volumes().forEach(v -> { });
            ec2.describeInstances();
            cw.listMetrics(r -> r.namespace("AWS/EBS"));
        }
        assertThat(harness.sim.requestCount("DescribeVolumes")).isEqualTo(4); // 40 volumes, 10 per page
        assertThat(harness.sim.requestCounts())
                .containsEntry("DescribeInstances", 1L)
                .containsEntry("ListMetrics", 1L)
                .doesNotContainKey("GetMetricData");
        harness.sim.resetCounts();
        assertThat(harness.sim.requestCounts()).isEmpty();
        assertThat(harness.sim.requestCount("DescribeVolumes")).isZero();
    }
}
