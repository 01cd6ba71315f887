package io.opsgate;

import static io.opsgate.testing.ExpositionText.label;
import static io.opsgate.testing.ExpositionText.samples;
import static io.opsgate.testing.ExpositionText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimNetwork;
import io.opsgate.sim.SimQuota;
import io.opsgate.sim.SimSnapshot;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.SimulatedService;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service Quotas and EBS snapshot age through the whole service and the real SDK (servicequotas, ec2, cloudwatch)
 * against the simulator. Expected values come from the simulated fleet and AWS's own vCPU counts per type, never
 * from OpsGate's code.
 */
class QuotasAndSnapshotsAgainstSimulatorTest {
    private static final String ACCOUNT = "111111111111";
    private static final String REGION = "us-east-1";
    private static final String CONFIG = """
            collection:
              interval: 1h
              jitter: 0
              collectors: [ebs, ec2, snapshots, quotas]
            aws:
              regions: [us-east-1]
              endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}", servicequotas: "${SIM}"}
              credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
              retry: {max_attempts: 5, base_delay: 1ms, throttling_base_delay: 2ms, max_backoff: 20ms}
            accounts:
              - name: a
                role_arn: arn:aws:iam::111111111111:role/opsgate
            """;
    /** vCPUs per instance type as AWS documents them (the simulator's types). */
    private static final Map<String, Integer> AWS_VCPUS = Map.ofEntries(
            Map.entry("t2.micro", 1), Map.entry("t2.small", 1), Map.entry("t2.medium", 2),
            Map.entry("t3.micro", 2), Map.entry("t3.small", 2), Map.entry("t3.medium", 2), Map.entry("t3.large", 2),
            Map.entry("t3a.micro", 2), Map.entry("t3a.small", 2), Map.entry("t3a.medium", 2),
            Map.entry("t4g.micro", 2), Map.entry("t4g.small", 2), Map.entry("t4g.medium", 2),
            Map.entry("m5.large", 2), Map.entry("m5.xlarge", 4), Map.entry("c5.large", 2), Map.entry("c5.xlarge", 4),
            Map.entry("r5.large", 2));

    private static SimulatedService env;
    private static String body;

    @BeforeAll
    static void start() throws Exception {
        env = SimulatedService.start(SimulatorOptions.defaults().withFleetSize(120, 60).withQuotasPerRegion(150),
                CONFIG);
        env.awaitReady(Duration.ofSeconds(60));
        body = env.get("/metrics").body();
    }

    @AfterAll
    static void stop() throws Exception {
        env.close();
    }

    private static Optional<Double> quotaSample(String metric, String quotaCode) {
        return samples(body, metric).stream().filter(l -> quotaCode.equals(label(l, "quota_code")))
                .map(io.opsgate.testing.ExpositionText::value).findFirst();
    }

    @Test
    void standardOnDemandQuotaCountsVcpusOfRunningInstancesNotInstances() {
        int vcpus = 0;
        int running = 0;
        for (SimInstance i : env.simulator().fleet().instances(ACCOUNT, REGION)) {
            SimNetwork network = env.simulator().fleet().network(ACCOUNT, REGION, i.id());
            if (i.running() && !"spot".equals(network.lifecycle())) {
                vcpus += AWS_VCPUS.get(i.instanceType());
                running++;
            }
        }
        assertThat(vcpus).as("the fleet must tell vCPUs from instances").isNotEqualTo(running);
        assertThat(quotaSample("aws_service_quota_usage", "L-1216C47A")).contains((double) vcpus);
        SimQuota listed = quota("L-1216C47A");
        assertThat(quotaSample("aws_service_quota_limit", "L-1216C47A")).contains(listed.value());
        assertThat(samples(body, "aws_service_quota_info")).anySatisfy(l -> {
            assertThat(label(l, "quota_code")).isEqualTo("L-1216C47A");
            assertThat(label(l, "usage_source")).isEqualTo("inventory");
            assertThat(label(l, "service_code")).isEqualTo("ec2");
        });
    }

