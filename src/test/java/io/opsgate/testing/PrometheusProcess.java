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
import java.util.function.Predicate;

/**
 * A real {@code prometheus} server in a child process, on a loopback port, with a throw-away TSDB: the
 * peer the end-to-end tests assert through, via its HTTP API.
 */
public final class PrometheusProcess extends LocalServerProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusProcess(Process process, int port, Path log) {
        super("prometheus", process, port, log);
    }

    /** Starts Prometheus with the given prometheus.yml content and waits until it reports ready. */
    public static PrometheusProcess start(Path binary, String configYaml, Path workDir) throws Exception {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, configYaml);
        Path log = workDir.resolve("prometheus.log");
        int port = FreePort.pick();
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusProcess prometheus = new PrometheusProcess(process, port, log);
        prometheus.awaitStarted("/-/ready", Duration.ofSeconds(60));
        return prometheus;
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
    public JsonNode awaitQuery(String promql, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("query " + promql + " did not reach the expected state within " + timeout
                + "; last result: " + last + "\nprometheus log:\n" + log());
    }
}
