package io.opsgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML mapping whose keys were checked against the keys allowed at its place: unknown keys fail with a
 * suggestion and duplicate keys fail instead of silently keeping the last value, as plain YAML loaders do.
 */
final class ConfigMap {
    private final ConfigNode self;
    private final Map<String, ConfigNode> values;

    private ConfigMap(ConfigNode self, Map<String, ConfigNode> values) {
        this.self = self;
        this.values = values;
    }

    static ConfigMap read(ConfigNode self, MappingNode mapping, List<String> knownKeys) throws ConfigException {
        Map<String, ConfigNode> values = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                ConfigNode keyAt = self.at(tuple.getKeyNode());
                throw keyAt.error("expected a plain key name, got " + keyAt.describe());
            }
            String key = keyNode.getValue();
            ConfigNode keyAt = self.child(key, keyNode);
            if ("<<".equals(key)) {
                throw keyAt.error("YAML merge keys (<<) are not supported; repeat the keys instead");
            }
            if (!knownKeys.contains(key)) {
                throw keyAt.error("unknown key " + ConfigNode.quote(key) + Suggestions.hint(key, knownKeys));
            }
            if (firstLine.containsKey(key)) {
                throw keyAt.error("duplicate key " + ConfigNode.quote(key)
                        + " (first set on line " + firstLine.get(key) + ")");
            }
            firstLine.put(key, keyNode.getStartMark().getLine() + 1);
            values.put(key, self.child(key, tuple.getValueNode()));
        }
        return new ConfigMap(self, values);
    }

    /** Stands in for a section that is absent, so section readers need no special case. */
    static ConfigMap empty(ConfigNode self) {
        return new ConfigMap(self, Map.of());
    }

    ConfigNode node() {
        return self;
    }

    /**
     * The value of {@code key}, or null when it is not set. A YAML null and a value that is empty after
     * interpolation count as not set, so {@code ${VAR:-}} can switch an option off.
     */
    ConfigNode find(String key) throws ConfigException {
        ConfigNode value = values.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isScalar() && value.text().isEmpty()) {
            return null;
        }
        return value;
    }

    /** The mapping under {@code key}, or an empty one positioned at this mapping when the section is absent. */
    ConfigMap section(String key, List<String> knownKeys) throws ConfigException {
        ConfigNode value = find(key);
        return value == null ? empty(self.absentChild(key)) : value.map(knownKeys);
    }
}
