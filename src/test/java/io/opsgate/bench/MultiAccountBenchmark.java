package io.opsgate.bench;

import io.opsgate.OpsGateService;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * {@code bench/accounts}: collection cycle time with GetMetricData batches of one (account, region) run concurrently
 * ({@code collection.cloudwatch.concurrency}) against the sequential calls of before (concurrency 1), in one run, on
 * two fleets of the same total size: one account and region of 10,000 volumes and 5,000 instances, and 20 accounts x
 * 4 regions of 125 volumes and 63 instances each. For each fleet both services run in this JVM against one simulator
 * with the same latency on every AWS request; their timed cycles alternate (sequential, concurrent, concurrent,
 * sequential, ...) so that drift in the machine's load falls on both alike. Latency is set and calls are counted
 * through the simulator's admin API. Each fleet runs once with the common
 * latency on GetMetricData too and once with a slower GetMetricData of its own ({@code --getmetricdata-latency-ms}),
 * as a CloudWatch that takes longer to answer 500 queries than EC2 takes to list a page. Prints one Markdown table.
 */
public final class MultiAccountBenchmark {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2");

    record Shape(String name, int accounts, int regions, int volumesPerRegion, int instancesPerRegion) {
        int targets() {
            return accounts * regions;
        }
    }

    record Result(Shape shape, int getMetricDataLatencyMs, int concurrency, long[] cycleNanos, long getMetricDataCalls,
                  long maxInFlight, long totalCalls) {
    }

    private MultiAccountBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int latencyMs = Integer.parseInt(opt.get("latency-ms"));
        int cycles = Integer.parseInt(opt.get("cycles"));
        int concurrency = Integer.parseInt(opt.get("concurrency"));
        Path out = Path.of(opt.get("out"));
        Files.createDirectories(out);
        Machine machine = Machine.current();
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = machine.loadAverage();
        List<Shape> shapes = List.of(
                new Shape("1 account x 1 region", 1, 1, 10_000, 5_000),
                new Shape("20 accounts x 4 regions", 20, 4, 125, 63));
        List<Result[]> results = new ArrayList<>();
        List<Integer> slowCloudWatch = java.util.Arrays.stream(opt.get("getmetricdata-latency-ms").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        for (Shape shape : shapes) {
            for (int gmdLatency : slowCloudWatch) {
                results.add(run(shape, latencyMs, gmdLatency, cycles, concurrency));
            }
        }
        StringBuilder report = new StringBuilder();
        report.append("Machine: ").append(machine.summary()).append("; load average before ").append(loadBefore)
                .append(", after ").append(Machine.currentLoadAverage()).append(". ").append(started).append(".\n")
                .append("Command: `bench/accounts").append(args.length == 0 ? "" : " " + String.join(" ", args))
                .append("` (").append(latencyMs).append(" ms simulated latency on every AWS request, GetMetricData"
                        + " as well or with the latency of its own in the table, ")
                .append(cycles).append(" timed cycles per setting after a warm-up, collection.concurrency 8).\n\n")
                .append("| fleet | targets | volumes / instances | GetMetricData latency | GetMetricData calls per cycle | max calls in flight (seq / conc) "
                        + "| cycle, sequential (concurrency 1) | cycle, concurrent (concurrency ").append(concurrency)
                .append(") | ratio |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Result[] r : results) {
            Shape s = r[0].shape();
            double seq = Stats.median(r[0].cycleNanos()) / 1e9;
            double conc = Stats.median(r[1].cycleNanos()) / 1e9;
            int gmd = r[0].getMetricDataLatencyMs() == 0 ? latencyMs : r[0].getMetricDataLatencyMs();
            report.append(String.format(Locale.ROOT, "| %s | %d | %,d / %,d | %d ms | %d | %d / %d | %.2f s (%.2f-%.2f) | %.2f s (%.2f-%.2f) | %.2fx |%n",
                    s.name(), s.targets(), s.targets() * s.volumesPerRegion(), s.targets() * s.instancesPerRegion(), gmd,
                    r[1].getMetricDataCalls(), r[0].maxInFlight(), r[1].maxInFlight(),
                    seq, min(r[0].cycleNanos()), max(r[0].cycleNanos()),
                    conc, min(r[1].cycleNanos()), max(r[1].cycleNanos()), seq / conc));
        }
        report.append("\nMedians (min-max); ratio = sequential median / concurrent median. \"max calls in flight\" is"
                + " counted by the simulator over a whole cycle, all targets together.\n");
        Report.publish(out.resolve("accounts.md"), report.toString());
        System.exit(0);
    }

