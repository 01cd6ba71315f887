package io.opsgate.collect;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns AWS tags into {@code tag_<Key>} labels, sanitised the way Prometheus's own EC2 discovery does it
 * (every character outside {@code [a-zA-Z0-9_]} becomes {@code _}), so joins written for
 * {@code __meta_ec2_tag_*} relabelling carry over.
 */
public final class TagLabels {
    private TagLabels() {
    }

    public static String sanitize(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            out.append(ok ? c : '_');
        }
        return out.toString();
    }

    /**
     * Tags as labels. Two keys that sanitise to the same name would make an invalid series; the
     * lexically first original key wins so the result is stable across cycles.
     */
    public static Labels of(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return Labels.EMPTY;
        }
        Map<String, String> byLabel = new TreeMap<>();
        new TreeMap<>(tags).forEach((key, value) -> byLabel.putIfAbsent("tag_" + sanitize(key), value));
        String[] names = byLabel.keySet().toArray(String[]::new);
        String[] values = byLabel.values().toArray(String[]::new);
        return Labels.of(names, values);
    }
}
