package io.opsgate.bench;

import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.FreePort;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/run}: the benchmark of issue #2 on a simulated fleet. The AWS simulator and the load generator
 * run in this JVM; the service runs as its own process ({@code java -jar opsgate.jar run}) so that its memory
 * is its own, next to a static server process that serves the same {@code /metrics} bytes as a baseline.
 */
public final class Bench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int STEADY_CYCLES = 3;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("bench: " + e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        String command = "bench/run" + (args.length == 0 ? "" : " " + String.join(" ", args));
        String report = run(options, command);
        Report.publish(options.outDir().resolve("report.md"), report);
        System.exit(0);
    }

    private static String run(BenchOptions o, String command) throws Exception {
        Files.createDirectories(o.outDir());
        Machine machine = Machine.current();
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        progress("machine: " + machine.summary() + "; load average " + machine.loadAverage());

        Vertx vertx = Vertx.vertx();
        AwsSimulator simulator = CollectionBench.await(AwsSimulator.start(vertx, SimulatorOptions.defaults()
                .withFleetSize(o.volumes(), o.instances()).withQuotasPerRegion(o.quotas())
                .withHealthChecksPerAccount(o.healthChecks()).withTargetsPerGroup(o.targetsPerGroup())
                .withLatency(Duration.ofMillis(o.latencyMs()))));
        try {
            if (o.cycleOnly()) {
                return cycleOnly(o, command, date, machine, vertx, simulator);
            }
            progress("collection: 1 warm-up + " + o.cycles() + " timed cycles in this JVM against " + simulator.endpoint());
            CollectionBench.Figures cycles = new CollectionBench().run(vertx, simulator, o.cycles(),
                    BenchConfig.everyCollector(simulator.endpoint(), "127.0.0.1:0", o.elbv2RequestsPerSecond()));
            progress(String.format("collection: median %.2f s, %d GetMetricData calls for %d queries",
                    Stats.median(cycles.collectNanos()) / 1e9, cycles.getMetricDataCalls(), cycles.queriesPerCycle()));

            Path config = o.outDir().resolve("service.yml");
            int servicePort = FreePort.pick();
            Files.writeString(config, BenchConfig.everyCollector(simulator.endpoint(), "127.0.0.1:" + servicePort,
                    o.elbv2RequestsPerSecond()));
            simulator.resetCounts();
            progress("service process: java " + String.join(" ", o.serviceJvmArgs()) + " -jar " + o.jar() + " run -c " + config);
            try (JvmProcess service = JvmProcess.start("opsgate", o.serviceJvmArgs(),
                    List.of("-jar", o.jar().toString(), "run", "-c", config.toString(), "--listen", "127.0.0.1:" + servicePort),
                    o.outDir().resolve("service.log"))) {
                String firstBody = awaitServing(service, servicePort);
                double firstCycle = ExpositionText.sum(firstBody, "opsgate_collection_duration_seconds");
                long firstCycleCalls = simulator.requestCount("GetMetricData");
                long rssBeforeScrapes = service.residentKiB()[0];

                Path plain = o.outDir().resolve("metrics.txt");
                Path gzip = o.outDir().resolve("metrics.txt.gz");
                Files.write(plain, get(servicePort, "/metrics", false));
                Files.write(gzip, get(servicePort, "/metrics", true));
                int staticPort = FreePort.pick();
                try (JvmProcess staticServer = JvmProcess.start("static server", o.serviceJvmArgs(),
                        List.of("-cp", System.getProperty("java.class.path"), StaticMetricsServer.class.getName(),
                                String.valueOf(staticPort), plain.toString(), gzip.toString()),
                        o.outDir().resolve("static.log"))) {
                    staticServer.awaitLog("listening", 60_000);
                    progress(String.format("scrapes: %d clients, %d rounds; service on :%d, static on :%d (%,d bytes plain, %,d gzip)",
                            o.clients(), o.rounds(), servicePort, staticPort, Files.size(plain), Files.size(gzip)));
                    Map<ScrapeBench.Encoding, Map<ScrapeBench.Target, ScrapeBench.Result>> scrapes =
                            new ScrapeBench(vertx, o).run(
                                    new ScrapeBench.Server(servicePort, service), new ScrapeBench.Server(staticPort, staticServer));
                    progress("memory: jcmd GC.run, GC.heap_info; /proc/" + service.pid() + "/status");
                    Memory afterScrapes = Memory.measure(service);
                    long staticRss = staticServer.residentKiB()[0];
                    service.close();
                    staticServer.close();
                    progress("memory: a fresh service process collecting every " + SteadyState.INTERVAL + ", until "
                            + STEADY_CYCLES + " cycles are done");
                    SteadyState.Figures steady = new SteadyState().run(o, simulator.endpoint(), STEADY_CYCLES);
                    return Report.render(new Report.Run(date, command, machine, machine.loadAverage(), Machine.currentLoadAverage(),
                            o, cycles, firstCycle, firstCycleCalls, scrapes,
                            new Report.Memories(rssBeforeScrapes, afterScrapes, steady, staticRss)));
                }
            }
        } finally {
            CollectionBench.await(simulator.stop());
            CollectionBench.await(vertx.close());
        }
    }

    /**
     * {@code --only cycle}: rounds of the issue #2 shape (its own simulator: the same volumes and instances, nothing
     * else, its three collectors) alternating with this shape, in this JVM, so that both see the same load; then the
     * first cycle of a service process of this shape.
     */
    private static String cycleOnly(BenchOptions o, String command, String date, Machine machine, Vertx vertx,
                                    AwsSimulator simulator) throws Exception {
        AwsSimulator baseline = CollectionBench.await(AwsSimulator.start(vertx, SimulatorOptions.defaults()
                .withFleetSize(o.volumes(), o.instances()).withQuotasPerRegion(0).withHealthChecksPerAccount(0)
                .withTargetsPerGroup(0).withLatency(Duration.ofMillis(o.latencyMs()))));
        try {
            List<CollectionBench.Figures> issue2 = new java.util.ArrayList<>();
            List<CollectionBench.Figures> shape = new java.util.ArrayList<>();
            for (int round = 1; round <= o.rounds(); round++) {
                progress("round " + round + "/" + o.rounds() + ": issue #2 shape, 1 warm-up + " + o.cycles() + " cycles");
                issue2.add(new CollectionBench().run(vertx, baseline, o.cycles(),
                        BenchConfig.issue2Collectors(baseline.endpoint(), "127.0.0.1:0")));
                progress("round " + round + "/" + o.rounds() + ": this shape, 1 warm-up + " + o.cycles() + " cycles");
                shape.add(new CollectionBench().run(vertx, simulator, o.cycles(),
                        BenchConfig.everyCollector(simulator.endpoint(), "127.0.0.1:0", o.elbv2RequestsPerSecond())));
            }
            Path config = o.outDir().resolve("service.yml");
            int servicePort = FreePort.pick();
            Files.writeString(config, BenchConfig.everyCollector(simulator.endpoint(), "127.0.0.1:" + servicePort,
                    o.elbv2RequestsPerSecond()));
            progress("service process: java " + String.join(" ", o.serviceJvmArgs()) + " -jar " + o.jar() + " run -c " + config);
            double firstCycle;
            double firstCollectors;
            try (JvmProcess service = JvmProcess.start("opsgate", o.serviceJvmArgs(),
                    List.of("-jar", o.jar().toString(), "run", "-c", config.toString(), "--listen", "127.0.0.1:" + servicePort),
                    o.outDir().resolve("service.log"))) {
                String body = awaitServing(service, servicePort);
                firstCycle = ExpositionText.sum(body, "opsgate_collection_duration_seconds");
                // Readiness waits for the first run of route53 and elbv2_targets too: the longest collector's run.
                firstCollectors = ExpositionText.samples(body, "opsgate_collector_duration_seconds").stream()
                        .mapToDouble(ExpositionText::value).max().orElse(Double.NaN);
            }
            return CycleReport.render(date, command, machine, Machine.currentLoadAverage(), o, issue2, shape, firstCycle,
                    firstCollectors);
        } finally {
            CollectionBench.await(baseline.stop());
        }
    }

    /** Waits until the service process has finished its first cycle and serves its data; returns that body. */
    private static String awaitServing(JvmProcess service, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.alive()) {
                throw new IllegalStateException("the service process exited; see its log");
            }
            try {
                HttpResponse<String> ready = HTTP.send(request(port, "/-/ready", false), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    String body = HTTP.send(request(port, "/metrics", false), HttpResponse.BodyHandlers.ofString()).body();
                    if (body.contains("aws_ebs_volume_info{")) {
                        return body;
                    }
                }
            } catch (java.io.IOException notListeningYet) {
                // the JVM is still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service process did not serve its first snapshot within 10 minutes");
    }

    private static byte[] get(int port, String path, boolean gzip) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(request(port, path, gzip), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode());
        }
        return response.body();
    }

    private static HttpRequest request(int port, String path, boolean gzip) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        return b.build();
    }

    private static void progress(String message) {
        System.out.println("bench: " + message);
    }
}
