package io.opsgate.collect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one rule by which AWS tags become labels, on every surface ({@code tag_<Key>} on {@code /metrics} info
 * metrics, {@code __meta_ec2_tag_<Key>} and {@code __meta_rds_tag_<Key>} on {@code /sd/...}), and it is Prometheus's
 * own {@code ec2_sd_config} rule (discovery/aws/ec2.go): every character outside {@code [a-zA-Z0-9_]} becomes
 * {@code _}; tags are taken in the order AWS lists them, a tag without a key or a value is skipped, and when two keys
 * sanitise to the same name ({@code team-name}, {@code team.name}) the one listed later overwrites the earlier. So
 * joins between scraped targets and {@code _info} metrics agree, and relabelling written for Prometheus carries over.
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
     * Label name ({@code prefix} + sanitised key) to value for a resource's tags, by the rule above.
     *
     * @param tags  the tags as the AWS API listed them
     * @param key   a tag's key (may be null)
     * @param value a tag's value (may be null)
     */
    public static <T> Map<String, String> labels(String prefix, List<T> tags, Function<T, String> key,
                                                 Function<T, String> value) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (T tag : tags) {
            String k = key.apply(tag);
            String v = value.apply(tag);
            if (k != null && v != null) {
                labels.put(prefix + sanitize(k), v);
            }
        }
        return labels;
    }
}
