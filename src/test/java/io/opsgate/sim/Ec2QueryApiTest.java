package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.SummaryStatus;
import software.amazon.awssdk.services.ec2.model.Volume;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ec2QueryApiTest {

    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";

    private SimHarness harness;
    private Ec2Client ec2;

    @BeforeAll
    void start() {
        harness = SimHarness.withFixedClock();
        ec2 = harness.ec2();
    }

    @AfterAll
    void stop() throws Exception {
        ec2.close();
        harness.close();
    }

    private List<SimVolume> fleetVolumes() {
        return harness.sim.fleet().volumes(ACCOUNT, REGION);
    }

    private List<SimInstance> fleetInstances() {
        return harness.sim.fleet().instances(ACCOUNT, REGION);
    }

    @Test
    void volumePaginatorReturnsEveryVolumeExactlyOnceWithItsFacts() {
        List<Volume> volumes = new ArrayList<>();
        ec2.describeVolumesPaginator(r -> r.maxResults(7)).volumes().forEach(volumes::add);

        assertThat(volumes).extracting(Volume::volumeId)
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(fleetVolumes().stream().map(SimVolume::id).toList());
        Map<String, Volume> byId = volumes.stream().collect(Collectors.toMap(Volume::volumeId, v -> v));
        for (SimVolume sv : fleetVolumes()) {
            Volume v = byId.get(sv.id());
            assertThat(v.volumeTypeAsString()).isEqualTo(sv.volumeType());
            assertThat(v.stateAsString()).isEqualTo(sv.state());
            assertThat(v.size()).isEqualTo(sv.sizeGiB());
            assertThat(v.availabilityZone()).isEqualTo(sv.availabilityZone()).startsWith(REGION);
            assertThat(v.createTime()).isEqualTo(sv.createTime());
            assertThat(v.tags()).hasSize(sv.tags().size());
            v.tags().forEach(t -> assertThat(sv.tags()).containsEntry(t.key(), t.value()));
            if (sv.attached()) {
                assertThat(v.attachments()).singleElement()
                        .satisfies(a -> assertThat(a.instanceId()).isEqualTo(sv.attachedInstanceId()));
            } else {
                assertThat(v.attachments()).isEmpty();
            }
        }
        assertThat(volumes).extracting(Volume::volumeTypeAsString).contains("gp2", "gp3", "io2", "st1");
    }

    @Test
    void instancePaginatorReturnsEveryInstanceExactlyOnce() {
        List<Instance> instances = new ArrayList<>();
        ec2.describeInstancesPaginator(r -> r.maxResults(5)).reservations().stream()
                .map(Reservation::instances).forEach(instances::addAll);

        assertThat(instances).extracting(Instance::instanceId)
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(fleetInstances().stream().map(SimInstance::id).toList());
        Instance first = instances.get(0);
        SimInstance sf = fleetInstances().get(0);
        assertThat(first.instanceTypeAsString()).isEqualTo(sf.instanceType());
        assertThat(first.state().nameAsString()).isEqualTo(sf.state());
        assertThat(first.privateIpAddress()).isEqualTo(sf.privateIp());
        assertThat(first.vpcId()).isEqualTo(sf.vpcId());
        assertThat(first.subnetId()).isEqualTo(sf.subnetId());
        assertThat(first.launchTime()).isEqualTo(sf.launchTime());
        assertThat(first.placement().availabilityZone()).isEqualTo(sf.availabilityZone());
        assertThat(first.blockDeviceMappings()).extracting(b -> b.ebs().volumeId())
                .containsExactlyElementsOf(sf.volumeIds());
    }

    @Test
    void outOfRangeMaxResultsIsRejectedLikeAws() {
        assertThatThrownBy(() -> ec2.describeVolumes(r -> r.maxResults(4)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("maxResults");
                });
        assertThatThrownBy(() -> ec2.describeVolumes(r -> r.maxResults(501)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThat(ec2.describeInstances(r -> r.maxResults(1000)).reservations()).hasSize(fleetInstances().size());
        assertThatThrownBy(() -> ec2.describeInstances(r -> r.maxResults(1001)))
                .isInstanceOf(Ec2Exception.class);
        assertThatThrownBy(() -> ec2.describeInstanceStatus(r -> r.maxResults(1001)))
                .isInstanceOf(Ec2Exception.class);
        assertThatThrownBy(() -> ec2.describeInstanceCreditSpecifications(r -> r.maxResults(2)))
                .isInstanceOf(Ec2Exception.class);
    }

    @Test
    void filtersSelectByTypeStateAndAttachment() {
        List<Volume> gp2 = ec2.describeVolumes(r -> r.filters(f("volume-type", "gp2", "st1"))).volumes();
        assertThat(gp2).isNotEmpty().allSatisfy(v -> assertThat(v.volumeTypeAsString()).isIn("gp2", "st1"));
        assertThat(gp2).hasSize((int) fleetVolumes().stream().filter(v -> v.volumeType().matches("gp2|st1")).count());

        List<Volume> attached = ec2.describeVolumes(r -> r.filters(f("attachment.status", "attached"))).volumes();
        assertThat(attached).hasSize((int) fleetVolumes().stream().filter(SimVolume::attached).count());

        List<Instance> stopped = ec2.describeInstances(r -> r.filters(f("instance-state-name", "stopped")))
                .reservations().stream().flatMap(res -> res.instances().stream()).toList();
        assertThat(stopped).isNotEmpty().allSatisfy(i -> assertThat(i.state().nameAsString()).isEqualTo("stopped"));

        List<Instance> t3 = ec2.describeInstances(r -> r.filters(f("instance-type", "t3.*")))
                .reservations().stream().flatMap(res -> res.instances().stream()).toList();
        assertThat(t3).isNotEmpty().allSatisfy(i -> assertThat(i.instanceTypeAsString()).startsWith("t3."));
    }

    @Test
    void unknownIdsAreReportedWithAwsNotFoundCodes() {
        assertThatThrownBy(() -> ec2.describeVolumes(r -> r.volumeIds("vol-0000000000000dead")))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidVolume.NotFound"));
        assertThatThrownBy(() -> ec2.describeInstances(r -> r.instanceIds("i-0000000000000dead")))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceID.NotFound"));
    }

    @Test
    void creditSpecificationsWithoutIdsListOnlyUnlimitedInstances() {
        List<InstanceCreditSpecification> specs = new ArrayList<>();
        ec2.describeInstanceCreditSpecificationsPaginator(r -> r.maxResults(5))
                .instanceCreditSpecifications().forEach(specs::add);
        List<String> unlimited = fleetInstances().stream()
                .filter(i -> "unlimited".equals(i.creditMode())).map(SimInstance::id).toList();
        assertThat(unlimited).isNotEmpty();
        assertThat(specs).extracting(InstanceCreditSpecification::instanceId).containsExactlyElementsOf(unlimited);
        assertThat(specs).allSatisfy(s -> assertThat(s.cpuCredits()).isEqualTo("unlimited"));

        List<String> burstable = fleetInstances().stream().filter(SimInstance::burstable).map(SimInstance::id).toList();
        List<InstanceCreditSpecification> byId = ec2.describeInstanceCreditSpecifications(
                r -> r.instanceIds(burstable)).instanceCreditSpecifications();
        assertThat(byId).extracting(InstanceCreditSpecification::instanceId).containsExactlyElementsOf(burstable);
        assertThat(byId).extracting(InstanceCreditSpecification::cpuCredits).contains("standard", "unlimited");
    }

    @Test
    void instanceStatusCoversRunningOrAllWithChecksAndEvents() {
        List<InstanceStatus> running = new ArrayList<>();
        ec2.describeInstanceStatusPaginator(r -> r.maxResults(5)).instanceStatuses().forEach(running::add);
        assertThat(running).extracting(InstanceStatus::instanceId).containsExactlyElementsOf(
                fleetInstances().stream().filter(SimInstance::running).map(SimInstance::id).toList());

        List<InstanceStatus> all = new ArrayList<>();
        ec2.describeInstanceStatusPaginator(r -> r.maxResults(5).includeAllInstances(true))
                .instanceStatuses().forEach(all::add);
        assertThat(all).hasSize(fleetInstances().size());
        Map<String, SimInstance> facts = fleetInstances().stream().collect(Collectors.toMap(SimInstance::id, i -> i));
        for (InstanceStatus s : all) {
            SimInstance i = facts.get(s.instanceId());
            if (i.running()) {
                assertThat(s.systemStatus().statusAsString()).isEqualTo(i.systemStatus());
                assertThat(s.instanceStatus().statusAsString()).isEqualTo(i.instanceStatus());
                assertThat(s.attachedEbsStatus().statusAsString()).isEqualTo(i.attachedEbsStatus());
            } else {
                assertThat(s.systemStatus().status()).isEqualTo(SummaryStatus.NOT_APPLICABLE);
                assertThat(s.instanceStatus().status()).isEqualTo(SummaryStatus.NOT_APPLICABLE);
            }
            assertThat(s.events()).hasSize(i.running() ? i.events().size() : 0);
        }
        assertThat(all).anySatisfy(s -> assertThat(s.systemStatus().status()).isEqualTo(SummaryStatus.IMPAIRED));
        assertThat(all).flatExtracting(InstanceStatus::events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.codeAsString()).isIn("instance-reboot", "system-reboot", "system-maintenance",
                    "instance-retirement", "instance-stop");
            assertThat(e.notBefore()).isBefore(e.notAfter());
        });
    }

    @Test
    void availabilityZonesAndRegionsParse() {
        List<AvailabilityZone> zones = ec2.describeAvailabilityZones().availabilityZones();
        assertThat(zones).extracting(AvailabilityZone::zoneName).contains("us-east-1a", "us-east-1b");
        assertThat(zones).allSatisfy(z -> {
            assertThat(z.regionName()).isEqualTo(REGION);
            assertThat(z.stateAsString()).isEqualTo("available");
        });
        assertThat(ec2.describeRegions().regions()).extracting(r -> r.regionName()).contains("us-east-1", "eu-west-1");
    }

    private static Filter f(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }
}
