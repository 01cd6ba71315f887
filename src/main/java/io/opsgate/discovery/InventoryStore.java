package io.opsgate.discovery;

import io.opsgate.config.DiscoveryKind;
import io.opsgate.collect.TargetKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Holds the current {@link Inventory}; refreshes from many collection threads merge into it atomically. */
public final class InventoryStore {
    private final AtomicReference<Inventory> current = new AtomicReference<>(Inventory.EMPTY);

    public Inventory current() {
        return current.get();
    }

    public Inventory record(TargetKey target, Map<DiscoveryKind, List<Discovered>> refreshed) {
        return current.updateAndGet(i -> i.with(target, refreshed));
    }
}
