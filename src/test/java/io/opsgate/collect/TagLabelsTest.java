package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

class TagLabelsTest {
    private static final TargetKey TARGET = new TargetKey("111111111111", "us-east-1");

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static Map<String, String> labels(Tag... tags) {
        return TagLabels.labels("tag_", List.of(tags), Tag::key, Tag::value);
    }

    @Test
    void sanitisesLikePrometheusEc2Discovery() {
        assertThat(TagLabels.sanitize("aws:cloudformation:stack-name")).isEqualTo("aws_cloudformation_stack_name");
        assertThat(TagLabels.sanitize("Name")).isEqualTo("Name");
        assertThat(TagLabels.sanitize("team.owner/ü")).isEqualTo("team_owner__");
    }

    @Test
    void collidingKeysKeepTheOneAwsListsLastAsPrometheusDoes() {
        // Lexical order would pick "team-name" both times; Prometheus's ec2_sd overwrites in API order.
        assertThat(labels(tag("team-name", "dash"), tag("team.name", "dot"))).containsExactly(Map.entry("tag_team_name", "dot"));
        assertThat(labels(tag("team.name", "dot"), tag("team-name", "dash"))).containsExactly(Map.entry("tag_team_name", "dash"));
    }

    @Test
    void tagsWithoutKeyOrValueAreSkippedAndNoTagsGiveNoLabels() {
        assertThat(labels(Tag.builder().key("Owner").build(), Tag.builder().value("orphan").build(), tag("Name", "web")))
                .containsExactly(Map.entry("tag_Name", "web"));
        assertThat(labels()).isEmpty();
    }

    @Test
    void infoMetricsFollowTheRule() {
        Instance instance = Instance.builder().instanceId("i-1").instanceType("m5.large").state(s -> s.name("running"))
                .placement(p -> p.availabilityZone("us-east-1b")).privateIpAddress("10.0.0.1")
                .tags(tag("team.name", "dot"), tag("Name", "web"), tag("team-name", "dash")).build();
        List<MetricFamily> ec2 = Ec2Families.build(TARGET, List.of(instance), List.<InstanceCreditSpecification>of(), Map.of());
        var info = ec2.stream().filter(f -> f.name().equals("aws_ec2_instance_info")).findFirst().orElseThrow()
                .samples().get(0).labels();
        assertThat(info.get("tag_team_name")).isEqualTo("dash");
        assertThat(info.get("tag_Name")).isEqualTo("web");

        Volume volume = Volume.builder().volumeId("vol-1").volumeType("gp3").state("available").size(8)
                .availabilityZone("us-east-1a").tags(tag("team-name", "dash"), tag("team.name", "dot")).build();
        var volumeInfo = EbsFamilies.build(TARGET, List.of(volume), Map.of()).stream()
                .filter(f -> f.name().equals("aws_ebs_volume_info")).findFirst().orElseThrow().samples().get(0).labels();
        assertThat(volumeInfo.get("tag_team_name")).isEqualTo("dot");
    }
}