    @Test
    void rateQuotasAreReadOverTheirOwnPeriodInCallsPerPeriod() {
        for (SimQuota q : env.simulator().fleet().quotas(ACCOUNT, REGION)) {
            if (q.periodUnit() == null) {
                continue;
            }
            // The simulator's truth: q.usage() calls per the quota's period (60/s of 100/s; 960/min of 1000/min).
            assertThat(quotaSample("aws_service_quota_usage", q.quotaCode()))
                    .as(q.quotaName()).hasValueSatisfying(v -> assertThat(v).isCloseTo(q.usage(), within(1e-6)));
        }
        assertThat(samples(body, "aws_service_quota_info")).anySatisfy(l -> {
            assertThat(label(l, "period")).isEqualTo("1m");
            assertThat(label(l, "usage_source")).isEqualTo("cloudwatch");
        });
    }

    @Test
    void everyListedQuotaHasItsLimitAndUsageWhereAwsOrTheInventoryHasOne() {
        List<SimQuota> quotas = env.simulator().fleet().quotas(ACCOUNT, REGION);
        assertThat(quotas).hasSize(150);
        assertThat(samples(body, "aws_service_quota_limit")).hasSize(150);
        for (SimQuota q : quotas) {
            if (q.usageMetric() != null || List.of("L-0263D0A3", "L-309BACF6", "L-D18FCD1D").contains(q.quotaCode())) {
                assertThat(quotaSample("aws_service_quota_usage", q.quotaCode())).as(q.quotaName())
                        .hasValueSatisfying(v -> assertThat(v).isCloseTo(q.usage(), within(1e-9)));
            }
        }
        // VPCs per Region has no usage metric and no count here: no usage series rather than a made-up 0.
        assertThat(quotaSample("aws_service_quota_usage", "L-F678F1CE")).isEmpty();
    }

    @Test
    void newestCompletedSnapshotOfEachVolumeAndVolumesWithoutAny() {
        Map<String, Instant> newest = new HashMap<>();
        for (SimSnapshot s : env.simulator().fleet().snapshots(ACCOUNT, REGION)) {
            if (s.ownerId().equals(ACCOUNT) && s.state().equals("completed")) {
                newest.merge(s.volumeId(), s.startTime(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        List<SimVolume> volumes = env.simulator().fleet().volumes(ACCOUNT, REGION);
        int without = 0;
        for (SimVolume v : volumes) {
            List<String> ts = samples(body, "aws_ebs_volume_last_snapshot_timestamp_seconds").stream()
                    .filter(l -> v.id().equals(label(l, "volume_id"))).toList();
            List<String> count = samples(body, "aws_ebs_volume_completed_snapshots").stream()
                    .filter(l -> v.id().equals(label(l, "volume_id"))).toList();
            assertThat(count).hasSize(1);
            if (newest.containsKey(v.id())) {
                assertThat(ts).hasSize(1);
                assertThat(value(ts.get(0))).isEqualTo(newest.get(v.id()).getEpochSecond());
                assertThat(value(count.get(0))).isPositive();
            } else {
                without++;
                assertThat(ts).isEmpty();
                assertThat(value(count.get(0))).isZero();
            }
        }
        assertThat(without).isPositive();
        // Volume 3's newest snapshot is still pending: its backup is the completed one of a day before.
        String pinned = volumes.get(3).id();
        assertThat(newest.get(pinned)).isBefore(Instant.now().minus(Duration.ofHours(20)));
        // One DescribeSnapshots page set for both the backups and the snapshots-per-Region quota.
        assertThat(env.simulator().requestCount("DescribeSnapshots")).isEqualTo(1);
    }

    private static SimQuota quota(String code) {
        return env.simulator().fleet().quotas(ACCOUNT, REGION).stream().filter(q -> q.quotaCode().equals(code))
                .findFirst().orElseThrow();
    }
}
