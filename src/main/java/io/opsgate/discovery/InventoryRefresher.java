package io.opsgate.discovery;

import io.opsgate.config.CollectorName;
import io.opsgate.config.DiscoveryKind;
import io.opsgate.aws.RegionClients;
import io.opsgate.collect.CycleListener;
import io.opsgate.collect.CycleResult;
import io.opsgate.collect.Elbv2Reads;
import io.opsgate.collect.TargetGroupHealth;
import io.opsgate.collect.TargetKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Refreshes the discovery inventory of one (account, region) after each collection cycle, on the cycle's worker
 * thread. Instances, DB instances and load balancers the cycle already described are reused; only the kinds
 * configured are read. Each kind fails alone: its previous list stays in the inventory and
 * {@code opsgate_discovery_up} drops to 0. The elbv2-targets kind follows the elbv2_targets collector when it is on:
 * while that collector is still reading beside the cycle its list is left as it is, and refreshed from the
 * collector's late result; with the collector off, its own ELBv2 reads go through the target's ELBv2 pacer.
 */
public final class InventoryRefresher implements CycleListener {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryRefresher.class);

    private final Set<DiscoveryKind> kinds;
    private final InventoryStore store;
    private final DiscoveryMetrics metrics;
    private final Clock clock;
    private final Runnable onChange;
    /** Zone name → zone id per target: fixed per account, so asked once (again only when a new zone shows up). */
    private final Map<TargetKey, Map<String, String>> zoneIds = new ConcurrentHashMap<>();

    /** @param onChange told after each change of the inventory (the target lists re-render) */
    public InventoryRefresher(Set<DiscoveryKind> kinds, InventoryStore store, DiscoveryMetrics metrics, Clock clock,
                              Runnable onChange) {
        this.onChange = onChange;
        this.kinds = Set.copyOf(kinds);
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void afterCycle(TargetKey target, RegionClients clients, CycleResult result, Instant deadline,
                           Elbv2Reads elbv2) {
        if (kinds.isEmpty()) {
            return;
        }
        try {
            refresh(target, clients, result, deadline, elbv2);
        } catch (RuntimeException e) {
            // A bug in turning AWS answers into targets must not cost the metrics cycle its results.
            LOG.error("{}/{} discovery refresh failed; serving the previous lists", target.accountId(), target.region(), e);
            kinds.forEach(kind -> metrics.failed(kind, target));
        }
    }

    private void refresh(TargetKey target, RegionClients clients, CycleResult result, Instant deadline,
                         Elbv2Reads elbv2) {
        Map<DiscoveryKind, List<Discovered>> refreshed = new EnumMap<>(DiscoveryKind.class);
        boolean elbv2Targets = kinds.contains(DiscoveryKind.ELBV2_TARGETS);
        if (result.late()) {
            // A beside part's own result: only the ELBv2 targets can have changed, and only if it read them.
            if (!elbv2Targets || !result.succeeded().containsKey(CollectorName.ELBV2_TARGETS)
                    && !result.failed().containsKey(CollectorName.ELBV2_TARGETS)) {
                return;
            }
        } else if (result.pending().contains(CollectorName.ELBV2_TARGETS)) {
            // The elbv2_targets collector is still reading (paced): its late result refreshes the list, so reading the
            // same target groups here would spend the account's ELBv2 rate twice. The previous list is served meanwhile.
            elbv2Targets = false;
        }
        boolean ec2 = kinds.contains(DiscoveryKind.EC2) && !result.late();
        List<Instance> instances = result.instances();
        if (instances == null && (ec2 || elbv2Targets)) {
            instances = attempt(DiscoveryKind.EC2, target, deadline, () -> describeInstances(clients));
        }
        List<Instance> known = instances;
        if (ec2 && known != null) {
            Map<String, String> zones = zoneIds(target, clients, known);
            put(refreshed, DiscoveryKind.EC2, target, Ec2Targets.of(target.accountId(), target.region(), known, zones));
        }
        if (kinds.contains(DiscoveryKind.RDS) && !result.late()) {
            put(refreshed, DiscoveryKind.RDS, target, attempt(DiscoveryKind.RDS, target, deadline,
                    () -> RdsTargets.of(target.accountId(), target.region(),
                            result.databases() != null ? result.databases() : describeDatabases(clients))));
        }
        if (elbv2Targets) {
            if (known == null || result.late() && result.targetGroups() == null) {
                // A late elbv2_targets failure keeps the previous list rather than reading the groups again here.
                metrics.failed(DiscoveryKind.ELBV2_TARGETS, target);
            } else {
                put(refreshed, DiscoveryKind.ELBV2_TARGETS, target, attempt(DiscoveryKind.ELBV2_TARGETS, target, deadline,
                        () -> elbv2Targets(target, elbv2, known, result.loadBalancers(), result.targetGroups())));
            }
        }
        metrics.served(store.record(target, refreshed));
        if (!refreshed.isEmpty()) {
            onChange.run();
        }
    }

    private void put(Map<DiscoveryKind, List<Discovered>> refreshed, DiscoveryKind kind, TargetKey target,
                     List<Discovered> items) {
        if (items != null) {
            refreshed.put(kind, items);
            metrics.refreshed(kind, target, clock.instant());
        }
    }

    /** Runs one read; null (and the kind marked down) when it fails or the cycle's time is up. */
    private <T> T attempt(DiscoveryKind kind, TargetKey target, Instant deadline, Supplier<T> read) {
        try {
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException("cycle timeout exceeded");
            }
            return read.get();
        } catch (RuntimeException e) {
            LOG.warn("{}/{} discovery {}: {}; serving its previous list", target.accountId(), target.region(),
                    kind.key(), e.toString().lines().findFirst().orElse(""));
            metrics.failed(kind, target);
            return null;
        }
    }

    private static List<Instance> describeInstances(RegionClients clients) {
        List<Instance> instances = new ArrayList<>();
        clients.ec2().describeInstancesPaginator(r -> r.maxResults(1000)).forEach(page -> {
            for (Reservation reservation : page.reservations()) {
                instances.addAll(reservation.instances());
            }
        });
        return instances;
    }

    /**
     * The zone ids of the target's account, asked once and again only when an instance sits in a zone not yet
     * known. A failure leaves ids empty, which is what Prometheus serves when DescribeAvailabilityZones is denied.
     */
    private Map<String, String> zoneIds(TargetKey target, RegionClients clients, List<Instance> instances) {
        Map<String, String> known = zoneIds.get(target);
        boolean complete = known != null && instances.stream()
                .allMatch(i -> i.placement() == null || known.containsKey(i.placement().availabilityZone()));
        if (complete) {
            return known;
        }
        try {
            Map<String, String> fresh = new HashMap<>();
            for (AvailabilityZone zone : clients.ec2().describeAvailabilityZones().availabilityZones()) {
                fresh.put(zone.zoneName(), zone.zoneId());
            }
            zoneIds.put(target, Map.copyOf(fresh));
            return fresh;
        } catch (RuntimeException e) {
            LOG.warn("{}/{} DescribeAvailabilityZones: {}; __meta_ec2_availability_zone_id stays empty",
                    target.accountId(), target.region(), e.toString().lines().findFirst().orElse(""));
            return known == null ? Map.of() : known;
        }
    }

    private static List<DBInstance> describeDatabases(RegionClients clients) {
        List<DBInstance> databases = new ArrayList<>();
        clients.rds().describeDBInstancesPaginator(r -> r.maxRecords(100))
                .forEach(page -> databases.addAll(page.dbInstances()));
        return databases;
    }

    /**
     * @param readByCycle       the load balancers the cycle read (the tags collector reads them), or null
     * @param groupsReadByCycle the target groups with their health the cycle read (the elbv2_targets collector), or null
     */
    private static List<Discovered> elbv2Targets(TargetKey target, Elbv2Reads elbv2, List<Instance> instances,
                                                 List<LoadBalancer> readByCycle,
                                                 List<TargetGroupHealth> groupsReadByCycle) {
        List<LoadBalancer> loadBalancers = readByCycle != null ? readByCycle : elbv2.loadBalancers();
        List<TargetGroupHealth> health = new ArrayList<>();
        if (groupsReadByCycle != null) {
            for (TargetGroupHealth group : groupsReadByCycle) {
                if (!group.group().loadBalancerArns().isEmpty()) {
                    health.add(group);
                }
            }
        } else {
            health = elbv2.attachedTargetGroupHealth();
        }
        Map<String, String> privateIps = new HashMap<>(instances.size() * 2);
        for (Instance i : instances) {
            if (i.privateIpAddress() != null) {
                privateIps.put(i.instanceId(), i.privateIpAddress());
            }
        }
        return Elbv2Targets.of(target.accountId(), target.region(), loadBalancers, health, privateIps);
    }
}
