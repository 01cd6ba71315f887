package io.opsgate.collect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the exporter knows at one moment: the last good families of each collector key. Immutable; a new one
 * replaces the old atomically. (Readiness, "every target has finished a cycle", is the collection loop's.)
 */
public record Snapshot(long version, Map<CollectorKey, List<MetricFamily>> families) {
    public static final Snapshot EMPTY = new Snapshot(0, Map.of());

    public Snapshot {
        families = Map.copyOf(families);
    }

    /** A new snapshot with the successful collectors of one cycle replaced; failed ones keep their old data. */
    Snapshot with(TargetKey target, Map<CollectorKey, List<MetricFamily>> succeeded) {
        Map<CollectorKey, List<MetricFamily>> next = new HashMap<>(families);
        next.putAll(succeeded);
        return new Snapshot(version + 1, next);
    }
}
