package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetModelTest {

    private static final Clock CLOCK = SimHarness.FIXED;

    @Test
    void sameSeedSameFleetAndAccountsAndRegionsDiffer() {
        FleetModel a = new FleetModel(42, 40, 20, CLOCK);
        FleetModel b = new FleetModel(42, 40, 20, CLOCK);
        assertThat(a.volumes("123456789012", "us-east-1")).isEqualTo(b.volumes("123456789012", "us-east-1"));
        assertThat(a.instances("123456789012", "us-east-1")).isEqualTo(b.instances("123456789012", "us-east-1"));
        List<String> other = ids(a.volumes("210987654321", "us-east-1"));
        assertThat(ids(a.volumes("123456789012", "us-east-1"))).doesNotContainAnyElementsOf(other)
                .doesNotContainAnyElementsOf(ids(a.volumes("123456789012", "eu-west-1")));
        assertThat(ids(new FleetModel(7, 40, 20, CLOCK).volumes("123456789012", "us-east-1")))
                .doesNotContainAnyElementsOf(ids(a.volumes("123456789012", "us-east-1")));
        assertThat(a.volumes("123456789012", "us-east-1")).isSameAs(a.volumes("123456789012", "us-east-1"));
    }

    @Test
    void targetsPerGroupFillsEveryGroupWithDistinctTargetsOfThisFleet() {
        FleetModel model = new FleetModel(42, 40, 500, CLOCK, 0, 0, 50);
        Set<String> instanceIds = model.instances("123456789012", "us-east-1").stream().map(SimInstance::id)
                .collect(Collectors.toSet());
        List<SimLoadBalancer> balancers = model.loadBalancers("123456789012", "us-east-1");
        assertThat(balancers).hasSize(20);
        for (SimLoadBalancer lb : balancers) {
            for (SimLoadBalancer.TargetGroup group : lb.targetGroups()) {
                List<String> targets = group.targets().stream().map(SimLoadBalancer.Target::id).toList();
                assertThat(targets).as(group.name()).hasSize(50).doesNotHaveDuplicates();
                if (group.targetType().equals("instance")) {
                    assertThat(instanceIds).as(group.name()).containsAll(targets);
                }
            }
        }
    }

    @Test
    void attachmentsAreConsistentWithinTheFleet() {
        FleetModel model = new FleetModel(42, 400, 200, CLOCK);
        List<SimVolume> volumes = model.volumes("123456789012", "eu-west-1");
        Map<String, SimInstance> instances = model.instances("123456789012", "eu-west-1").stream()
                .collect(Collectors.toMap(SimInstance::id, i -> i));
        assertThat(ids(volumes)).doesNotHaveDuplicates().allMatch(id -> id.matches("vol-0[0-9a-f]{16}"));
        assertThat(instances.keySet()).allMatch(id -> id.matches("i-0[0-9a-f]{16}"));
        for (SimVolume v : volumes) {
            assertThat(v.availabilityZone()).matches("eu-west-1[a-c]");
            if (v.state().equals("in-use")) {
                SimInstance owner = instances.get(v.attachedInstanceId());
                assertThat(owner).isNotNull();
                assertThat(owner.availabilityZone()).isEqualTo(v.availabilityZone());
                assertThat(owner.volumeIds()).contains(v.id());
            } else {
                assertThat(v.attachedInstanceId()).isNull();
            }
        }
        assertThat(volumes).extracting(SimVolume::volumeType)
                .contains("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard");
        assertThat(volumes).anySatisfy(v -> assertThat(v.tags()).containsKey("aws:cloudformation:stack-name"));
        assertThat(instances.values()).extracting(SimInstance::creditMode).contains("standard", "unlimited", null);
        assertThat(instances.values()).extracting(SimInstance::state).contains("running", "stopped");
        assertThat(instances.values()).anySatisfy(i -> assertThat(i.attachedEbsStatus()).isEqualTo("impaired"));
        assertThat(instances.values()).flatExtracting(SimInstance::events).extracting(SimEvent::code)
                .contains("instance-reboot", "system-maintenance", "instance-retirement");
        assertThat(instances.values()).allSatisfy(i ->
                assertThat(i.creditMode() != null).isEqualTo(i.burstable()));
    }

    @Test
    void dynamicsStayInAwsRangesAndMove() {
        FleetModel model = new FleetModel(42, 300, 100, CLOCK);
        MetricDynamics dyn = new MetricDynamics(42);
        long now = SimHarness.NOW.getEpochSecond();
        boolean someEmpty = false;
        boolean someFull = false;
        for (SimVolume v : model.volumes("123456789012", "us-east-1")) {
            if (!v.reportsBurstBalance()) {
                continue;
            }
            double min = 100;
            double max = 0;
            for (long t = now - 2 * 86400; t < now; t += 300) {
                double b = dyn.burstBalance(v, t);
                assertThat(b).isBetween(0.0, 100.0);
                min = Math.min(min, b);
                max = Math.max(max, b);
            }
            someEmpty |= min == 0.0;
            someFull |= max == 100.0;
        }
        assertThat(someEmpty).as("some gp2 volume drains its bucket").isTrue();
        assertThat(someFull).isTrue();

        boolean surplus = false;
        for (SimInstance i : model.instances("123456789012", "us-east-1")) {
            if (!i.burstable()) {
                continue;
            }
            int maxCredits = InstanceTypes.spec(i.instanceType()).maxCredits();
            for (long t = now - 86400; t < now; t += 900) {
                assertThat(dyn.creditBalance(i, t)).isBetween(0.0, (double) maxCredits);
                assertThat(dyn.creditUsage(i, t)).isPositive();
                double s = dyn.surplusBalance(i, t);
                surplus |= s > 0;
                if (!"unlimited".equals(i.creditMode())) {
                    assertThat(s).isZero();
                }
            }
            Set<Double> balances = new HashSet<>();
            for (long t = now - 86400; t < now; t += 3600) {
                balances.add(dyn.creditBalance(i, t));
            }
            assertThat(balances).as("balance moves over a day").hasSizeGreaterThan(1);
        }
        assertThat(surplus).as("some unlimited instance runs a surplus").isTrue();
    }

    private static List<String> ids(List<SimVolume> volumes) {
        return volumes.stream().map(SimVolume::id).toList();
    }
}
