package io.opsgate.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The two generations of real peers every end-to-end test runs against: the stable pair (Debian stable's
 * {@code prometheus} 2.42 and {@code prometheus-alertmanager} 0.25, installed on the machine) and the current pair
 * (Debian unstable's 3.5.3, the 3.5 long-term-support line, and 0.33.1), which {@code .ci/fetch-peers} unpacks into
 * a cache outside {@code target/}. Each binary's {@code --version} is checked against its generation, so a test
 * named after 3.5 never silently runs 2.42.
 *
 * <p>A missing binary skips the test with the command that provides it; under {@code CI=true} it fails the test.
 */
public enum PeerGeneration {
    STABLE("2.42", "0.25", "v2.42.0", "v0.25.0"),
    CURRENT("3.5", "0.33", "v3.5.3", "v0.33.1");

    /** Debian package versions of the current pair; {@code .ci/fetch-peers} names the same (PeerGenerationTest). */
    public static final String CURRENT_PROMETHEUS_DEB = "3.5.3+ds1-6";
    public static final String CURRENT_ALERTMANAGER_DEB = "0.33.1-5";

    /** Where Debian's alertmanager reads its default.tmpl (a path compiled into the binary). */
    public static final Path DEBIAN_ALERTMANAGER_SHARE = Path.of("/usr/share/prometheus/alertmanager");

    private static final Map<Path, String> VERSIONS = new ConcurrentHashMap<>();

    private final String prometheusVersion;
    private final String alertmanagerVersion;
    private final String prometheusTag;
    private final String alertmanagerTag;

    PeerGeneration(String prometheusVersion, String alertmanagerVersion, String prometheusTag, String alertmanagerTag) {
        this.prometheusVersion = prometheusVersion;
        this.alertmanagerVersion = alertmanagerVersion;
        this.prometheusTag = prometheusTag;
        this.alertmanagerTag = alertmanagerTag;
    }

    /** major.minor of this generation's Prometheus, e.g. {@code 3.5}. */
    public String prometheusVersion() {
        return prometheusVersion;
    }

    public String alertmanagerVersion() {
        return alertmanagerVersion;
    }

    /** The official image of this generation's Prometheus, used when it can be pulled. */
    public String prometheusImage() {
        return "prom/prometheus:" + prometheusTag;
    }

    public String alertmanagerImage() {
        return "prom/alertmanager:" + alertmanagerTag;
    }

    public Path prometheus() {
        return binary(List.of("prometheus"), "prometheus", prometheusVersion, "prometheus");
    }

    public Path promtool() {
        return binary(List.of("promtool"), "promtool", prometheusVersion, this == STABLE ? "prometheus" : "promtool");
    }

    public Path alertmanager() {
        return binary(List.of("prometheus-alertmanager", "alertmanager"), "alertmanager", alertmanagerVersion,
                "prometheus-alertmanager");
    }

    public Path amtool() {
        return binary(List.of("amtool"), "amtool", alertmanagerVersion, "prometheus-alertmanager");
    }

    /** This generation's own Alertmanager templates (default.tmpl): its Debian package's share directory. */
    public Path alertmanagerTemplates() {
        return this == STABLE ? DEBIAN_ALERTMANAGER_SHARE
                : currentPeersBin().getParent().resolve("share").resolve("prometheus").resolve("alertmanager");
    }

    @Override
    public String toString() {
        return "prometheus " + prometheusVersion + " / alertmanager " + alertmanagerVersion;
    }

    /** Where the current pair's binaries live: {@code $OPSGATE_PEERS_DIR} or {@code ~/.cache/opsgate-peers}. */
    public static Path currentPeersBin() {
        String configured = System.getenv("OPSGATE_PEERS_DIR");
        Path root;
        if (configured != null && !configured.isBlank()) {
            root = Path.of(configured);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            root = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                    .resolve("opsgate-peers");
        }
        return root.resolve("prometheus-" + CURRENT_PROMETHEUS_DEB + "-alertmanager-" + CURRENT_ALERTMANAGER_DEB)
                .resolve("usr").resolve("bin");
    }

    private Path binary(List<String> names, String tool, String version, String debianPackage) {
        Optional<Path> found;
        String hint;
        if (this == STABLE) {
            found = ExternalBinary.find(names);
            hint = names + " not on PATH; install the Debian stable package '" + debianPackage + "'";
        } else {
            found = names.stream().map(currentPeersBin()::resolve)
                    .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
            hint = names.get(0) + " " + version + " not in " + currentPeersBin() + "; run .ci/fetch-peers (Debian sid's '"
                    + debianPackage + "')";
        }
        if (found.isEmpty()) {
            return ExternalBinary.missing(this + ": " + hint);
        }
        Path path = found.get();
        String reported = VERSIONS.computeIfAbsent(path, PeerGeneration::versionLine);
        // "prometheus, version 2.42.0+ds (...)", "amtool, version 0.25.0 (...)", "promtool, version 3.5.3+ds1 (...)"
        if (!reported.contains("version " + version + ".")) {
            return ExternalBinary.missing(this + ": " + path + " reports '" + reported + "', not " + tool + " " + version);
        }
        return path;
    }

    private static String versionLine(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().findFirst().orElse("").trim();
        } catch (Exception e) {
            return "(" + binary + " --version failed: " + e + ")";
        }
    }
}
