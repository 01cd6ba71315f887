package io.opsgate.collect;

import io.opsgate.config.CollectorName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * One collection cycle of one (account, region). Blocking: runs on a worker thread. The inventory calls
 * of each collector are isolated (one failing leaves the others' results intact); the CloudWatch reads of
 * all collectors are planned together so the whole target costs ⌈queries/500⌉ GetMetricData calls. The deadline is
 * checked before each step and, inside the CloudWatch step, before each call: a collector whose step it stops fails
 * and keeps its previous data in the snapshot.
 */
final class TargetCycle {
    private static final Logger LOG = LoggerFactory.getLogger(TargetCycle.class);

    private final TargetKey target;
    private final Set<CollectorName> enabled;
    private final Ec2Reader ec2;
    private final CloudWatchFetcher cloudWatch;
    private final Clock clock;

    TargetCycle(TargetKey target, Set<CollectorName> enabled, Ec2Reader ec2, CloudWatchFetcher cloudWatch, Clock clock) {
        this.target = target;
        this.enabled = enabled;
        this.ec2 = ec2;
        this.cloudWatch = cloudWatch;
        this.clock = clock;
    }

    CycleResult run(Instant deadline) {
        Instant started = clock.instant();
        Map<CollectorName, String> failed = new EnumMap<>(CollectorName.class);
        Map<CollectorName, List<MetricFamily>> succeeded = new EnumMap<>(CollectorName.class);

        List<Volume> volumes = read(CollectorName.EBS, failed, deadline, ec2::volumes);
        List<Instance> instances = read(CollectorName.EC2, failed, deadline, ec2::instances);
        List<InstanceCreditSpecification> creditSpecs = instances == null ? null
                : read(CollectorName.EC2, failed, deadline, () -> ec2.creditSpecifications(Ec2Families.burstableIds(instances)));
        List<InstanceStatus> statuses = read(CollectorName.EC2_STATUS, failed, deadline, ec2::instanceStatuses);

        Map<CollectorName, List<MetricQuery>> plan = new LinkedHashMap<>();
        if (volumes != null) {
            plan.put(CollectorName.EBS, EbsFamilies.queries(volumes));
        }
        if (instances != null && creditSpecs != null) {
            plan.put(CollectorName.EC2, Ec2Families.queries(instances));
        }
        Map<MetricQuery, Double> values = readCloudWatch(plan, failed, deadline);

        if (volumes != null && !failed.containsKey(CollectorName.EBS)) {
            succeeded.put(CollectorName.EBS, EbsFamilies.build(target, volumes, values));
        }
        if (instances != null && creditSpecs != null && !failed.containsKey(CollectorName.EC2)) {
            succeeded.put(CollectorName.EC2, Ec2Families.build(target, instances, creditSpecs, values));
        }
        if (statuses != null) {
            succeeded.put(CollectorName.EC2_STATUS, StatusFamilies.build(target, statuses));
        }
        return new CycleResult(target, succeeded, failed, Duration.between(started, clock.instant()), instances);
    }

    private Map<MetricQuery, Double> readCloudWatch(Map<CollectorName, List<MetricQuery>> plan,
                                                    Map<CollectorName, String> failed, Instant deadline) {
        List<MetricQuery> all = new ArrayList<>();
        plan.values().forEach(all::addAll);
        if (all.isEmpty()) {
            return Map.of();
        }
        try {
            checkDeadline(deadline);
            return cloudWatch.fetchNewest(all, deadline);
        } catch (RuntimeException e) {
            String reason = "GetMetricData: " + describe(e);
            LOG.warn("{}/{}: {}", target.accountId(), target.region(), reason);
            plan.keySet().forEach(c -> failed.put(c, reason));
            return Map.of();
        }
    }

    /** Runs one inventory read if its collector is on and has not failed yet; null means "no data". */
    private <T> T read(CollectorName collector, Map<CollectorName, String> failed, Instant deadline, Supplier<T> call) {
        if (!enabled.contains(collector) || failed.containsKey(collector)) {
            return null;
        }
        try {
            checkDeadline(deadline);
            return call.get();
        } catch (RuntimeException e) {
            String reason = describe(e);
            LOG.warn("{}/{} {}: {}", target.accountId(), target.region(), collector.key(), reason);
            failed.put(collector, reason);
            return null;
        }
    }

    private void checkDeadline(Instant deadline) {
        if (clock.instant().isAfter(deadline)) {
            throw new CycleTimeoutException("cycle timeout exceeded");
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
