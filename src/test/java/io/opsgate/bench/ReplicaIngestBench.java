package io.opsgate.bench;

import io.opsgate.alerts.AlertsService;
import io.opsgate.alerts.notify.AlertDestinations;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.TestPostgres;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ingest and delivery on PostgreSQL with 1 and 2 gateway replicas, side by side with SQLite, in one run and in
 * rounds (SQLite, PostgreSQL ×1, ×2 split, ×2 copies, then again), so that a shared machine's noise falls on all
 * alike: the figures are the medians over the rounds and their ratios to SQLite's.
 * <ul>
 * <li>Each replica is the gateway as the service builds it (config, store, router, webhook channel, HTTP server) on a
 *     Vert.x instance of its own; the PostgreSQL ones share one database (the server at 127.0.0.1:5432, a database
 *     created for the run and dropped after it).</li>
 * <li>Closed loop of {@code connections} connections, each webhook 10 new alerts of one alertname (one group, one
 *     notification, group_wait 0s), delivered to a local sink through the real webhook channel.</li>
 * <li>"split": each connection posts to one replica (half the load each); "copies": every webhook goes to both
 *     replicas at once, as two unclustered Alertmanager peers send it, and each POST counts as a request.</li>
 * <li>The sink counts deliveries per webhook: a webhook delivered twice is a duplicate (must be 0), one never
 *     delivered once the outbox drained is lost.</li>
 * </ul>
 */
final class ReplicaIngestBench {
    private static final Pattern FIRST_FINGERPRINT = Pattern.compile("\"fingerprint\"\\s*:\\s*\"r(\\d+)-0\"");

    private final int seconds;
    private final int warmup;
    private final int connections;
    private final int alertsPerRequest;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final LongList deliveryNanos = new LongList();

    ReplicaIngestBench(int seconds, int warmup, int connections, int alertsPerRequest) {
        this.seconds = seconds;
        this.warmup = warmup;
        this.connections = connections;
        this.alertsPerRequest = alertsPerRequest;
    }

    enum Setup {
        SQLITE("SQLite, 1 gateway", 1, false),
        POSTGRES_1("PostgreSQL, 1 replica", 1, false),
        POSTGRES_2_SPLIT("PostgreSQL, 2 replicas, split", 2, false),
        POSTGRES_2_COPIES("PostgreSQL, 2 replicas, HA copies", 2, true);

        final String title;
        final int replicas;
        final boolean copies;

        Setup(String title, int replicas, boolean copies) {
            this.title = title;
            this.replicas = replicas;
            this.copies = copies;
        }
    }

    /** One measured run of one setup. */
    record Run(double rps, double p50, double p99, long errors, double deliveryP50, double deliveryP99,
               long webhooks, long delivered, long duplicates, long lost) {
    }

