package io.opsgate.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds binaries on PATH that tests run (the peers themselves go through {@link PeerGeneration}).
 * Under {@code CI=true} a missing binary fails the test: CI installs them, so absence is a broken
 * machine, never a reason to skip. On a developer machine the test is skipped with the install hint.
 */
public final class ExternalBinary {
    private ExternalBinary() {
    }

    public static Path require(String name, String debianPackage) {
        return require(List.of(name), debianPackage);
    }

    /** The first of the candidate names found on PATH (Debian renames some, e.g. prometheus-alertmanager). */
    public static Path require(List<String> names, String debianPackage) {
        Optional<Path> found = find(names);
        if (found.isPresent()) {
            return found.get();
        }
        return missing(names + " not on PATH; install the Debian package '" + debianPackage + "'");
    }

    /** Skips the running test with {@code message}; under {@code CI=true} fails it instead. Never returns. */
    public static <T> T missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true and " + message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    static Optional<Path> find(List<String> names) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
