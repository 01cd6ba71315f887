package io.opsgate.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TagLabelsTest {
    @Test
    void sanitisesLikePrometheusEc2Discovery() {
        assertThat(TagLabels.sanitize("aws:cloudformation:stack-name")).isEqualTo("aws_cloudformation_stack_name");
        assertThat(TagLabels.sanitize("Name")).isEqualTo("Name");
        assertThat(TagLabels.sanitize("team.owner/ü")).isEqualTo("team_owner__");
    }

    @Test
    void collidingKeysKeepTheLexicallyFirstOriginal() {
        var labels = TagLabels.of(Map.of("a-b", "dash", "a.b", "dot"));
        assertThat(labels.size()).isEqualTo(1);
        assertThat(labels.get("tag_a_b")).isEqualTo("dash");
    }

    @Test
    void noTagsNoLabels() {
        assertThat(TagLabels.of(Map.of()).isEmpty()).isTrue();
    }
}
