package io.opsgate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The two amtool versions the matcher and routing differential tests compare with: 0.25 from Debian stable (on
 * PATH) and 0.33 from Debian sid, which {@code .ci/fetch-peers} unpacks under {@code $OPSGATE_PEERS_DIR} (default
 * {@code ~/.cache/opsgate-peers}). Missing: skipped locally, a failure under {@code CI=true}.
 */
public final class Amtools {
    public static final String STABLE = "0.25";
    public static final String CURRENT = "0.33";

    private Amtools() {
    }

    public static Path require(String version) {
        if (STABLE.equals(version)) {
            return ExternalBinary.require("amtool", "prometheus-alertmanager");
        }
        Path bin = peersRoot().resolve("prometheus-3.5.3+ds1-6-alertmanager-0.33.1-5/usr/bin/amtool");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        String message = "amtool " + version + " not at " + bin + "; run .ci/fetch-peers";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true and " + message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    public static List<String> versions() {
        return List.of(STABLE, CURRENT);
    }

    private static Path peersRoot() {
        String configured = System.getenv("OPSGATE_PEERS_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("opsgate-peers");
    }
}
