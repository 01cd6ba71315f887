package io.opsgate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every node of one document shares: where it came from (for messages), how to expand variables, and where
 * relative {@code *_file} paths start, and the warnings gathered while reading it (mutable, one load only).
 */
record ReadContext(String source, EnvInterpolator env, Path baseDir, List<String> warnings) {
    ReadContext(String source, EnvInterpolator env, Path baseDir) {
        this(source, env, baseDir, new ArrayList<>());
    }


    /** Log lines and CLI output rely on one error per line, whatever a quoted value contains. */
    static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
