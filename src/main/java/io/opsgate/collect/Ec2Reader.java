package io.opsgate.collect;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Volume;

/** The EC2 Describe* calls of one cycle, each paginated with the largest page AWS allows. */
final class Ec2Reader {
    /** AWS accepts at most this many explicit instance ids in one DescribeInstanceCreditSpecifications. */
    static final int CREDIT_SPEC_IDS_PER_CALL = 1000;

    private final Ec2Client ec2;

    Ec2Reader(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    List<Volume> volumes() {
        List<Volume> volumes = new ArrayList<>();
        ec2.describeVolumesPaginator(r -> r.maxResults(500)).forEach(page -> volumes.addAll(page.volumes()));
        return volumes;
    }

    List<Instance> instances() {
        List<Instance> instances = new ArrayList<>();
        ec2.describeInstancesPaginator(r -> r.maxResults(1000)).forEach(page -> {
            for (Reservation reservation : page.reservations()) {
                instances.addAll(reservation.instances());
            }
        });
        return instances;
    }

    /**
     * Credit specifications of the given instances. Ids are passed explicitly because, without them, AWS
     * lists only instances in unlimited mode.
     */
    List<InstanceCreditSpecification> creditSpecifications(List<String> instanceIds) {
        List<InstanceCreditSpecification> specs = new ArrayList<>();
        for (int from = 0; from < instanceIds.size(); from += CREDIT_SPEC_IDS_PER_CALL) {
            List<String> chunk = instanceIds.subList(from, Math.min(instanceIds.size(), from + CREDIT_SPEC_IDS_PER_CALL));
            ec2.describeInstanceCreditSpecificationsPaginator(r -> r.instanceIds(chunk))
                    .forEach(page -> specs.addAll(page.instanceCreditSpecifications()));
        }
        return specs;
    }

    List<InstanceStatus> instanceStatuses() {
        List<InstanceStatus> statuses = new ArrayList<>();
        ec2.describeInstanceStatusPaginator(r -> r.includeAllInstances(true).maxResults(1000))
                .forEach(page -> statuses.addAll(page.instanceStatuses()));
        return statuses;
    }

    /** The account's own snapshots: without {@code self}, EC2 also lists every public snapshot of the region. */
    List<Snapshot> ownSnapshots() {
        List<Snapshot> snapshots = new ArrayList<>();
        ec2.describeSnapshotsPaginator(r -> r.ownerIds("self").maxResults(1000))
                .forEach(page -> snapshots.addAll(page.snapshots()));
        return snapshots;
    }

    /** Elastic IPs (DescribeAddresses is not paged). */
    List<Address> addresses() {
        return ec2.describeAddresses().addresses();
    }
}
