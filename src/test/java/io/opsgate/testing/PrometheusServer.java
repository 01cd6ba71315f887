package io.opsgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code prometheus} server of one {@link PeerGeneration}, on a loopback port, with a throw-away TSDB (a
 * child process or a container, see {@link PeerRuntime}): the peer the end-to-end tests assert through, via its
 * HTTP API.
 */
public final class PrometheusServer extends LoopbackServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PeerGeneration generation;

    private PrometheusServer(PeerGeneration generation, ServerHandle process, int port, Path log) {
        super("prometheus " + generation.prometheusVersion(), process, port, log);
        this.generation = generation;
    }

    /**
     * Starts Prometheus with the given prometheus.yml content and waits until it reports ready.
     *
     * @param readDirs directories outside {@code workDir} the config refers to (rule files), visible to a container
     */
    public static PrometheusServer start(PeerGeneration generation, String configYaml, Path workDir, Path... readDirs)
            throws Exception {
        Path binary = generation.prometheus();
        Files.createDirectories(workDir);
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, configYaml);
        Path log = workDir.resolve("prometheus.log");
        int port = FreePort.pick();
        List<Path> dirs = new ArrayList<>(List.of(workDir.toAbsolutePath()));
        for (Path d : readDirs) {
            dirs.add(d.toAbsolutePath());
        }
        PeerCommand command = new PeerCommand("prometheus", generation.prometheusImage().replaceFirst(".*:v", ""), binary,
                generation.prometheusImage(), "/bin/prometheus", List.of(
                "--config.file=" + config.toAbsolutePath(),
                "--storage.tsdb.path=" + workDir.toAbsolutePath().resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle"), dirs, List.of());
        PrometheusServer prometheus = new PrometheusServer(generation, PeerRuntime.selected().start(command, log), port, log);
        prometheus.awaitStarted("/-/ready", Duration.ofSeconds(60));
        return prometheus;
    }

    public PeerGeneration generation() {
        return generation;
    }

    /** GET an API path and return the JSON {@code data} field. */
    public JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException(pathAndQuery + " -> " + r.statusCode() + " " + r.body());
        }
        return body.get("data");
    }

    /** Instant query; returns the result vector. */
    public JsonNode query(String promql) throws Exception {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result");
    }

    /** Polls an instant query until the predicate holds on its result vector, or fails with the last result. */
    public JsonNode awaitQuery(String promql, Predicate<JsonNode> done, Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            return Awaitility.await(promql).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        last.set(query(promql));
                        return last.get();
                    }, done);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("query " + promql + " did not reach the expected state within " + timeout
                    + " on " + this + "; last result: " + last.get() + "\nprometheus log:\n" + log(), e);
        }
    }

    @Override
    public String toString() {
        return "prometheus " + generation.prometheusVersion() + " on " + uri("");
    }
}