    void runAndPrint(int rounds) throws Exception {
        OpsGateConfig.Database database;
        try {
            database = TestPostgres.createDatabase("bench_replicas");
        } catch (RuntimeException e) {
            // TestPostgres skips (a JUnit abort) or fails without a server; either way there is nothing to compare
            System.out.println("PostgreSQL replicas: skipped, no PostgreSQL server: " + e.getMessage());
            return;
        }
        Vertx clientVertx = Vertx.vertx();
        Path dir = Files.createTempDirectory("opsgate-bench-replicas");
        Map<Setup, List<Run>> runs = new java.util.EnumMap<>(Setup.class);
        try {
            HttpServer sink = clientVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                long now = System.nanoTime();
                Matcher m = FIRST_FINGERPRINT.matcher(body.toString());
                if (m.find()) {
                    long id = Long.parseLong(m.group(1));
                    if (deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1) {
                        Long sent = sentAt.get(id);
                        if (sent != null) {
                            deliveryNanos.add(now - sent);
                        }
                    }
                }
                req.response().setStatusCode(200).end();
            })).listen(0, "127.0.0.1").await();
            HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(connections));
            System.out.printf("%nIngest and delivery, PostgreSQL replicas beside SQLite: %d alerts/request, %d connections, "
                            + "%ds measured after %ds warm-up, %d rounds, load average before: %s%n", alertsPerRequest,
                    connections, seconds, warmup, rounds, Machine.currentLoadAverage());
            int schema = 0;
            for (int round = 0; round < rounds; round++) {
                for (Setup setup : Setup.values()) {
                    List<Replica> replicas = new ArrayList<>();
                    String store = setup == Setup.SQLITE
                            ? "{path: " + dir.resolve("round" + round + ".db") + "}"
                            : postgresStore(TestPostgres.inSchema(database, "bench" + (++schema)));
                    for (int r = 0; r < setup.replicas; r++) {
                        replicas.add(Replica.start(store, sink.actualPort(), dir));
                    }
                    try {
                        drain(replicas, closedLoop(client, replicas, setup.copies, warmup).accepted());
                        Run run = measured(client, replicas, setup.copies);
                        runs.computeIfAbsent(setup, k -> new ArrayList<>()).add(run);
                        System.out.printf("  round %d %-34s %8.0f req/s  p99 %6.1f ms  duplicates %d  lost %d%n",
                                round + 1, setup.title, run.rps(), run.p99(), run.duplicates(), run.lost());
                    } finally {
                        for (Replica r : replicas) {
                            r.stop();
                        }
                    }
                }
            }
            client.close().await();
            sink.close().await();
        } finally {
            clientVertx.close().await();
            TestPostgres.dropDatabase(database);
        }
        print(runs, rounds);
    }

    private static String postgresStore(OpsGateConfig.Database db) {
        return "{type: postgres, url: \"" + db.url() + "\", user: " + db.user() + ", pool_size: 8, lease: 30s}";
    }

    private Run measured(HttpClient client, List<Replica> replicas, boolean copies) throws InterruptedException {
        sentAt.clear();
        deliveries.clear();
        deliveryNanos.drain();
        long firstId = requestIds.get() + 1;
        Load load = closedLoop(client, replicas, copies, seconds);
        long lastId = requestIds.get();
        boolean drained = drain(replicas, load.accepted());
        long[] delivery = deliveryNanos.drain();
        Arrays.sort(delivery);
        long webhooks = 0;
        long delivered = 0;
        long duplicates = 0;
        for (long id = firstId; id <= lastId; id++) {
            AtomicInteger n = deliveries.get(id);
            if (load.accepted().contains(id)) {
                webhooks++;
                if (n != null) {
                    delivered++;
                }
            }
            if (n != null && n.get() > 1) {
                duplicates += n.get() - 1;
            }
        }
        if (!drained) {
            System.out.println("  (outbox not drained within 120 s)");
        }
        return new Run(load.latencies().length / (load.elapsedNanos() / 1e9), pct(load.latencies(), 50),
                pct(load.latencies(), 99), load.errors(), pct(delivery, 50), pct(delivery, 99), webhooks, delivered,
                duplicates, webhooks - delivered);
    }

    private record Load(long[] latencies, long errors, long elapsedNanos, java.util.Set<Long> accepted) {
    }

    private Load closedLoop(HttpClient client, List<Replica> replicas, boolean copies, int durationSeconds)
            throws InterruptedException {
        LongList latencies = new LongList();
        AtomicLong errors = new AtomicLong();
        java.util.Set<Long> accepted = ConcurrentHashMap.newKeySet();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
        CountDownLatch done = new CountDownLatch(connections);
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            List<Replica> targets = copies ? replicas : List.of(replicas.get(c % replicas.size()));
            loop(client, targets, end, latencies, errors, accepted, done);
        }
        done.await();
        long[] l = latencies.drain();
        Arrays.sort(l);
        return new Load(l, errors.get(), System.nanoTime() - started, accepted);
    }

    /** One webhook, posted to every target at once (the copies of several Alertmanager peers), then the next. */
    private void loop(HttpClient client, List<Replica> targets, long end, LongList latencies, AtomicLong errors,
                      java.util.Set<Long> accepted, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        long id = requestIds.incrementAndGet();
        Buffer body = body(id);
        sentAt.put(id, System.nanoTime());
        List<Future<Integer>> posts = new ArrayList<>();
        for (Replica target : targets) {
            long t0 = System.nanoTime();
            posts.add(client.request(HttpMethod.POST, target.port(), "127.0.0.1", "/hooks/alertmanager")
                    .compose(req -> req.putHeader("Content-Type", "application/json").send(body))
                    .compose(resp -> resp.body().map(b -> resp.statusCode()))
                    .andThen(ar -> {
                        if (ar.succeeded() && ar.result() == 200) {
                            latencies.add(System.nanoTime() - t0);
                            accepted.add(id);
                        } else {
                            errors.incrementAndGet();
                        }
                    }));
        }
        Future.join(posts).onComplete(ar -> loop(client, targets, end, latencies, errors, accepted, done));
    }

    private Buffer body(long id) {
        JsonArray list = new JsonArray();
        String start = Instant.now().toString();
        for (int i = 0; i < alertsPerRequest; i++) {
            list.add(new JsonObject()
                    .put("status", "firing")
                    .put("labels", new JsonObject().put("alertname", "Bench" + id).put("instance", "i-" + i)
                            .put("severity", "warning").put("job", "node"))
                    .put("annotations", new JsonObject().put("summary", "benchmark alert " + i + " of request " + id))
                    .put("startsAt", start)
                    .put("endsAt", "0001-01-01T00:00:00Z")
                    .put("generatorURL", "http://prometheus:9090/graph?g0.expr=up")
                    .put("fingerprint", "r" + id + "-" + i));
        }
        return new JsonObject().put("version", "4").put("status", "firing").put("receiver", "opsgate")
                .put("groupKey", "{}:{alertname=\"Bench" + id + "\"}").put("externalURL", "http://am:9093")
                .put("groupLabels", new JsonObject().put("alertname", "Bench" + id))
                .put("commonLabels", new JsonObject()).put("commonAnnotations", new JsonObject())
                .put("truncatedAlerts", 0).put("alerts", list).toBuffer();
    }

    /**
     * Waits (up to 120 s) until every accepted webhook reached the sink and no replica has anything pending in the
     * outbox, then a moment longer for late duplicates.
     */
    private boolean drain(List<Replica> replicas, java.util.Set<Long> accepted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!deliveries.keySet().containsAll(accepted)) {
                Thread.sleep(50);
                continue;
            }
            double pending = 0;
            for (Replica r : replicas) {
                pending += r.registry().scrape().stream()
                        .filter(s -> s.getMetadata().getPrometheusName().equals("opsgate_outbox_pending"))
                        .flatMap(s -> s.getDataPoints().stream())
                        .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p)
                                .getValue())
                        .sum();
            }
            if (pending == 0) {
                Thread.sleep(1000);
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private void print(Map<Setup, List<Run>> runs, int rounds) {
        List<Run> sqlite = runs.getOrDefault(Setup.SQLITE, List.of());
        double baseRps = median(sqlite.stream().mapToDouble(Run::rps).toArray());
        double baseP99 = median(sqlite.stream().mapToDouble(Run::p99).toArray());
        System.out.printf("%nMedians over %d rounds (ratio: to SQLite in the same rounds); load average after: %s%n", rounds,
                Machine.currentLoadAverage());
        System.out.println("| setup | webhooks/s | ratio | p50 ms | p99 ms | p99 ratio | delivery p50 ms | delivery p99 ms "
                + "| errors | webhooks delivered | duplicates at sink | lost |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Setup setup : Setup.values()) {
            List<Run> r = runs.getOrDefault(setup, List.of());
            if (r.isEmpty()) {
                continue;
            }
            double rps = median(r.stream().mapToDouble(Run::rps).toArray());
            double p99 = median(r.stream().mapToDouble(Run::p99).toArray());
            System.out.printf("| %s | %.0f | %.2f | %.1f | %.1f | %.2f | %.1f | %.1f | %d | %d of %d | %d | %d |%n",
                    setup.title, rps, rps / baseRps, median(r.stream().mapToDouble(Run::p50).toArray()), p99,
                    p99 / baseP99, median(r.stream().mapToDouble(Run::deliveryP50).toArray()),
                    median(r.stream().mapToDouble(Run::deliveryP99).toArray()),
                    r.stream().mapToLong(Run::errors).sum(), r.stream().mapToLong(Run::delivered).sum(),
                    r.stream().mapToLong(Run::webhooks).sum(), r.stream().mapToLong(Run::duplicates).sum(),
                    r.stream().mapToLong(Run::lost).sum());
        }
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** One gateway replica as the service builds it, on a Vert.x instance of its own. */
    private record Replica(Vertx vertx, AlertsService alerts, AlertDestinations destinations, HttpServer server,
                           PrometheusRegistry registry) {
        static Replica start(String storeYaml, int sinkPort, Path baseDir) throws Exception {
            OpsGateConfig config = ConfigLoader.parse("""
                    alerts:
                      store: %s
                      delivery: {concurrency: 256}
                    route:
                      receiver: sink
                      group_by: [alertname]
                      group_wait: 0s
                    receivers:
                      - name: sink
                        webhook_configs:
                          - url: http://127.0.0.1:%d/hook
                            rate_limit: 0
                    """.formatted(storeYaml, sinkPort), "bench.yml", k -> null, baseDir);
            Vertx vertx = Vertx.vertx();
            PrometheusRegistry registry = new PrometheusRegistry();
            AlertDestinations destinations = AlertDestinations.create(vertx, config, Clock.systemUTC());
            AlertsService alerts = AlertsService.create(vertx, config.alerts(), destinations.router(),
                    destinations.channelsByReceiver(), registry, Clock.systemUTC());
            Router router = Router.router(vertx);
            alerts.mount(router);
            alerts.start().await();
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
            return new Replica(vertx, alerts, destinations, server, registry);
        }

        int port() {
            return server.actualPort();
        }

        void stop() {
            server.close().await();
            alerts.stop().await();
            destinations.close();
            vertx.close().await();
        }
    }

    /** A growable array of longs shared by the client's event loops. */
    private static final class LongList {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        synchronized long[] drain() {
            long[] result = Arrays.copyOf(values, size);
            size = 0;
            return result;
        }
    }
}
