package io.opsgate.collect;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the exporter knows at one moment: the last good families of each collector key, and which
 * targets have finished at least one cycle. Immutable; a new one replaces the old atomically.
 */
public record Snapshot(long version, Map<CollectorKey, List<MetricFamily>> families, Set<TargetKey> completed) {
    public static final Snapshot EMPTY = new Snapshot(0, Map.of(), Set.of());

    public Snapshot {
        families = Map.copyOf(families);
        completed = Set.copyOf(completed);
    }

    /** A new snapshot with the successful collectors of one cycle replaced; failed ones keep their old data. */
    Snapshot with(TargetKey target, Map<CollectorKey, List<MetricFamily>> succeeded) {
        Map<CollectorKey, List<MetricFamily>> next = new HashMap<>(families);
        next.putAll(succeeded);
        Set<TargetKey> done = new HashSet<>(completed);
        done.add(target);
        return new Snapshot(version + 1, next, done);
    }
}