    /** Both settings on one fleet; [0] sequential, [1] concurrent. */
    private static Result[] run(Shape shape, int latencyMs, int getMetricDataLatencyMs, int cycles, int concurrency)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        AwsSimulator sim = await(AwsSimulator.start(vertx, SimulatorOptions.defaults()
                .withFleetSize(shape.volumesPerRegion(), shape.instancesPerRegion()).withAdmin("127.0.0.1", 0)));
        SimAdmin admin = new SimAdmin(sim.adminEndpoint());
        OpsGateService sequential = null;
        OpsGateService concurrent = null;
        try {
            progress(shape.name() + ": starting two services against " + sim.endpoint());
            sequential = await(OpsGateService.start(vertx, config(shape, sim.endpoint(), 1), Clock.systemUTC()));
            concurrent = await(OpsGateService.start(vertx, config(shape, sim.endpoint(), concurrency), Clock.systemUTC()));
            awaitReady(sequential);
            awaitReady(concurrent);
            // Latency from here on: the first cycles (STS sessions, fleet generation) are not timed anyway.
            admin.send("PUT", "/faults", "{\"latencyMs\": " + latencyMs + ", \"operationLatencyMs\": "
                    + (getMetricDataLatencyMs > 0 ? "{\"GetMetricData\": " + getMetricDataLatencyMs + "}" : "{}") + "}");
            String setting = shape.name() + (getMetricDataLatencyMs > 0 ? ", GetMetricData " + getMetricDataLatencyMs
                    + " ms" : "");
            OpsGateService[] services = {sequential, concurrent};
            long[][] nanos = new long[2][cycles];
            long[] calls = new long[2];
            long[] total = new long[2];
            long[] inFlight = new long[2];
            for (OpsGateService s : services) {
                await(s.collection().runAllOnce());
            }
            for (int i = 0; i < cycles; i++) {
                for (int k = 0; k < 2; k++) {
                    int which = i % 2 == 0 ? k : 1 - k;
                    admin.send("DELETE", "/requests", null);
                    long t0 = System.nanoTime();
                    await(services[which].collection().runAllOnce());
                    nanos[which][i] = System.nanoTime() - t0;
                    JsonObject counts = new JsonObject(admin.send("GET", "/requests", null));
                    JsonObject gmd = counts.getJsonObject("services").getJsonObject("cloudwatch")
                            .getJsonObject("GetMetricData");
                    calls[which] = gmd.getLong("count");
                    inFlight[which] = Math.max(inFlight[which], gmd.getLong("maxInFlight"));
                    total[which] = counts.getLong("total");
                }
                progress(String.format(Locale.ROOT, "%s: cycle %d: sequential %.2f s, concurrent %.2f s",
                        setting, i + 1, nanos[0][i] / 1e9, nanos[1][i] / 1e9));
            }
            if (calls[0] != calls[1]) {
                throw new IllegalStateException("the two settings made different GetMetricData calls: " + calls[0]
                        + " vs " + calls[1]);
            }
            return new Result[] {
                new Result(shape, getMetricDataLatencyMs, 1, nanos[0], calls[0], inFlight[0], total[0]),
                new Result(shape, getMetricDataLatencyMs, concurrency, nanos[1], calls[1], inFlight[1], total[1])};
        } finally {
            if (sequential != null) {
                await(sequential.stop());
            }
            if (concurrent != null) {
                await(concurrent.stop());
            }
            await(sim.stop());
            await(vertx.close());
        }
    }

    private static OpsGateConfig config(Shape shape, String endpoint, int cloudWatchConcurrency) throws Exception {
        StringBuilder accounts = new StringBuilder();
        for (int a = 0; a < shape.accounts(); a++) {
            accounts.append("  - name: bench-").append(a).append('\n')
                    .append("    role_arn: arn:aws:iam::").append(String.format("%012d", 300_000_000_000L + a))
                    .append(":role/opsgate-bench\n");
        }
        String yaml = """
                server:
                  listen: "127.0.0.1:0"
                collection:
                  interval: 1h
                  jitter: 0
                  collectors: [ebs, ec2, ec2_status]
                  cloudwatch: {concurrency: %d}
                aws:
                  regions: [%s]
                  endpoints: {ec2: "%s", cloudwatch: "%3$s", sts: "%3$s"}
                  credentials:
                    access_key_id: AKIAOPSGATEBENCH0000
                    secret_access_key: bench-secret-not-a-real-key
                accounts:
                %s""".formatted(cloudWatchConcurrency, String.join(", ", REGIONS.subList(0, shape.regions())),
                BenchConfig.byHostName(endpoint), accounts);
        return ConfigLoader.parse(yaml, "bench-accounts.yml", name -> null, Path.of("."));
    }

    private static void awaitReady(OpsGateService service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!(service.collection().ready()
                && service.metricsEndpoint().renderedVersion() >= service.snapshots().current().version())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("first collection cycle did not finish within 5 minutes");
            }
            Thread.sleep(20);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("latency-ms", "20", "cycles", "5", "concurrency", "5",
                "getmetricdata-latency-ms", "0,400", "out", "target/bench"));
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (key.equals("help") || key.equals("h") || !opt.containsKey(key) || i + 1 >= args.length) {
                System.err.println("usage: bench/accounts [--latency-ms N] [--getmetricdata-latency-ms N,N] [--cycles N]"
                        + " [--concurrency N] [--out DIR]");
                System.err.println("  --getmetricdata-latency-ms: settings to run, each a latency of GetMetricData's own"
                        + " (0: the common --latency-ms)");
                System.err.println("  defaults: " + opt);
                System.exit(key.equals("help") || key.equals("h") ? 0 : 2);
            }
            opt.put(key, args[++i]);
        }
        return opt;
    }

    private static double min(long[] v) {
        return java.util.Arrays.stream(v).min().orElse(0) / 1e9;
    }

    private static double max(long[] v) {
        return java.util.Arrays.stream(v).max().orElse(0) / 1e9;
    }

    /** The simulator's admin API over HTTP, as an operator or a test outside this JVM would use it. */
    private record SimAdmin(String base) {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        String send(String method, String path, String json) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return r.body();
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    }

    private static void progress(String message) {
        System.out.println("bench/accounts: " + message);
    }
}
