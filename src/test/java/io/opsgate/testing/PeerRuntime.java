package io.opsgate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the peers (Prometheus, Alertmanager) run: as Testcontainers containers when a Docker engine answers, else as
 * child processes. {@code -Dopsgate.peers=} (or {@code OPSGATE_PEERS}) {@code auto} (the default), {@code container}
 * (Docker must answer, or the test fails) or {@code process}.
 */
public enum PeerRuntime {
    PROCESS,
    CONTAINER;

    private static volatile PeerRuntime selected;

    public static PeerRuntime selected() {
        PeerRuntime s = selected;
        if (s == null) {
            synchronized (PeerRuntime.class) {
                if (selected == null) {
                    selected = choose();
                }
                s = selected;
            }
        }
        return s;
    }

    private static PeerRuntime choose() {
        String wanted = System.getProperty("opsgate.peers", System.getenv().getOrDefault("OPSGATE_PEERS", "auto"))
                .trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "process":
                return PROCESS;
            case "container":
                if (!PeerContainer.dockerAnswers()) {
                    throw new IllegalStateException("opsgate.peers=container but no Docker engine answers");
                }
                return CONTAINER;
            case "auto":
                return PeerContainer.dockerAnswers() ? CONTAINER : PROCESS;
            default:
                throw new IllegalArgumentException("opsgate.peers must be auto, container or process, not " + wanted);
        }
    }

    /** Starts the peer; its output (stdout and stderr) goes to {@code log}. */
    public ServerHandle start(PeerCommand command, Path log) throws Exception {
        Files.createDirectories(log.getParent());
        if (this == CONTAINER) {
            return PeerContainer.start(command, log);
        }
        List<String> line = new ArrayList<>();
        List<PeerCommand.Mount> elsewhere = command.packageData().stream()
                .filter(m -> !m.source().toAbsolutePath().normalize().equals(m.target())).toList();
        if (!elsewhere.isEmpty()) {
            line.addAll(privateMounts(command, elsewhere));
        }
        line.add(command.binary().toString());
        line.addAll(command.args());
        return ServerHandle.of(new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
    }

    /**
     * A binary unpacked outside / (the current pair, from .ci/fetch-peers) still reads its package data at the fixed
     * Debian path. As root, {@code unshare -m} gives the process a private mount namespace in which its own package's
     * files are bind-mounted there; the machine's files stay as they are. Without root it reads what the machine has at
     * that path (the stable package's templates, which parse in every version).
     */
    private static List<String> privateMounts(PeerCommand command, List<PeerCommand.Mount> mounts) {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || ExternalBinary.find(List.of("unshare")).isEmpty()) {
            return List.of();
        }
        StringBuilder script = new StringBuilder("set -e; ");
        for (PeerCommand.Mount m : mounts) {
            script.append("mkdir -p '").append(m.target()).append("'; mount --bind '").append(m.source()).append("' '")
                    .append(m.target()).append("'; ");
        }
        script.append("exec \"$@\"");
        return List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script.toString(), command.name());
    }
}
