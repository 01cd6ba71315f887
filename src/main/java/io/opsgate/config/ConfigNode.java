package io.opsgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML node together with its key path, so that every typed read can fail with the exact line, column and
 * key of the value at fault. Scalar text is read with {@code ${VAR}} expanded.
 */
final class ConfigNode {
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,9}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final int MAX_QUOTED = 60;

    private final Node node;
    private final String path;
    private final ReadContext context;

    ConfigNode(Node node, String path, ReadContext context) {
        this.node = node;
        this.path = path;
        this.context = context;
    }

    String path() {
        return path;
    }

    ReadContext context() {
        return context;
    }

    ConfigNode child(String key, Node child) {
        return new ConfigNode(child, path.isEmpty() ? key : path + "." + key, context);
    }

    /** A child that is not in the document; errors about it point at this node, its parent. */
    ConfigNode absentChild(String key) {
        return child(key, node);
    }

    /** Another node at this path, for errors about a part of this node that has no path of its own. */
    ConfigNode at(Node other) {
        return new ConfigNode(other, path, context);
    }

    boolean isScalar() {
        return node instanceof ScalarNode;
    }

    ConfigException error(String message) {
        return origin().error(message);
    }

    /** Where this node is, for errors that another package reports about its value. */
    ConfigOrigin origin() {
        org.yaml.snakeyaml.error.Mark mark = node.getStartMark();
        boolean literal = node instanceof ScalarNode s
                && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.LITERAL;
        return mark == null ? new ConfigOrigin(context.source(), 0, 0, path, literal)
                : new ConfigOrigin(context.source(), mark.getLine() + 1, mark.getColumn() + 1, path, literal);
    }

    boolean isNull() {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** True for an unquoted, untagged scalar that YAML reads as a number or boolean. */
    boolean isUnquotedNonString() {
        return node instanceof ScalarNode s
                && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()) || Tag.BOOL.equals(s.getTag()));
    }

    ConfigMap map(List<String> knownKeys) throws ConfigException {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping with keys " + String.join(", ", knownKeys) + ", got " + describe());
        }
        return ConfigMap.read(this, m, knownKeys);
    }

    /**
     * A mapping whose keys are the user's own (tag keys, say) rather than config keys: key to value in document
     * order. Keys must be plain scalars and must not repeat; {@code description} completes "expected a mapping of ...".
     */
    java.util.LinkedHashMap<String, ConfigNode> freeMap(String description) throws ConfigException {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping of " + description + ", got " + describe());
        }
        java.util.LinkedHashMap<String, ConfigNode> out = new java.util.LinkedHashMap<>();
        for (org.yaml.snakeyaml.nodes.NodeTuple tuple : m.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw at(tuple.getKeyNode()).error("expected a plain key, got " + at(tuple.getKeyNode()).describe());
            }
            String key = keyNode.getValue();
            if (out.containsKey(key)) {
                throw child(key, keyNode).error("duplicate key " + quote(key));
            }
            out.put(key, child(key, tuple.getValueNode()));
        }
        return out;
    }

    /** The items of a list; {@code itemsDescription} completes "expected a list of ...". */
    List<ConfigNode> list(String itemsDescription) throws ConfigException {
        if (!(node instanceof SequenceNode seq)) {
            throw error("expected a list of " + itemsDescription + ", got " + describe());
        }
        List<ConfigNode> items = new ArrayList<>();
        for (Node item : seq.getValue()) {
            items.add(new ConfigNode(item, path + "[" + items.size() + "]", context));
        }
        return items;
    }

    /** The scalar's text with variables expanded. Never quotes the value in errors: it may be a secret. */
    String text() throws ConfigException {
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a string, got " + describe());
        }
        if (isNull()) {
            return "";
        }
        try {
            return context.env().expand(s.getValue());
        } catch (EnvInterpolator.Failure e) {
            throw error(e.getMessage());
        }
    }

    Duration duration() throws ConfigException {
        // "0" is a valid Prometheus duration; other bare numbers lack a unit.
        if (node instanceof ScalarNode s && Tag.INT.equals(s.getTag()) && !s.getValue().equals("0")) {
            throw error("expected a duration like 30s or 5m, got " + s.getValue()
                    + " (add a unit, e.g. " + s.getValue() + "s)");
        }
        String text = text();
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    int integer(int min, int max) throws ConfigException {
        String text = text();
        if (!INTEGER.matcher(text).matches()) {
            throw error("expected a whole number from " + min + " to " + max + ", got " + quote(text));
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw error("must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    double decimal(double min, double max) throws ConfigException {
        String text = text();
        if (!DECIMAL.matcher(text).matches()) {
            throw error("expected a number from " + min + " to " + max + ", got " + quote(text));
        }
        double value = Double.parseDouble(text);
        if (value < min || value > max) {
            throw error("must be from " + min + " to " + max + ", got " + text);
        }
        return value;
    }

    /** How the node looks, for "got ..." in messages: a quoted scalar, or the kind of collection. */
    String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull()) {
            return "nothing";
        }
        return quote(((ScalarNode) node).getValue());
    }

    static String quote(String value) {
        String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED - 3) + "..." : value;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
