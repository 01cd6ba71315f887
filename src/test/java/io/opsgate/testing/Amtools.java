package io.opsgate.testing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The two amtool versions the matcher and routing differential tests compare with, by Alertmanager version: 0.25
 * (Debian stable, on PATH) and 0.33 (Debian sid, from {@code .ci/fetch-peers}); found and version-checked by
 * {@link PeerGeneration#amtool()}. Missing: skipped locally, a failure under {@code CI=true}.
 */
public final class Amtools {
    public static final String STABLE = PeerGeneration.STABLE.alertmanagerVersion();
    public static final String CURRENT = PeerGeneration.CURRENT.alertmanagerVersion();

    private Amtools() {
    }

    public static Path require(String version) {
        return Arrays.stream(PeerGeneration.values()).filter(g -> g.alertmanagerVersion().equals(version)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no peer generation has alertmanager " + version))
                .amtool();
    }

    public static List<String> versions() {
        return List.of(STABLE, CURRENT);
    }
}
