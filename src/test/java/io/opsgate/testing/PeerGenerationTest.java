package io.opsgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's own facts: the fetch script and the harness name the same peers, and ldd is read right. */
class PeerGenerationTest {
    @Test
    void fetchScriptAndHarnessNameTheSameCurrentPeers() throws Exception {
        String script = Files.readString(Path.of(".ci", "fetch-peers"));
        assertThat(script).contains("PROMETHEUS_VERSION=" + PeerGeneration.CURRENT_PROMETHEUS_DEB + "\n")
                .contains("ALERTMANAGER_VERSION=" + PeerGeneration.CURRENT_ALERTMANAGER_DEB + "\n")
                .contains("opsgate-peers}")
                .contains("dir=\"$cache/prometheus-$PROMETHEUS_VERSION-alertmanager-$ALERTMANAGER_VERSION\"");
        assertThat(PeerGeneration.currentPeersBin().toString())
                .endsWith("prometheus-" + PeerGeneration.CURRENT_PROMETHEUS_DEB + "-alertmanager-"
                        + PeerGeneration.CURRENT_ALERTMANAGER_DEB + "/usr/bin");
        assertThat(PeerGeneration.CURRENT_PROMETHEUS_DEB).startsWith(PeerGeneration.CURRENT.prometheusVersion() + ".");
        assertThat(PeerGeneration.CURRENT_ALERTMANAGER_DEB).startsWith(PeerGeneration.CURRENT.alertmanagerVersion() + ".");
        assertThat(PeerGeneration.CURRENT.prometheusImage()).isEqualTo("prom/prometheus:v3.5.3");
        assertThat(PeerGeneration.CURRENT.alertmanagerImage()).isEqualTo("prom/alertmanager:v0.33.1");
    }

    @Test
    void lddOfADynamicBinaryListsLibcAndTheLoaderAsAbsolutePaths() {
        List<Path> libs = PeerContainer.linkedLibraries(Path.of("/bin/sh"));
        assertThat(libs).isNotEmpty().allMatch(Path::isAbsolute).allMatch(Files::exists)
                .anyMatch(p -> p.getFileName().toString().startsWith("libc.so"))
                .anyMatch(p -> p.getFileName().toString().startsWith("ld-linux"));
        assertThat(libs).noneMatch(p -> p.toString().contains("vdso"));
    }
}
