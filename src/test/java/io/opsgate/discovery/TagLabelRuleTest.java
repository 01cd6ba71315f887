package io.opsgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** /sd/ec2 and /sd/rds label tags by the same rule as /metrics: Prometheus's, the tag AWS lists last wins. */
class TagLabelRuleTest {

    private static Instance instance(Tag... tags) {
        return Instance.builder().instanceId("i-1").privateIpAddress("10.0.0.1").tags(tags).build();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    @Test
    void ec2TargetsKeepTheLaterOfTwoCollidingKeysAndTheOriginalKeysForFilters() {
        Discovered forward = Ec2Targets.of("111111111111", "us-east-1",
                instance(tag("team-name", "dash"), tag("team.name", "dot")), Map.of());
        Discovered reverse = Ec2Targets.of("111111111111", "us-east-1",
                instance(tag("team.name", "dot"), tag("team-name", "dash")), Map.of());
        assertThat(forward.labels()).containsEntry("__meta_ec2_tag_team_name", "dot");
        assertThat(reverse.labels()).containsEntry("__meta_ec2_tag_team_name", "dash");
        assertThat(forward.tags()).containsOnly(Map.entry("team-name", "dash"), Map.entry("team.name", "dot"));
        assertThat(Ec2Targets.of("111111111111", "us-east-1", instance(Tag.builder().key("Owner").build()), Map.of())
                .labels()).doesNotContainKey("__meta_ec2_tag_Owner");
    }

    @Test
    void rdsTargetsFollowTheSameRule() {
        DBInstance db = DBInstance.builder().dbInstanceIdentifier("db-1").endpoint(e -> e.address("db.local").port(5432))
                .tagList(software.amazon.awssdk.services.rds.model.Tag.builder().key("team-name").value("dash").build(),
                        software.amazon.awssdk.services.rds.model.Tag.builder().key("team.name").value("dot").build())
                .build();
        List<Discovered> targets = RdsTargets.of("111111111111", "us-east-1", List.of(db));
        assertThat(targets.get(0).labels()).containsEntry("__meta_rds_tag_team_name", "dot");
    }
}
