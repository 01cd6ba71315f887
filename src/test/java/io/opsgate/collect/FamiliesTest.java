package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.EbsStatusSummary;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusEvent;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

class FamiliesTest {
    private static final TargetKey TARGET = new TargetKey("111111111111", "us-east-1");

    private static Volume volume(String id, String type, String state) {
        return Volume.builder().volumeId(id).volumeType(type).state(state).size(100).iops(300)
                .availabilityZone("us-east-1a").tags(Tag.builder().key("Name").value(id + "-name").build()).build();
    }

    private static MetricFamily family(List<MetricFamily> families, String name) {
        return families.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void burstBalanceOnlyForAttachedBurstingTypes() {
        List<Volume> volumes = List.of(volume("vol-gp2", "gp2", "in-use"), volume("vol-st1", "st1", "in-use"),
                volume("vol-sc1", "sc1", "in-use"), volume("vol-gp3", "gp3", "in-use"), volume("vol-io2", "io2", "in-use"),
                volume("vol-gp2-free", "gp2", "available"));

        List<MetricQuery> queries = EbsFamilies.queries(volumes);
        assertThat(queries).extracting(MetricQuery::dimensionValue).containsExactly("vol-gp2", "vol-st1", "vol-sc1");

        Map<MetricQuery, Double> values = Map.of(
                EbsFamilies.burstBalance("vol-gp2"), 99.254,
                EbsFamilies.burstBalance("vol-st1"), 100.0,
                EbsFamilies.burstBalance("vol-gp3"), 100.0);
        List<MetricFamily> families = EbsFamilies.build(TARGET, volumes, values);

        MetricFamily burst = family(families, "aws_ebs_burst_balance_ratio");
        assertThat(burst.samples()).extracting(s -> s.labels().get("volume_id") + "=" + s.value())
                .containsExactlyInAnyOrder("vol-gp2=0.99254", "vol-st1=1.0");
        assertThat(family(families, "aws_ebs_volume_info").samples()).hasSize(6)
                .allSatisfy(s -> assertThat(s.labels().get("tag_Name")).endsWith("-name"));
        assertThat(family(families, "aws_ebs_volume_size_bytes").samples().get(0).value()).isEqualTo(100 * 1024d * 1024 * 1024);
    }

    @Test
    void creditQueriesOnlyForRunningBurstableInstances() {
        List<Instance> instances = List.of(
                instance("i-t3", "t3.micro", "running"), instance("i-t4g", "t4g.small", "running"),
                instance("i-t2-stopped", "t2.nano", "stopped"), instance("i-m5", "m5.large", "running"));
        // Surplus metrics only where the credit option is unlimited (i-t3) or unknown (i-t4g has no specification).
        assertThat(Ec2Families.queries(instances, List.of())).extracting(MetricQuery::dimensionValue)
                .containsOnly("i-t3", "i-t4g").hasSize(8);
        List<InstanceCreditSpecification> specs = List.of(
                InstanceCreditSpecification.builder().instanceId("i-t3").cpuCredits("unlimited").build(),
                InstanceCreditSpecification.builder().instanceId("i-t4g").cpuCredits("standard").build());
        assertThat(Ec2Families.queries(instances, specs)).extracting(q -> q.dimensionValue() + ":" + q.metricName())
                .containsExactlyInAnyOrder("i-t3:CPUCreditBalance", "i-t3:CPUCreditUsage", "i-t3:CPUSurplusCreditBalance",
                        "i-t3:CPUSurplusCreditsCharged", "i-t4g:CPUCreditBalance", "i-t4g:CPUCreditUsage");
        assertThat(Ec2Families.burstableIds(instances)).containsExactly("i-t3", "i-t4g", "i-t2-stopped");

        Map<MetricQuery, Double> values = Map.of(Ec2Families.CreditMetric.BALANCE.query("i-t3"), 12.5,
                Ec2Families.CreditMetric.BALANCE.query("i-m5"), 99.0);
        List<MetricFamily> families = Ec2Families.build(TARGET, instances,
                List.of(InstanceCreditSpecification.builder().instanceId("i-t3").cpuCredits("unlimited").build()), values);
        assertThat(family(families, "aws_ec2_cpu_credit_balance").samples()).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(12.5));
        assertThat(family(families, "aws_ec2_credit_specification_info").samples()).singleElement()
                .satisfies(s -> assertThat(s.labels().get("cpu_credits")).isEqualTo("unlimited"));
        assertThat(family(families, "aws_ec2_instance_info").samples()).hasSize(4);
    }

    @Test
    void statusChecksSkipNotApplicableAndFinishedEvents() {
        Instant notBefore = Instant.parse("2026-12-01T00:00:00Z");
        InstanceStatus impaired = InstanceStatus.builder().instanceId("i-1")
                .systemStatus(InstanceStatusSummary.builder().status("impaired").build())
                .instanceStatus(InstanceStatusSummary.builder().status("ok").build())
                .attachedEbsStatus(EbsStatusSummary.builder().status("ok").build())
                .events(InstanceStatusEvent.builder().instanceEventId("ev-1").code("system-reboot").notBefore(notBefore).build(),
                        InstanceStatusEvent.builder().instanceEventId("ev-2").code("instance-reboot")
                                .description("[Completed] done").notBefore(notBefore).build())
                .build();
        InstanceStatus stopped = InstanceStatus.builder().instanceId("i-2")
                .systemStatus(InstanceStatusSummary.builder().status("not-applicable").build())
                .instanceStatus(InstanceStatusSummary.builder().status("not-applicable").build())
                .build();

        List<MetricFamily> families = StatusFamilies.build(TARGET, List.of(impaired, stopped));
        assertThat(family(families, "aws_ec2_status_check_ok").samples())
                .extracting(s -> s.labels().get("instance_id") + "/" + s.labels().get("check") + "=" + s.value())
                .containsExactlyInAnyOrder("i-1/system=0.0", "i-1/instance=1.0", "i-1/attached_ebs=1.0");
        assertThat(family(families, "aws_ec2_scheduled_event_timestamp_seconds").samples()).singleElement()
                .satisfies(s -> {
                    assertThat(s.labels().get("event_id")).isEqualTo("ev-1");
                    assertThat(s.value()).isEqualTo(notBefore.getEpochSecond());
                });
    }

    private static Instance instance(String id, String type, String state) {
        return Instance.builder().instanceId(id).instanceType(type).state(s -> s.name(state))
                .placement(p -> p.availabilityZone("us-east-1b")).privateIpAddress("10.0.0.1").build();
    }
}
