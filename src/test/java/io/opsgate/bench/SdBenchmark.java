package io.opsgate.bench;

import io.opsgate.OpsGateService;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.discovery.DiscoveryKind;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The http_sd benchmark of issue #3: {@code /sd/ec2} over 10,000 instances in 5 accounts x 4 regions (simulated,
 * read by the real collection loop through the SDK), hit by concurrent clients. Prints one Markdown table: response
 * bytes, median and p99 latency and throughput per scenario, with each median's ratio to the plain full list.
 * Run with {@code bench/sd [--accounts N] [--regions N] [--instances N-per-region] [--concurrency N] [--requests N]}.
 */
public final class SdBenchmark {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2",
            "eu-central-1", "ca-central-1", "sa-east-1", "ap-northeast-1");

    private SdBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> opt = options(args);
        int accounts = opt.get("accounts");
        int regions = opt.get("regions");
        int perRegion = opt.get("instances");
        int concurrency = opt.get("concurrency");
        int requests = opt.get("requests");

        Vertx vertx = Vertx.vertx();
        AwsSimulator sim = await(AwsSimulator.start(vertx, SimulatorOptions.defaults().withFleetSize(0, perRegion)));
        OpsGateConfig config = ConfigLoader.parse(config(accounts, regions, sim.endpoint()), "bench.yml",
                name -> null, Path.of("."));
        OpsGateService service = await(OpsGateService.start(vertx, config, Clock.systemUTC()));
        try {
            long started = System.nanoTime();
            await(service.collection().runAllOnce());
            double firstCycleS = (System.nanoTime() - started) / 1e9;
            int inventory = service.inventory().current().items(DiscoveryKind.EC2).size();
            String base = "http://127.0.0.1:" + service.port();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            // Cold: a query never asked before is rendered on demand (distinct ports make distinct queries).
            List<Long> cold = new ArrayList<>();
            long coldBytes = 0;
            for (int i = 1; i <= 7; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(request(base + "/sd/ec2?port=" + (9100 + i), false), HttpResponse.BodyHandlers.ofByteArray());
                cold.add(System.nanoTime() - t0);
                coldBytes = r.body().length;
                check(r);
            }
            // A known query right after a collection round: served from its kept render while it is re-rendered.
            List<Long> afterCycle = new ArrayList<>();
            long afterBytes = 0;
            for (int i = 0; i < 5; i++) {
                await(service.collection().runAllOnce());
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(request(base + "/sd/ec2?port=9101", false), HttpResponse.BodyHandlers.ofByteArray());
                afterCycle.add(System.nanoTime() - t0);
                afterBytes = r.body().length;
                check(r);
            }

            List<Row> rows = new ArrayList<>();
            rows.add(Row.of("first request of a new query (rendered on demand)", coldBytes, cold, 1, cold.size(), 0));
            rows.add(Row.of("known query right after a collection round", afterBytes, afterCycle, 1, afterCycle.size(), 0));
            rows.add(load(http, "full list, identity (what Prometheus sends)", base + "/sd/ec2?port=9100", false, concurrency, requests));
            rows.add(load(http, "full list, Accept-Encoding: gzip", base + "/sd/ec2?port=9100", true, concurrency, requests));
            rows.add(load(http, "filtered job: port_tag + tag.Environment=prod", base + "/sd/ec2?port_tag=prometheus_port&port=9100&tag.Environment=prod", false, concurrency, requests));
            rows.add(load(http, "full list, identity, 2 clients (an HA pair)", base + "/sd/ec2?port=9100", false, 2, requests / 2));
            rows.add(load(http, "full list, identity, 1 client", base + "/sd/ec2?port=9100", false, 1, requests / 2));

            System.out.printf(Locale.ROOT, "%n/sd/ec2 benchmark: %d instances in inventory (%d running) over %d accounts x %d regions;"
                            + " first collection cycle %.1f s; %d cores, Java %s%n%n",
                    inventory, groups(http, base), accounts, regions, firstCycleS,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.println("| scenario | clients | response bytes | median ms | p99 ms | req/s | median vs full identity |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            double reference = rows.get(2).median;
            for (Row row : rows) {
                System.out.printf(Locale.ROOT, "| %s | %d | %,d | %.1f | %.1f | %s | %.2fx |%n", row.name, row.clients,
                        row.bytes, row.median, row.p99, row.rps == 0 ? "-" : String.format(Locale.ROOT, "%.0f", row.rps),
                        row.median / reference);
            }
            System.out.println();
        } finally {
            await(service.stop());
            await(vertx.close());
        }
    }

    private record Row(String name, int clients, long bytes, double median, double p99, double rps) {
        static Row of(String name, long bytes, List<Long> nanos, int clients, int count, long wallNanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            double median = sorted[sorted.length / 2] / 1e6;
            double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
            return new Row(name, clients, bytes, median, p99, wallNanos == 0 ? 0 : count / (wallNanos / 1e9));
        }
    }

    private static Row load(HttpClient http, String name, String url, boolean gzip, int clients, int total) throws Exception {
        HttpRequest request = request(url, gzip);
        for (int i = 0; i < 20; i++) { // warm-up: JIT, connections, remembered render
            check(http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        long bytes = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger left = new AtomicInteger(total);
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>(total));
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    latencies.add(System.nanoTime() - t0);
                    check(r);
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> w : workers) {
            w.get();
        }
        long wall = System.nanoTime() - start;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return Row.of(name, bytes, latencies, clients, total, wall);
    }

    private static HttpRequest request(String url, boolean gzip) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        return b.build();
    }

    private static void check(HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.uri() + " -> " + r.statusCode() + " " + new String(r.body()));
        }
    }

    private static int groups(HttpClient http, String base) throws Exception {
        String body = http.send(request(base + "/sd/ec2?port=9100", false), HttpResponse.BodyHandlers.ofString()).body();
        int n = 0;
        for (int i = body.indexOf("\"targets\""); i >= 0; i = body.indexOf("\"targets\"", i + 1)) {
            n++;
        }
        return n;
    }

    private static String config(int accounts, int regions, String sim) {
        StringBuilder yml = new StringBuilder("""
                server: {listen: "127.0.0.1:0"}
                collection: {interval: 1h, timeout: 10m, jitter: 0, collectors: [ec2], concurrency: 8}
                aws:
                  regions: %s
                  endpoints: {ec2: "%s", cloudwatch: "%s", sts: "%s"}
                  credentials: {access_key_id: AKIAOPSGATEBENCH0000, secret_access_key: not-a-secret}
                discovery: {kinds: [ec2]}
                accounts:
                """.formatted(REGIONS.subList(0, regions), sim, sim, sim));
        for (int a = 1; a <= accounts; a++) {
            yml.append("  - role_arn: arn:aws:iam::").append(String.valueOf(a).repeat(12)).append(":role/opsgate\n");
        }
        return yml.toString();
    }

    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> opt = new java.util.LinkedHashMap<>(Map.of("accounts", 5, "regions", 4, "instances", 500,
                "concurrency", 4, "requests", 400));
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (key.equals("help") || !opt.containsKey(key) || i + 1 >= args.length) {
                System.err.println("usage: bench/sd " + String.join(" ", opt.keySet().stream().map(k -> "[--" + k + " N]").toList())
                        + "\ndefaults: " + opt);
                System.exit(key.equals("help") ? 0 : 2);
            }
            opt.put(key, Integer.parseInt(args[++i]));
        }
        if (opt.get("accounts") > 9 || opt.get("regions") > REGIONS.size()) {
            throw new IllegalArgumentException("at most 9 accounts and " + REGIONS.size() + " regions");
        }
        return opt;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    }

    static {
        // Quiet the service's per-cycle logging so the table is what the command prints.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    }
}
