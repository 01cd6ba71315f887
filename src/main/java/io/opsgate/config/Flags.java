package io.opsgate.config;

/** Reads YAML booleans strictly: {@code true} or {@code false}, not "yes", "on" or 1. */
final class Flags {
    private Flags() {
    }

    static boolean read(ConfigNode node) throws ConfigException {
        String text = node.isScalar() ? node.text() : null;
        if ("true".equals(text)) {
            return true;
        }
        if ("false".equals(text)) {
            return false;
        }
        throw node.error("expected true or false, got " + node.describe());
    }
}
