package io.opsgate.discovery;

import io.opsgate.config.DiscoveryKind;
import io.opsgate.collect.TargetKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything discovery knows at one moment: the last good list of each kind for each (account, region). Immutable;
 * a new one replaces the old atomically. A kind whose refresh failed keeps its previous list, so Prometheus keeps its
 * targets through an AWS outage instead of dropping them.
 */
public final class Inventory {
    public static final Inventory EMPTY = new Inventory(0, Map.of());
    private static final Comparator<TargetKey> ORDER =
            Comparator.comparing(TargetKey::accountId).thenComparing(TargetKey::region);

    private final long version;
    private final Map<TargetKey, Map<DiscoveryKind, List<Discovered>>> parts;
    private final Map<DiscoveryKind, List<Discovered>> byKind;

    private Inventory(long version, Map<TargetKey, Map<DiscoveryKind, List<Discovered>>> parts) {
        this.version = version;
        this.parts = parts;
        Map<DiscoveryKind, List<Discovered>> all = new EnumMap<>(DiscoveryKind.class);
        Map<TargetKey, Map<DiscoveryKind, List<Discovered>>> ordered = new TreeMap<>(ORDER);
        ordered.putAll(parts);
        for (Map<DiscoveryKind, List<Discovered>> part : ordered.values()) {
            part.forEach((kind, items) -> all.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(items));
        }
        all.replaceAll((kind, items) -> List.copyOf(items));
        this.byKind = all;
    }

    public long version() {
        return version;
    }

    /** Every item of a kind across accounts and regions, ordered by account, region, then as AWS listed them. */
    public List<Discovered> items(DiscoveryKind kind) {
        return byKind.getOrDefault(kind, List.of());
    }

    /** The lists of one (account, region), by kind; empty when none was refreshed yet. */
    public Map<DiscoveryKind, List<Discovered>> part(TargetKey target) {
        return parts.getOrDefault(target, Map.of());
    }

    /** A new inventory with the kinds refreshed for one target replaced; other kinds and targets are kept. */
    Inventory with(TargetKey target, Map<DiscoveryKind, List<Discovered>> refreshed) {
        if (refreshed.isEmpty()) {
            return this;
        }
        Map<TargetKey, Map<DiscoveryKind, List<Discovered>>> next = new HashMap<>(parts);
        Map<DiscoveryKind, List<Discovered>> part = new EnumMap<>(DiscoveryKind.class);
        part.putAll(parts.getOrDefault(target, Map.of()));
        refreshed.forEach((kind, items) -> part.put(kind, List.copyOf(items)));
        next.put(target, Map.copyOf(part));
        return new Inventory(version + 1, Map.copyOf(next));
    }
}
