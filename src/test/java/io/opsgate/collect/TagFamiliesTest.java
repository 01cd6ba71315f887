package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;

class TagFamiliesTest {
    private static final TargetKey TARGET = new TargetKey("123456789012", "eu-west-1");

    private static Instance instance(String id, InstanceStateName state, Tag... tags) {
        return Instance.builder().instanceId(id).state(s -> s.name(state)).tags(tags).build();
    }

    private static List<String> missing(List<MetricFamily> families) {
        return families.get(0).samples().stream()
                .map(s -> s.labels().get("resource_id") + "/" + s.labels().get("tag")).toList();
    }

    @Test
    void emptyAndBlankValuesAreMissingKeysAreCaseSensitiveAndGoneResourcesAreSkipped() {
        List<TagFamilies.Resource> resources = TagFamilies.instances(List.of(
                instance("i-blank", InstanceStateName.RUNNING, Tag.builder().key("Name").value(" ").build(),
                        Tag.builder().key("environment").value("prod").build()),
                instance("i-ok", InstanceStateName.STOPPED, Tag.builder().key("Name").value("web").build(),
                        Tag.builder().key("Environment").value("prod").build()),
                instance("i-gone", InstanceStateName.TERMINATED)));
        List<MetricFamily> families = TagFamilies.build(TARGET, List.of("Name", "Environment"), resources);

        assertThat(missing(families)).containsExactly("i-blank/Name", "i-blank/Environment");
        Map<String, Double> counts = new java.util.HashMap<>();
        for (MetricFamily f : families.subList(1, 4)) {
            f.samples().stream().filter(s -> "ec2_instance".equals(s.labels().get("resource_type")))
                    .forEach(s -> counts.put(f.name(), s.value()));
        }
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("aws_tag_policy_resources", 2.0,
                "aws_tag_policy_noncompliant_resources", 1.0, "aws_tag_policy_untagged_resources", 1.0));
    }

    @Test
    void loadBalancersAreNamedByTheirCloudWatchDimension() {
        assertThat(TagFamilies.loadBalancerId(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"))
                .isEqualTo("app/web/50dc6c495c0c9188");
        assertThat(TagFamilies.loadBalancerId("not-an-arn")).isEqualTo("not-an-arn");
    }
}
