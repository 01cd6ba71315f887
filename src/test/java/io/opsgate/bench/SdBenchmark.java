package io.opsgate.bench;

import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The http_sd benchmark of issue #3: {@code /sd/ec2} over 10,000 instances in 5 accounts x 4 regions. The AWS
 * simulator and the load generator run in this JVM; the service runs as users run it
 * ({@code java -jar target/opsgate.jar run}) in its own JVM. First serving alone (after its first collection), then once
 * more while it collects the whole fleet every 20 s, so collection rounds and their garbage fall inside the measured
 * window. Clients read each body in full and discard it. Prints one Markdown table: response bytes, median and p99
 * latency and throughput per scenario, with each median's ratio to the full list with 4 clients.
 */
public final class SdBenchmark {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2",
            "eu-central-1", "ca-central-1", "sa-east-1", "ap-northeast-1");
    private static final Pattern CYCLES = Pattern.compile("(?m)^opsgate_collection_cycles_total\\{[^}]*} ([0-9.e+]+)");

    private SdBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int accounts = Integer.parseInt(opt.get("accounts"));
        int regions = Integer.parseInt(opt.get("regions"));
        int perRegion = Integer.parseInt(opt.get("instances"));
        int concurrency = Integer.parseInt(opt.get("concurrency"));
        int seconds = Integer.parseInt(opt.get("seconds"));

        Vertx vertx = Vertx.vertx();
        AwsSimulator sim = AwsSimulator.start(vertx, SimulatorOptions.defaults().withFleetSize(0, perRegion))
                .toCompletionStage().toCompletableFuture().get();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Row> rows = new ArrayList<>();
        String header;
        try {
            // Phase 1: serving alone. The service collects once at start, then not again within the hour.
            try (Service service = Service.start(opt, "1h", sim.endpoint())) {
                awaitReady(http, service);
                String base = service.base;
                // A query never asked before is rendered on demand (distinct ports make distinct queries).
                List<Long> cold = new ArrayList<>();
                long coldBytes = 0;
                for (int i = 1; i <= 7; i++) {
                    long t0 = System.nanoTime();
                    coldBytes = fetch(http, request(base + "/sd/ec2?port=" + (9100 + i), false));
                    cold.add(System.nanoTime() - t0);
                }
                rows.add(Row.of("first request of a new query (rendered on demand)", 1, coldBytes, cold, 0));
                String full = base + "/sd/ec2?port=9100";
                rows.add(load(http, "full list, identity (what Prometheus sends)", full, false, concurrency, seconds));
                rows.add(load(http, "full list, Accept-Encoding: gzip", full, true, concurrency, seconds));
                rows.add(load(http, "filtered job: port_tag + tag.Environment=prod",
                        base + "/sd/ec2?port_tag=prometheus_port&port=9100&tag.Environment=prod", false, concurrency, seconds));
                rows.add(load(http, "full list, identity, 2 clients (an HA pair)", full, false, 2, seconds));
                rows.add(load(http, "full list, identity, 1 client", full, false, 1, seconds));
                int groups = groups(http, full);
                header = String.format(Locale.ROOT, "/sd/ec2 over %,d instances (%,d running: %,d target groups) in %d accounts"
                                + " x %d regions; first collection %.1f s; load runs of %d s; %d cores, Java %s",
                        accounts * regions * perRegion, groups, groups, accounts, regions, service.readySeconds, seconds,
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            }
            // Phase 2: the same full list while the service also collects 10,000 instances every `busy-interval`.
            try (Service service = Service.start(opt, opt.get("busy-interval"), sim.endpoint())) {
                awaitReady(http, service);
                double before = cycles(http, service.base);
                Row busy = load(http, "full list, identity, while collecting every " + opt.get("busy-interval"),
                        service.base + "/sd/ec2?port=9100", false, concurrency, seconds);
                double rounds = (cycles(http, service.base) - before) / (accounts * regions);
                rows.add(new Row(busy.name() + String.format(Locale.ROOT, " (%.0f rounds in the run)", rounds),
                        busy.clients(), busy.bytes(), busy.median(), busy.p99(), busy.rps()));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }

        System.out.println();
        System.out.println(header);
        System.out.println();
        System.out.println("| scenario | clients | response bytes | median ms | p99 ms | req/s | median vs full identity (" + concurrency + " clients) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        double reference = rows.get(1).median;
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %,d | %.1f | %.1f | %s | %.2fx |%n", row.name, row.clients,
                    row.bytes, row.median, row.p99, row.rps == 0 ? "-" : String.format(Locale.ROOT, "%.0f", row.rps),
                    row.median / reference);
        }
        System.out.println();
    }

    /** {@code java -jar opsgate.jar run} in its own JVM, as users run it, against the simulator. */
    private static final class Service implements AutoCloseable {
        final Process process;
        final Path log;
        final String base;
        final long startedAt = System.nanoTime();
        double readySeconds;

        private Service(Process process, Path log, String base) {
            this.process = process;
            this.log = log;
            this.base = base;
        }

        static Service start(Map<String, String> opt, String interval, String sim) throws IOException {
            Path work = Files.createTempDirectory("opsgate-bench-sd");
            Path config = work.resolve("opsgate.yml");
            Files.writeString(config, config(Integer.parseInt(opt.get("accounts")), Integer.parseInt(opt.get("regions")),
                    interval, sim));
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            if (!opt.get("service-jvm-args").isBlank()) {
                command.addAll(List.of(opt.get("service-jvm-args").trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", opt.get("jar"), "run", "-c", config.toString(), "--listen", "127.0.0.1:" + port));
            Path log = work.resolve("service.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Service(process, log, "http://127.0.0.1:" + port);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private record Row(String name, int clients, long bytes, double median, double p99, double rps) {
        static Row of(String name, int clients, long bytes, List<Long> nanos, long wallNanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            double median = sorted[sorted.length / 2] / 1e6;
            double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
            return new Row(name, clients, bytes, median, p99, wallNanos == 0 ? 0 : sorted.length / (wallNanos / 1e9));
        }
    }

    private static Row load(HttpClient http, String name, String url, boolean gzip, int clients, int seconds)
            throws Exception {
        HttpRequest request = request(url, gzip);
        long bytes = 0;
        for (int i = 0; i < 20; i++) { // warm-up: JIT, connections, the kept render
            bytes = fetch(http, request);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    fetch(http, request);
                    latencies.add(System.nanoTime() - t0);
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        long wall = System.nanoTime() - start;
        pool.shutdown();
        return Row.of(name, clients, bytes, new ArrayList<>(latencies), wall);
    }

    /** One request, body read in full and discarded; returns the body size (Content-Length). */
    private static long fetch(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.uri() + " -> " + r.statusCode());
        }
        return r.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    private static HttpRequest request(String url, boolean gzip) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        return b.build();
    }

    private static void awaitReady(HttpClient http, Service service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!service.process.isAlive()) {
                throw new IllegalStateException("service exited:\n" + Files.readString(service.log));
            }
            try {
                if (http.send(request(service.base + "/-/ready", false), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    service.readySeconds = (System.nanoTime() - service.startedAt) / 1e9;
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("service not ready:\n" + Files.readString(service.log));
    }

    private static double cycles(HttpClient http, String base) throws Exception {
        String metrics = http.send(request(base + "/metrics", false), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        Matcher m = CYCLES.matcher(metrics);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private static int groups(HttpClient http, String url) throws Exception {
        String body = http.send(request(url, false), HttpResponse.BodyHandlers.ofString()).body();
        int n = 0;
        for (int i = body.indexOf("\"targets\""); i >= 0; i = body.indexOf("\"targets\"", i + 1)) {
            n++;
        }
        return n;
    }

    private static String config(int accounts, int regions, String interval, String sim) {
        StringBuilder yml = new StringBuilder("""
                collection: {interval: %s, jitter: 0, collectors: [ec2], concurrency: 8}
                aws:
                  regions: %s
                  endpoints: {ec2: "%s", cloudwatch: "%s", sts: "%s"}
                  credentials: {access_key_id: AKIAOPSGATEBENCH0000, secret_access_key: not-a-secret}
                discovery: {kinds: [ec2]}
                accounts:
                """.formatted(interval, REGIONS.subList(0, regions), sim, sim, sim));
        for (int a = 1; a <= accounts; a++) {
            yml.append("  - role_arn: arn:aws:iam::").append(String.valueOf(a).repeat(12)).append(":role/opsgate\n");
        }
        return yml.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        opt.put("accounts", "5");
        opt.put("regions", "4");
        opt.put("instances", "500");
        opt.put("concurrency", "4");
        opt.put("seconds", "30");
        opt.put("busy-interval", "20s");
        opt.put("jar", "target/opsgate.jar");
        opt.put("service-jvm-args", "");
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (key.equals("help") || !opt.containsKey(key) || i + 1 >= args.length) {
                System.err.println("usage: bench/sd " + String.join(" ", opt.keySet().stream().map(k -> "[--" + k + " V]").toList())
                        + "\n  instances is per account and region; seconds is the length of each load run;"
                        + "\n  busy-interval is the collection interval of the last run, which measures serving while collecting"
                        + "\ndefaults: " + opt);
                System.exit(key.equals("help") ? 0 : 2);
            }
            opt.put(key, args[++i]);
        }
        if (Integer.parseInt(opt.get("accounts")) > 9 || Integer.parseInt(opt.get("regions")) > REGIONS.size()) {
            throw new IllegalArgumentException("at most 9 accounts and " + REGIONS.size() + " regions");
        }
        return opt;
    }
}
