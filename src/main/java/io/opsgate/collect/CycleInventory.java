package io.opsgate.collect;

import io.opsgate.aws.RegionClients;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The inventory reads of one cycle of one (account, region). Each read is made at most once per cycle and shared by
 * every {@link CollectorPart} that needs it (the vCPU quota and the tag check both need the instances the EC2
 * collector reads): one DescribeInstances per cycle, whoever asks. A failed read fails every part that asks for it,
 * with the same error, and is not retried within the cycle. Used from one worker thread at a time.
 */
final class CycleInventory {
    private final RegionClients clients;
    private final Ec2Reader ec2;
    private final Map<String, Object> reads = new HashMap<>();

    CycleInventory(RegionClients clients, Ec2Reader ec2) {
        this.clients = clients;
        this.ec2 = ec2;
    }

    /** The target's SDK clients, for parts whose reads are their own (no other part shares them). */
    RegionClients clients() {
        return clients;
    }

    List<Volume> volumes() {
        return shared("ec2:DescribeVolumes", ec2::volumes);
    }

    List<Instance> instances() {
        return shared("ec2:DescribeInstances", ec2::instances);
    }

    /** Credit specifications of this cycle's burstable instances (reads the instances first). */
    List<InstanceCreditSpecification> creditSpecifications() {
        return shared("ec2:DescribeInstanceCreditSpecifications",
                () -> ec2.creditSpecifications(Ec2Families.burstableIds(instances())));
    }

    List<InstanceStatus> instanceStatuses() {
        return shared("ec2:DescribeInstanceStatus", ec2::instanceStatuses);
    }

    /** RDS DB instances with their tags (DescribeDBInstances returns each one's TagList). */
    List<DBInstance> databases() {
        return shared("rds:DescribeDBInstances", () -> RdsReader.databases(clients.rds()));
    }

    /** ELBv2 load balancers (application, network, gateway); without tags, see {@link #loadBalancerTags()}. */
    List<LoadBalancer> loadBalancers() {
        return shared("elasticloadbalancing:DescribeLoadBalancers", () -> Elbv2Reader.loadBalancers(clients.elbv2()));
    }

    /** Load balancer ARN → its tags, for every load balancer of this cycle (reads them first). */
    Map<String, List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag>> loadBalancerTags() {
        return shared("elasticloadbalancing:DescribeTags", () -> Elbv2Reader.tags(clients.elbv2(),
                loadBalancers().stream().map(LoadBalancer::loadBalancerArn).toList()));
    }

    /** Every target group with its targets' health (DescribeTargetGroups, then DescribeTargetHealth per group). */
    List<TargetGroupHealth> targetGroupHealth() {
        return shared("elasticloadbalancing:DescribeTargetHealth", () -> Elbv2Reader.targetGroupHealth(clients.elbv2()));
    }

    /** The target groups' health if some part read it successfully this cycle, else null (discovery reuses it). */
    List<TargetGroupHealth> targetGroupHealthIfRead() {
        return ifRead("elasticloadbalancing:DescribeTargetHealth");
    }

    /** The RDS DB instances if some part read them successfully this cycle, else null. */
    List<DBInstance> databasesIfRead() {
        return ifRead("rds:DescribeDBInstances");
    }

    /** The load balancers if some part read them successfully this cycle, else null. */
    List<LoadBalancer> loadBalancersIfRead() {
        return ifRead("elasticloadbalancing:DescribeLoadBalancers");
    }

    /** The account's own EBS snapshots (the snapshot collector and the snapshots-per-Region quota). */
    List<Snapshot> ownSnapshots() {
        return shared("ec2:DescribeSnapshots", ec2::ownSnapshots);
    }

    /** The snapshots if some part read them successfully this cycle, else null: a part may reuse them for free. */
    @SuppressWarnings("unchecked")
    List<Snapshot> ownSnapshotsIfRead() {
        Object read = reads.get("ec2:DescribeSnapshots");
        return read instanceof List<?> list ? (List<Snapshot>) list : null;
    }

    List<Address> addresses() {
        return shared("ec2:DescribeAddresses", ec2::addresses);
    }

    /** The instances if some part read them successfully this cycle, else null (discovery then reads its own). */
    List<Instance> instancesIfRead() {
        return ifRead("ec2:DescribeInstances");
    }

    /** The volumes if some part read them this cycle, else null; never reads them. */
    List<Volume> volumesIfRead() {
        return ifRead("ec2:DescribeVolumes");
    }

    /** The credit specifications if some part read them this cycle, else null; never reads them. */
    List<InstanceCreditSpecification> creditSpecificationsIfRead() {
        return ifRead("ec2:DescribeInstanceCreditSpecifications");
    }

    @SuppressWarnings("unchecked")
    private <T> T ifRead(String key) {
        Object read = reads.get(key);
        return read == null || read instanceof FailedRead ? null : (T) read;
    }

    /**
     * Runs {@code call} the first time {@code key} is asked for in this cycle and remembers its result or its failure.
     * New shared reads (DescribeSnapshots, DescribeAddresses, load balancers...) are added as methods like the ones
     * above, each with its own key.
     */
    @SuppressWarnings("unchecked")
    <T> T shared(String key, Supplier<T> call) {
        Object read = reads.get(key);
        if (read == null) {
            try {
                read = call.get();
            } catch (RuntimeException e) {
                read = new FailedRead(e);
            }
            reads.put(key, read);
        }
        if (read instanceof FailedRead failed) {
            throw failed.error();
        }
        return (T) read;
    }

    private record FailedRead(RuntimeException error) {
    }
}
