package io.opsgate.collect;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Holds the current {@link Snapshot}; writers from many collection threads merge into it atomically. */
public final class SnapshotStore {
    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);

    public Snapshot current() {
        return current.get();
    }

    public Snapshot record(TargetKey target, Map<CollectorKey, List<MetricFamily>> succeeded) {
        return current.updateAndGet(s -> s.with(target, succeeded));
    }
}
