package io.opsgate.discovery;

import io.opsgate.config.DiscoveryKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdQueryTest {
    private static Discovered instance(String state, Map<String, String> tags) {
        return Discovered.of("111111111111", "us-east-1", "10.0.0.1", 0,
                Map.of("state", state, "instance_type", "t3.micro"), tags, Map.of("__meta_ec2_instance_id", "i-1"));
    }

    private static SdQuery ec2(Map<String, List<String>> params) {
        return SdQuery.parse(DiscoveryKind.EC2, params);
    }

    @Test
    void ec2DefaultsToRunningInstancesOnPort80LikeEc2SdConfig() {
        SdQuery q = ec2(Map.of());
        assertThat(q.matches(instance("running", Map.of()))).isTrue();
        assertThat(q.matches(instance("stopped", Map.of()))).isFalse();
        assertThat(q.ports(instance("running", Map.of()))).containsExactly(80);
        assertThat(ec2(Map.of("state", List.of("any"))).matches(instance("stopped", Map.of()))).isTrue();
    }

    @Test
    void absentTagsCountAsEmptyAndValuesAreAlternatives() {
        SdQuery q = ec2(Map.of("tag.Env", List.of("prod", "staging")));
        assertThat(q.matches(instance("running", Map.of("Env", "staging")))).isTrue();
        assertThat(q.matches(instance("running", Map.of()))).isFalse();
        assertThat(ec2(Map.of("tag.Env", List.of(""))).matches(instance("running", Map.of()))).isTrue();
        SdQuery regex = ec2(Map.of("tag_regex.Team", List.of("pay")));
        assertThat(regex.matches(instance("running", Map.of("Team", "payments")))).as("anchored").isFalse();
    }

    @Test
    void portsFromTagsFallBackToThePortAndSkipMalformedValues() {
        SdQuery q = ec2(Map.of("port_tag", List.of("p")));
        assertThat(q.ports(instance("running", Map.of("p", "9100, 9256,9100")))).containsExactly(9100, 9256);
        assertThat(q.ports(instance("running", Map.of()))).isEmpty();
        assertThat(q.ports(instance("running", Map.of("p", "http")))).isEmpty();
        assertThat(q.ports(instance("running", Map.of("p", "70000")))).isEmpty();
        SdQuery fallback = ec2(Map.of("port_tag", List.of("p"), "port", List.of("9100")));
        assertThat(fallback.ports(instance("running", Map.of()))).containsExactly(9100);
    }

    @Test
    void aJobNarrowedByUrlParametersKeepsBothFiltersAndTakesTheUrlPorts() {
        SdQuery job = ec2(Map.of("tag.Env", List.of("prod"), "port", List.of("9100")));
        SdQuery narrowed = job.and(ec2(Map.of("state", List.of("stopped"), "port", List.of("9256"))));
        assertThat(narrowed.matches(instance("stopped", Map.of("Env", "prod")))).isTrue();
        assertThat(narrowed.matches(instance("stopped", Map.of("Env", "dev")))).isFalse();
        assertThat(narrowed.matches(instance("running", Map.of("Env", "prod")))).isFalse();
        assertThat(narrowed.ports(instance("stopped", Map.of("Env", "prod")))).containsExactly(9256);
        assertThat(job.and(ec2(Map.of())).ports(instance("running", Map.of()))).containsExactly(9100);
    }

    @Test
    void rejectsWhatCannotBeMeantNamingTheParameter() {
        assertThatThrownBy(() -> ec2(Map.of("port", List.of("9100,")))).isInstanceOf(SdQuery.Invalid.class)
                .hasMessageContaining("empty value");
        assertThatThrownBy(() -> ec2(Map.of("engine", List.of("postgres"))))
                .hasMessageContaining("unknown query parameter \"engine\"");
        assertThatThrownBy(() -> SdQuery.parse(DiscoveryKind.ELBV2_TARGETS, Map.of("port_tag", List.of("p"))))
                .hasMessageContaining("unknown query parameter \"port_tag\"");
        assertThatThrownBy(() -> ec2(Map.of("region", List.of("mars-1")))).hasMessageContaining("AWS region");
        assertThatThrownBy(() -> ec2(Map.of("port_tag", List.of("a", "b")))).hasMessageContaining("exactly one");
        SdQuery.Invalid e = (SdQuery.Invalid) org.assertj.core.api.Assertions.catchThrowable(
                () -> ec2(Map.of("tag_regex.X", List.of("["))));
        assertThat(e.parameter()).isEqualTo("tag_regex.X");
    }
}
