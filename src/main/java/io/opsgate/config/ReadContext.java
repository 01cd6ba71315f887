package io.opsgate.config;

import java.nio.file.Path;
import org.yaml.snakeyaml.error.Mark;

/**
 * What every node of one document shares: where it came from (for messages), how to expand variables, and where
 * relative {@code *_file} paths start.
 */
record ReadContext(String source, EnvInterpolator env, Path baseDir) {

    /** Builds the one-line {@code source:line:col: path: message} error every config problem is reported as. */
    ConfigException error(Mark mark, String path, String message) {
        String where = mark == null ? source : source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        return new ConfigException(oneLine(where + ": " + path + ": " + message));
    }

    /** Log lines and CLI output rely on one error per line, whatever a quoted value contains. */
    static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
