package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The benchmark's shape (10,000 volumes, 5,000 instances, 500-query calls) through the real SDK: every volume paged
 * exactly once, and a full 500-query call answered for each query. How fast is bench/run's business, not a timed
 * assertion's: on a shared 2-core machine a time bound here only measured the neighbours.
 */
class LargeFleetTest {

    @Test
    void tenThousandVolumesPageOnceAndFullCallsAnswerEveryQuery() throws Exception {
        try (SimHarness h = new SimHarness(SimulatorOptions.defaults().withClock(SimHarness.FIXED)
                .withFleetSize(10_000, 5_000));
             Ec2Client ec2 = h.ec2(); CloudWatchClient cw = h.cloudWatch()) {
            Set<String> ids = new HashSet<>();
            ec2.describeVolumesPaginator(r -> r.maxResults(500)).volumes().forEach(v -> assertThat(ids.add(v.volumeId())).isTrue());
            assertThat(ids).hasSize(10_000);
            assertThat(h.sim.requestCount("DescribeVolumes")).isEqualTo(20);

            List<String> volumeIds = h.sim.fleet().volumes("123456789012", "us-east-1").stream()
                    .filter(SimVolume::reportsBurstBalance).map(SimVolume::id).toList();
            List<MetricDataQuery> queries = new ArrayList<>();
            for (int n = 0; n < 500; n++) {
                queries.add(CloudWatchApiTest.query("q" + n, "AWS/EBS", "BurstBalance", "VolumeId",
                        volumeIds.get(n), 300, "Average"));
            }
            Instant end = SimHarness.NOW;
            GetMetricDataResponse resp = cw.getMetricData(r -> r.startTime(end.minusSeconds(900)).endTime(end)
                    .metricDataQueries(queries));
            assertThat(resp.metricDataResults()).hasSize(500);
            assertThat(resp.metricDataResults()).allSatisfy(result -> assertThat(result.values()).isNotEmpty());
        }
    }
}
