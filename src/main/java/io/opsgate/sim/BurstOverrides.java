package io.opsgate.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BurstBalance values forced on chosen volumes from a moment on (the admin API's drain and refill), on top of
 * {@link MetricDynamics}' natural cycle. Each volume keeps its history of overrides, so a period before a drain still
 * shows the natural value and GetMetricData answers stay consistent with each other.
 */
final class BurstOverrides {

    /**
     * How far before an override's start a period may end and still show it: CloudWatch's newest datapoint is for a
     * period that began up to one period and one sample before "now", so the override reaches the very next
     * GetMetricData instead of one period later.
     */
    private static final long REACH_BACK_SECONDS = 2 * MetricDynamics.sampleSeconds(MetricDynamics.BURST_BALANCE);

    /**
     * A value from {@code since} on, falling by {@code percentPerSecond} (0: constant) down to 0; NaN means "back to
     * the natural cycle".
     */
    record Override(Instant since, double value, double percentPerSecond) {
        Override(Instant since, double value) {
            this(since, value, 0);
        }

        boolean natural() {
            return Double.isNaN(value);
        }

        /** The value at epoch second {@code t} (before {@code since}: the starting value). */
        double at(double t) {
            double elapsed = Math.max(0, t - since.getEpochSecond());
            return Math.round(Math.max(0, value - percentPerSecond * elapsed) * 1000) / 1000.0;
        }
    }

    private final Map<String, List<Override>> byVolume = new ConcurrentHashMap<>();

    void set(String volumeId, Instant since, double value) {
        set(volumeId, new Override(since, value));
    }

    /** From {@code since}, {@code from} percent falling by {@code percentPerSecond} to 0. */
    void drain(String volumeId, Instant since, double from, double percentPerSecond) {
        set(volumeId, new Override(since, from, percentPerSecond));
    }

    private void set(String volumeId, Override override) {
        Instant since = override.since();
        byVolume.compute(volumeId, (id, old) -> {
            List<Override> next = new ArrayList<>(old == null ? List.of() : old);
            // A later call replaces whatever was set for the same or a later moment (a clock that does not move).
            next.removeIf(o -> !o.since().isBefore(since));
            next.add(override);
            return List.copyOf(next);
        });
    }

    void release(String volumeId, Instant since) {
        if (byVolume.containsKey(volumeId)) {
            set(volumeId, new Override(since, Double.NaN));
        }
    }

    /** The override in force now, or null when the volume follows its natural cycle. */
    Override current(String volumeId) {
        List<Override> list = byVolume.get(volumeId);
        if (list == null || list.isEmpty() || list.get(list.size() - 1).natural()) {
            return null;
        }
        return list.get(list.size() - 1);
    }

    /**
     * The forced value for the period {@code [t, t + period)} of a volume, or NaN when it shows the natural value:
     * the newest override that started before the period ended (give or take {@link #REACH_BACK_SECONDS}).
     */
    double valueFor(String volumeId, long t, long period) {
        List<Override> list = byVolume.get(volumeId);
        if (list == null) {
            return Double.NaN;
        }
        long periodEnd = t + period + REACH_BACK_SECONDS;
        for (int k = list.size() - 1; k >= 0; k--) {
            Override o = list.get(k);
            if (o.since().getEpochSecond() < periodEnd) {
                // A falling value is averaged over the period as CloudWatch does: its value at the period's middle.
                return o.natural() ? o.value() : o.at(t + period / 2.0);
            }
        }
        return Double.NaN;
    }
}
