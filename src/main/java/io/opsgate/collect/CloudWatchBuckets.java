package io.opsgate.collect;

import io.opsgate.config.OpsGateConfig;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * The {@link QuerySchedule.Bucket} of each BurstBalance and CPU credit query, from the facts this cycle's inventory
 * has already read (type, size, credit mode); never makes a read of its own. A query whose resource is not in the
 * inventory gets no bucket and is read at every new period.
 */
final class CloudWatchBuckets {
    private CloudWatchBuckets() {
    }

    static Map<MetricQuery, QuerySchedule.Bucket> of(Collection<MetricQuery> queries, CycleInventory inventory,
                                                     OpsGateConfig.CostAware settings) {
        Map<String, Volume> volumes = new HashMap<>();
        for (Volume v : orEmpty(inventory.volumesIfRead())) {
            volumes.put(v.volumeId(), v);
        }
        Map<String, Instance> instances = new HashMap<>();
        for (Instance i : orEmpty(inventory.instancesIfRead())) {
            instances.put(i.instanceId(), i);
        }
        Map<String, String> modes = new HashMap<>();
        for (InstanceCreditSpecification c : orEmpty(inventory.creditSpecificationsIfRead())) {
            if (c.instanceId() != null && c.cpuCredits() != null) {
                modes.put(c.instanceId(), c.cpuCredits());
            }
        }
        Map<MetricQuery, QuerySchedule.Bucket> buckets = new HashMap<>();
        for (MetricQuery q : queries) {
            if (q.dimensions().size() != 1) {
                continue;
            }
            String id = q.dimensionValue();
            if (q.equals(EbsFamilies.burstBalance(id)) && volumes.containsKey(id)) {
                Volume v = volumes.get(id);
                double drain = BucketPhysics.burstBalanceDrainPercentPerSecond(v.volumeTypeAsString(), v.size());
                buckets.put(q, new QuerySchedule.Bucket(q, drain, settings.burstBalanceThreshold() * 100));
            } else if (isCreditQuery(q, id) && instances.containsKey(id)) {
                BucketPhysics.CreditSpec spec = BucketPhysics.creditSpec(instances.get(id).instanceTypeAsString());
                double drain = spec == null ? Double.NaN : spec.maxDrainPerSecond();
                // Unlimited instances are not slowed at a low balance: what changes for them is the surplus, which
                // can start only once the balance is spent.
                double threshold = "unlimited".equals(modes.get(id)) ? 0 : settings.cpuCreditThreshold();
                buckets.put(q, new QuerySchedule.Bucket(Ec2Families.CreditMetric.BALANCE.query(id), drain, threshold));
            }
        }
        return buckets;
    }

    private static boolean isCreditQuery(MetricQuery q, String id) {
        for (Ec2Families.CreditMetric m : Ec2Families.CreditMetric.values()) {
            if (q.equals(m.query(id))) {
                return true;
            }
        }
        return false;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
