package io.opsgate.config;

import java.util.OptionalInt;

/**
 * Where a value sits in the configuration file: source name, 1-based line and column (0 when unknown) and its key
 * path. Config records keep the origin of every value whose meaning belongs to another package (route matchers,
 * message templates, http_sd query parameters), so that package can validate the value and still report
 * {@code file:line:col: key: message}, with {@link #error(String)}.
 *
 * <p>Why positions rather than validation hooks: {@code config} turns YAML into plain records and imports no
 * capability package (an ArchUnit test enforces it). The package that owns a syntax (alerts.routing for matchers,
 * alerts.template for templates, discovery for queries) parses it, and positions travel with the records; no
 * callback type is needed, and {@link ConfigLoader}'s API stays the same for every caller. The composition root
 * ({@code io.opsgate.ConfigCheck}) runs every such check once at load time, for {@code check-config} and {@code run}.
 *
 * @param literalBlock whether the value is a literal block scalar ({@code |}), whose lines map to file lines
 */
public record ConfigOrigin(String source, int line, int column, String path, boolean literalBlock) {
    /** For values built in code rather than read from a file (defaults, tests). */
    public static final ConfigOrigin NONE = new ConfigOrigin("(built in)", 0, 0, "", false);

    /** The one-line {@code source:line:col: path: message} error every config problem is reported as. */
    public ConfigException error(String message) {
        String where = line <= 0 ? source : source + ":" + line + ":" + column;
        return new ConfigException(ReadContext.oneLine(where + ": " + (path.isEmpty() ? "(top level)" : path) + ": "
                + message));
    }

    /** For a literal block scalar, the 1-based line in the file of its {@code n}-th (1-based) content line. */
    public OptionalInt fileLine(int n) {
        return literalBlock && line > 0 ? OptionalInt.of(line + n) : OptionalInt.empty();
    }
}
