package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** The simulator's discovery APIs through the real SDK: RDS and ELBv2 (awsQuery), instance networking, zone ids. */
class DiscoveryApisTest {
    private static final String ACCOUNT = "123456789012";

    @Test
    void rdsPagesThroughEveryDatabaseWithTagsAndEndpoints() throws Exception {
        try (SimHarness h = new SimHarness(SimulatorOptions.defaults().withFleetSize(0, 300));
             SdkHttpClient http = ApacheHttpClient.create();
             RdsClient rds = RdsClient.builder().region(Region.US_EAST_1).endpointOverride(h.endpoint())
                     .credentialsProvider(SimHarness.STATIC).httpClient(http).build()) {
            List<DBInstance> read = new ArrayList<>();
            rds.describeDBInstancesPaginator(r -> r.maxRecords(20)).forEach(p -> read.addAll(p.dbInstances()));
            List<SimDatabase> expected = h.sim.fleet().databases(ACCOUNT, "us-east-1");
            assertThat(expected).hasSizeGreaterThan(20);
            assertThat(h.sim.requestCount("DescribeDBInstances")).isEqualTo((expected.size() + 19) / 20);
            assertThat(read).extracting(DBInstance::dbInstanceArn).containsExactlyElementsOf(
                    expected.stream().map(SimDatabase::arn).toList());
            for (int i = 0; i < read.size(); i++) {
                DBInstance db = read.get(i);
                SimDatabase sim = expected.get(i);
                assertThat(db.engine()).isEqualTo(sim.engine());
                assertThat(db.dbInstanceStatus()).isEqualTo(sim.status());
                assertThat(db.tagList().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()))).isEqualTo(sim.tags());
                if (sim.status().equals("stopped")) {
                    assertThat(db.endpoint()).isNull();
                } else {
                    assertThat(db.endpoint().address()).isEqualTo(sim.address());
                    assertThat(db.endpoint().port()).isEqualTo(sim.port());
                }
                assertThat(db.dbSubnetGroup().vpcId()).isEqualTo(sim.vpcId());
            }
            assertThatThrownBy(() -> rds.describeDBInstances(r -> r.maxRecords(5)))
                    .hasMessageContaining("between 20 and 100");
        }
    }

    @Test
    void elbv2DescribeTagsServesEachLoadBalancersTagsTwentyArnsAtATime() throws Exception {
        try (SimHarness h = new SimHarness(SimulatorOptions.defaults().withFleetSize(0, 100));
             SdkHttpClient http = ApacheHttpClient.create();
             ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().region(Region.US_EAST_1)
                     .endpointOverride(h.endpoint()).credentialsProvider(SimHarness.STATIC).httpClient(http).build()) {
            List<SimLoadBalancer> expected = h.sim.fleet().loadBalancers(ACCOUNT, "us-east-1");
            List<String> arns = expected.stream().map(SimLoadBalancer::arn).toList();
            var described = elb.describeTags(r -> r.resourceArns(arns)).tagDescriptions();
            assertThat(described).extracting(d -> d.resourceArn()).containsExactlyElementsOf(arns);
            for (int i = 0; i < arns.size(); i++) {
                assertThat(described.get(i).tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())))
                        .isEqualTo(expected.get(i).tags());
            }
            assertThat(expected.get(1).tags()).as("pinned: load balancer 1 has no tags").isEmpty();
            assertThat(expected.get(0).tags()).containsKeys("Name", "Environment", "Project");

            List<String> tooMany = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                tooMany.add(arns.get(i % arns.size()));
            }
            assertThatThrownBy(() -> elb.describeTags(r -> r.resourceArns(tooMany)))
                    .isInstanceOf(ElasticLoadBalancingV2Exception.class).hasMessageContaining("less than or equal to 20");
            assertThatThrownBy(() -> elb.describeTags(r -> r.resourceArns(arns.get(0) + "x")))
                    .isInstanceOf(ElasticLoadBalancingV2Exception.class).hasMessageContaining("not found");
        }
    }

    @Test
    void elbv2ListsBalancersGroupsAndTargetHealth() throws Exception {
        try (SimHarness h = new SimHarness(SimulatorOptions.defaults().withFleetSize(0, 120));
             SdkHttpClient http = ApacheHttpClient.create();
             ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().region(Region.US_EAST_1)
                     .endpointOverride(h.endpoint()).credentialsProvider(SimHarness.STATIC).httpClient(http).build()) {
            List<SimLoadBalancer> expected = h.sim.fleet().loadBalancers(ACCOUNT, "us-east-1");
            List<LoadBalancer> lbs = new ArrayList<>();
            elb.describeLoadBalancersPaginator(r -> r.pageSize(1)).forEach(p -> lbs.addAll(p.loadBalancers()));
            assertThat(lbs).extracting(LoadBalancer::loadBalancerName)
                    .containsExactlyElementsOf(expected.stream().map(SimLoadBalancer::name).toList());
            assertThat(lbs).extracting(LoadBalancer::typeAsString).contains("application", "network");
            List<TargetGroup> groups = new ArrayList<>();
            elb.describeTargetGroupsPaginator(r -> r.pageSize(400)).forEach(p -> groups.addAll(p.targetGroups()));
            assertThat(groups).hasSize(expected.size());
            for (int i = 0; i < groups.size(); i++) {
                TargetGroup tg = groups.get(i);
                SimLoadBalancer.TargetGroup sim = expected.get(i).targetGroups().get(0);
                assertThat(tg.loadBalancerArns()).containsExactly(expected.get(i).arn());
                assertThat(tg.targetTypeAsString()).isEqualTo(sim.targetType());
                List<TargetHealthDescription> health = elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn()))
                        .targetHealthDescriptions();
                assertThat(health).extracting(d -> d.target().id() + ":" + d.target().port() + " " + d.targetHealth().stateAsString())
                        .containsExactlyElementsOf(sim.targets().stream().map(t -> t.id() + ":" + t.port() + " " + t.state()).toList());
            }
            assertThatThrownBy(() -> elb.describeTargetHealth(r -> r.targetGroupArn("arn:nope")))
                    .isInstanceOf(ElasticLoadBalancingV2Exception.class).hasMessageContaining("not found");
        }
    }

    @Test
    void instancesReportNetworkingAndZonesMapToPerAccountIds() throws Exception {
        try (SimHarness h = new SimHarness(SimulatorOptions.defaults().withFleetSize(0, 40));
             Ec2Client ec2 = h.ec2()) {
            Map<String, Instance> byId = new java.util.HashMap<>();
            ec2.describeInstancesPaginator(r -> r.maxResults(10))
                    .forEach(p -> p.reservations().forEach(r -> r.instances().forEach(i -> byId.put(i.instanceId(), i))));
            for (SimInstance sim : h.sim.fleet().instances(ACCOUNT, "us-east-1")) {
                Instance i = byId.get(sim.id());
                SimNetwork net = h.sim.fleet().network(ACCOUNT, "us-east-1", sim.id());
                assertThat(i.publicIpAddress()).isEqualTo(net.publicIp());
                assertThat(i.platformAsString()).isEqualTo(net.platform());
                assertThat(i.instanceLifecycleAsString()).isEqualTo(net.lifecycle());
                assertThat(i.networkInterfaces()).extracting(InstanceNetworkInterface::subnetId)
                        .containsExactlyElementsOf(net.interfaces().stream().map(SimNetwork.Interface::subnetId).toList());
                assertThat(i.networkInterfaces().get(0).subnetId()).isEqualTo(sim.subnetId());
            }
            assertThat(byId.values()).anyMatch(i -> i.publicIpAddress() != null)
                    .anyMatch(i -> i.networkInterfaces().size() == 2)
                    .anyMatch(i -> !i.networkInterfaces().get(0).ipv6Addresses().isEmpty());
            Map<String, String> zones = ec2.describeAvailabilityZones().availabilityZones().stream()
                    .collect(Collectors.toMap(z -> z.zoneName(), z -> z.zoneId()));
            zones.forEach((name, id) -> assertThat(h.sim.fleet().zoneId(ACCOUNT, name)).isEqualTo(id));
            assertThat(zones.values()).doesNotHaveDuplicates();
            boolean differsSomewhere = zones.keySet().stream()
                    .anyMatch(z -> !h.sim.fleet().zoneId("111111111111", z).equals(h.sim.fleet().zoneId(ACCOUNT, z))
                            || !h.sim.fleet().zoneId("222222222222", z).equals(h.sim.fleet().zoneId(ACCOUNT, z)));
            assertThat(differsSomewhere).as("zone names map to different ids in different accounts").isTrue();
        }
    }
}
