package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.servicequotas.model.MetricInfo;
import software.amazon.awssdk.services.servicequotas.model.PeriodUnit;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/** Units of quota usage: vCPUs not instances, TiB not GiB, calls per the quota's own period. */
class QuotaUnitsTest {
    private static final Duration WINDOW = Duration.ofMinutes(15);

    private static Instance instance(String type, InstanceStateName state, int cores, int threads, String lifecycle) {
        return Instance.builder().instanceType(type).state(s -> s.name(state))
                .cpuOptions(c -> c.coreCount(cores).threadsPerCore(threads)).instanceLifecycle(lifecycle).build();
    }

    private static double count(String quotaCode, List<?> items) {
        return QuotaUsage.counter("ec2", quotaCode).count().applyAsDouble(items);
    }

    @Test
    void threeRunningM5XlargePlusOneStoppedAreTwelveStandardVcpus() {
        List<Instance> fleet = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fleet.add(instance("m5.xlarge", InstanceStateName.RUNNING, 2, 2, null));
        }
        fleet.add(instance("m5.xlarge", InstanceStateName.STOPPED, 2, 2, null));
        assertThat(count("L-1216C47A", fleet)).isEqualTo(12);
        assertThat(count("L-34B43A08", fleet)).as("no Spot instance").isZero();
    }

    @Test
    void classesAndLifecyclesGoToTheirOwnQuotas() {
        List<Instance> fleet = List.of(
                instance("c7gn.large", InstanceStateName.PENDING, 2, 1, null),
                instance("t3.micro", InstanceStateName.RUNNING, 1, 2, "spot"),
                instance("g5.xlarge", InstanceStateName.RUNNING, 2, 2, null),
                instance("vt1.3xlarge", InstanceStateName.RUNNING, 6, 2, "spot"),
                instance("p4d.24xlarge", InstanceStateName.RUNNING, 48, 2, null),
                instance("inf2.xlarge", InstanceStateName.RUNNING, 2, 2, null),
                instance("x2idn.16xlarge", InstanceStateName.RUNNING, 32, 2, null),
                instance("u-6tb1.metal", InstanceStateName.RUNNING, 224, 2, null));
        assertThat(count("L-1216C47A", fleet)).isEqualTo(2);
        assertThat(count("L-34B43A08", fleet)).isEqualTo(2);
        assertThat(count("L-DB2E81BA", fleet)).isEqualTo(4);
        assertThat(count("L-3819A6DF", fleet)).isEqualTo(12);
        assertThat(count("L-417A185B", fleet)).isEqualTo(96);
        assertThat(count("L-1945791B", fleet)).isEqualTo(4);
        assertThat(count("L-7295265B", fleet)).isEqualTo(64);
    }

    @Test
    void ebsStorageQuotasAreInTib() {
        List<Volume> volumes = List.of(Volume.builder().volumeType("gp2").size(1024).build(),
                Volume.builder().volumeType("gp2").size(512).build(),
                Volume.builder().volumeType("gp3").size(100).build());
        assertThat(QuotaUsage.counter("ebs", "L-D18FCD1D").count().applyAsDouble(volumes)).isEqualTo(1.5);
        assertThat(QuotaUsage.counter("ebs", "L-7A658B76").count().applyAsDouble(volumes)).isEqualTo(100 / 1024.0);
        assertThat(QuotaUsage.counter("vpc", "L-D18FCD1D")).as("codes are per service").isNull();
    }

    private static ServiceQuota rate(int value, PeriodUnit unit) {
        return ServiceQuota.builder().serviceCode("ec2").quotaCode("L-TEST")
                .usageMetric(MetricInfo.builder().metricNamespace("AWS/Usage").metricName("CallCount")
                        .metricDimensions(java.util.Map.of("Type", "API", "Resource", "RunInstances",
                                "Service", "EC2", "Class", "None"))
                        .metricStatisticRecommendation("Sum").build())
                .period(p -> p.periodValue(value).periodUnit(unit)).build();
    }

    @Test
    void aPerSecondQuotaReadAsSumOverAMinuteIsDividedBySixty() {
        UsageQuery q = UsageQuery.of(rate(1, PeriodUnit.SECOND), WINDOW);
        assertThat(q.query().period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(q.query().stat()).isEqualTo("Sum");
        assertThat(q.factor()).isEqualTo(1 / 60.0);
        assertThat(q.query().dimensions()).extracting(MetricQuery.Dimension::name)
                .containsExactly("Class", "Resource", "Service", "Type");
    }

    @Test
    void aPerMinuteQuotaIsReadOverOneMinuteAsItIs() {
        UsageQuery q = UsageQuery.of(rate(1, PeriodUnit.MINUTE), WINDOW);
        assertThat(q.query().period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(q.factor()).isEqualTo(1.0);
        UsageQuery fiveMinutes = UsageQuery.of(rate(5, PeriodUnit.MINUTE), WINDOW);
        assertThat(fiveMinutes.query().period()).isEqualTo(Duration.ofMinutes(5));
        assertThat(fiveMinutes.factor()).isEqualTo(1.0);
    }

    @Test
    void aPeriodLongerThanTheWindowIsReadOverTheWindowAndScaledUp() {
        UsageQuery q = UsageQuery.of(rate(1, PeriodUnit.HOUR), WINDOW);
        assertThat(q.query().period()).isEqualTo(WINDOW);
        assertThat(q.factor()).isEqualTo(4.0);
    }

    @Test
    void aResourceCountIsReadWithItsRecommendedStatisticOverTheConfiguredPeriod() {
        ServiceQuota count = ServiceQuota.builder().serviceCode("elasticloadbalancing").quotaCode("L-53DA6B97")
                .usageMetric(MetricInfo.builder().metricNamespace("AWS/Usage").metricName("ResourceCount")
                        .metricDimensions(java.util.Map.of("Type", "Resource")).metricStatisticRecommendation("Maximum")
                        .build()).build();
        UsageQuery q = UsageQuery.of(count, WINDOW);
        assertThat(q.query().period()).isNull();
        assertThat(q.query().stat()).isEqualTo("Maximum");
        assertThat(q.factor()).isEqualTo(1.0);
        assertThat(UsageQuery.of(ServiceQuota.builder().quotaCode("L-F678F1CE").build(), WINDOW)).isNull();
    }

    @Test
    void pacerSpacesRequestsToTenPerSecondWithoutSleeping() {
        long[] now = {0};
        List<Long> waits = new ArrayList<>();
        RequestPacer pacer = new RequestPacer(10, () -> now[0], nanos -> {
            waits.add(nanos);
            now[0] += nanos;
        });
        for (int i = 0; i < 25; i++) {
            pacer.acquire();
        }
        // The first goes at once, each next one 100 ms after the one before: 25 requests take 2.4 s.
        assertThat(waits).hasSize(24).allMatch(w -> w == 100_000_000L);
        assertThat(now[0]).isEqualTo(2_400_000_000L);
        now[0] += 5_000_000_000L;
        int before = waits.size();
        pacer.acquire();
        assertThat(waits).as("after a pause, no wait").hasSize(before);
    }
}
