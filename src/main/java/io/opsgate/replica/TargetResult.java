package io.opsgate.replica;

import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.TargetKey;
import io.opsgate.config.CollectorName;
import io.opsgate.config.DiscoveryKind;
import io.opsgate.discovery.Discovered;
import java.util.List;
import java.util.Map;

/**
 * What the replica that collects one (account, region) publishes for the others after each cycle: the target's whole
 * part of its snapshot (every collector's last good families, not only this cycle's), its discovery lists, and the
 * up and last-success state of its collectors. Replacing a target's part with this makes any replica's snapshot equal
 * to the collecting replica's, even one that missed earlier publications.
 *
 * @param lastSuccess epoch seconds of each collector's last success
 * @param took        seconds of each collector's last successful run ({@code opsgate_collector_duration_seconds})
 */
record TargetResult(TargetKey target, Map<CollectorName, List<MetricFamily>> families,
                    Map<DiscoveryKind, List<Discovered>> inventory, Map<CollectorName, Boolean> up,
                    Map<CollectorName, Double> lastSuccess, Map<CollectorName, Double> took) {
    TargetResult {
        took = Map.copyOf(took);
        families = Map.copyOf(families);
        inventory = Map.copyOf(inventory);
        up = Map.copyOf(up);
        lastSuccess = Map.copyOf(lastSuccess);
    }
}
