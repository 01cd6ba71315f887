package io.opsgate.bench;

import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Memory of a service process that keeps collecting: a fresh process on the shortest interval the config
 * allows, scraped once a second as a Prometheus would (gzip), measured after a few cycles. A cycle holds the old
 * snapshot while it builds the new one, so this is the heap peak a long-running service sees.
 */
final class SteadyState {
    static final String INTERVAL = "10s";

    record Figures(int cycles, Memory memory) {
    }

    private final HttpClient http = HttpClient.newHttpClient();

    Figures run(BenchOptions o, String simulatorEndpoint, int cycles) throws Exception {
        int port = FreePort.pick();
        Path config = o.outDir().resolve("service-steady.yml");
        Files.writeString(config, BenchConfig.yaml(simulatorEndpoint, "127.0.0.1:" + port, INTERVAL));
        try (JvmProcess service = JvmProcess.start("opsgate (steady state)", o.serviceJvmArgs(),
                List.of("-jar", o.jar().toString(), "run", "-c", config.toString()), o.outDir().resolve("service-steady.log"))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            double done = 0;
            while (done < cycles) {
                if (System.nanoTime() > deadline || !service.alive()) {
                    throw new IllegalStateException("steady-state service did not finish " + cycles + " cycles; see its log");
                }
                Thread.sleep(1000);
                done = cyclesDone(port);
            }
            return new Figures((int) done, Memory.measure(service));
        }
    }

    private double cyclesDone(int port) throws Exception {
        try {
            // Accept-Encoding as Prometheus sends it on every scrape: the service keeps a plain body only for a
            // client that asks for one, so a scraper without it would measure a memory Prometheus never causes.
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/metrics")).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            if (response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
                try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            return ExpositionText.sum(new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                    "opsgate_collection_cycles_total");
        } catch (java.io.IOException notListeningYet) {
            return 0;
        }
    }
}
