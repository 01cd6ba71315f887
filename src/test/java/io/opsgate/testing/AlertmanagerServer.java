package io.opsgate.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code prometheus-alertmanager} of one {@link PeerGeneration} on a loopback port (a child process or a
 * container, see {@link PeerRuntime}), not clustered ({@code --cluster.listen-address=} empty): several of them are
 * independent peers that each notify, the worst case of an HA pair whose gossip is partitioned.
 */
public final class AlertmanagerServer extends LoopbackServer {
    private final PeerGeneration generation;

    private AlertmanagerServer(PeerGeneration generation, ServerHandle process, int port, Path log) {
        super("alertmanager " + generation.alertmanagerVersion(), process, port, log);
        this.generation = generation;
    }

    /**
     * @param readDirs directories outside {@code workDir} the config refers to (token files), visible to a container
     */
    public static AlertmanagerServer start(PeerGeneration generation, String configYaml, Path workDir, Path... readDirs)
            throws Exception {
        Path binary = generation.alertmanager();
        Files.createDirectories(workDir);
        Path config = workDir.resolve("alertmanager.yml");
        Files.writeString(config, configYaml);
        Path log = workDir.resolve("alertmanager.log");
        int port = FreePort.pick();
        List<Path> dirs = new ArrayList<>(List.of(workDir.toAbsolutePath()));
        for (Path d : readDirs) {
            dirs.add(d.toAbsolutePath());
        }
        PeerCommand command = new PeerCommand("alertmanager", generation.alertmanagerImage().replaceFirst(".*:v", ""), binary,
                generation.alertmanagerImage(), "/bin/alertmanager", List.of(
                "--config.file=" + config.toAbsolutePath(),
                "--storage.path=" + workDir.toAbsolutePath().resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="), dirs,
                List.of(new PeerCommand.Mount(generation.alertmanagerTemplates(), PeerGeneration.DEBIAN_ALERTMANAGER_SHARE)));
        AlertmanagerServer am = new AlertmanagerServer(generation, PeerRuntime.selected().start(command, log), port, log);
        am.awaitStarted("/-/ready", Duration.ofSeconds(60));
        return am;
    }

    public PeerGeneration generation() {
        return generation;
    }

    /** Posts alerts (a JSON array in the API v2 {@code postableAlerts} shape) as Prometheus would. */
    public void pushAlerts(String jsonArray) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonArray)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("alertmanager refused alerts: " + r.statusCode() + " " + r.body());
        }
    }
}
