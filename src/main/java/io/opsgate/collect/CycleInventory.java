package io.opsgate.collect;

import io.opsgate.aws.RegionClients;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * with the same error, and is not retried within the cycle. Thread-safe: parts that run beside the others
 * ({@link CollectorPart#beside()}) share it; a read asked for from two threads at once is made once, the second caller
 * waiting for the first's result.
 */
final class CycleInventory {
    private final RegionClients clients;
    private final Ec2Reader ec2;
    private final RequestPacer elbv2Pacer;
    private final Instant deadline;
    private final Clock clock;
    private final ConcurrentHashMap<String, Read> reads = new ConcurrentHashMap<>();

    /** Unpaced ELBv2 calls and no deadline, for tests of the parts. */
    CycleInventory(RegionClients clients, Ec2Reader ec2) {
        this(clients, ec2, RequestPacer.realTime(1_000_000), Instant.MAX, Clock.systemUTC());
    }

    /**
     * @param elbv2Pacer paces every ELBv2 call of the (account, region), kept across its cycles
     * @param deadline   the cycle's: no paced call starts after it
     */
    CycleInventory(RegionClients clients, Ec2Reader ec2, RequestPacer elbv2Pacer, Instant deadline, Clock clock) {
        this.clients = clients;
        this.ec2 = ec2;
        this.elbv2Pacer = elbv2Pacer;
        this.deadline = deadline;
        this.clock = clock;
    }

    RequestPacer elbv2Pacer() {
        return elbv2Pacer;
    }

    Instant deadline() {
        return deadline;
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
        return shared("elasticloadbalancing:DescribeLoadBalancers",
                () -> Elbv2Reader.loadBalancers(clients.elbv2(), elbv2Pacer, deadline, clock));
    }

    /** Load balancer ARN → its tags, for every load balancer of this cycle (reads them first). */
    Map<String, List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag>> loadBalancerTags() {
        return shared("elasticloadbalancing:DescribeTags", () -> Elbv2Reader.tags(clients.elbv2(),
                loadBalancers().stream().map(LoadBalancer::loadBalancerArn).toList(), elbv2Pacer, deadline, clock));
    }

    /**
     * Every target group with its targets' health (DescribeTargetGroups, then DescribeTargetHealth per group), read by
     * the target's {@code reader}, which keeps the last read across cycles.
     */
    List<TargetGroupHealth> targetGroupHealth(TargetHealthReader reader) {
        return shared(TARGET_HEALTH, () -> reader.read(clients.elbv2(), deadline));
    }

    private static final String TARGET_HEALTH = "elasticloadbalancing:DescribeTargetHealth";

    /** The target groups' health if some part read it successfully this cycle, else null (discovery reuses it). */
    List<TargetGroupHealth> targetGroupHealthIfRead() {
        return ifRead(TARGET_HEALTH);
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
    List<Snapshot> ownSnapshotsIfRead() {
        return ifRead("ec2:DescribeSnapshots");
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
        Read read = reads.get(key);
        Object value = read == null ? null : read.done();
        return value == null || value instanceof FailedRead ? null : (T) value;
    }

    /**
     * Runs {@code call} the first time {@code key} is asked for in this cycle and remembers its result or its failure.
     * New shared reads (DescribeSnapshots, DescribeAddresses, load balancers...) are added as methods like the ones
     * above, each with its own key.
     */
    @SuppressWarnings("unchecked")
    <T> T shared(String key, Supplier<T> call) {
        Object value = reads.computeIfAbsent(key, k -> new Read()).get(call);
        if (value instanceof FailedRead failed) {
            throw failed.error();
        }
        return (T) value;
    }

    /** One read of the cycle: made by its first caller while later ones wait on the lock. */
    private static final class Read {
        /** Volatile so that {@link #done()} need not take the lock, which the first caller holds while it reads. */
        private volatile Object value;

        synchronized Object get(Supplier<?> call) {
            if (value == null) {
                try {
                    value = call.get();
                } catch (RuntimeException e) {
                    value = new FailedRead(e);
                }
            }
            return value;
        }

        /**
         * The result if the read is over, else null; never waits (the cycle's result asks while a part beside it may
         * still be making the read).
         */
        Object done() {
            return value;
        }
    }

    private record FailedRead(RuntimeException error) {
    }
}
