package io.opsgate.bench;

import io.opsgate.alerts.AlertsService;
import io.opsgate.alerts.notify.AlertDestinations;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.opsgate.testing.TestPostgres;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Ingest and delivery on PostgreSQL with 1 and 2 gateway replicas, side by side with SQLite, in one run and in
 * rounds (SQLite, PostgreSQL ×1, ×2 split, ×2 copies, then again), so that a shared machine's noise falls on all
 * alike: the figures are the medians over the rounds and their ratios to SQLite's.
 * <ul>
 * <li>Each replica is the gateway as the service builds it (config, store, router, webhook channel, HTTP server) on a
 *     Vert.x instance of its own; the PostgreSQL ones share one database (the server at 127.0.0.1:5432, a database
 *     created for the run and dropped after it).</li>
 * <li>Each webhook 10 new alerts of one alertname (one group, one notification, group_wait 0s), delivered to a
 *     local sink through the real webhook channel ({@link WebhookLoad}). Two measurements per setup: a closed loop of
 *     {@code connections} connections (saturation: its p99 is mostly queueing), then an open loop at a fixed
 *     {@code offeredRps} POSTs per second in all, as Alertmanager sends whatever the answers (its latency counts
 *     from when each webhook was due: the service latency at that load, if the setup keeps up with it).</li>
 * <li>"split": each connection (open loop: each webhook in turn) posts to one replica (half the load each);
 *     "copies": every webhook goes to both replicas at once, as two unclustered Alertmanager peers send it, and each
 *     POST counts as a request (open loop: half the rate of webhooks, the same rate of POSTs).</li>
 * <li>The sink counts deliveries per webhook: a webhook delivered twice is a duplicate (must be 0), one never
 *     delivered once the outbox drained is lost.</li>
 * </ul>
 */
final class ReplicaIngestBench {
    private final int seconds;
    private final int warmup;
    private final int connections;
    private final double[] offeredRps;
    private final WebhookLoad load;

    /** @param offeredRps the open loop's rates, POSTs per second in all; one open-loop measurement per rate */
    ReplicaIngestBench(int seconds, int warmup, int connections, int alertsPerRequest, double... offeredRps) {
        this.seconds = seconds;
        this.warmup = warmup;
        this.connections = connections;
        this.offeredRps = offeredRps;
        this.load = new WebhookLoad(alertsPerRequest);
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

    /** One measurement of one setup. */
    record Run(double rps, double p50, double p99, long errors, double deliveryP50, double deliveryP99,
               long webhooks, long delivered, long duplicates, long resends, long lost, double commitsPerWebhook) {
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
        Map<Setup, List<Run>> closed = new java.util.EnumMap<>(Setup.class);
        Map<Double, Map<Setup, List<Run>>> open = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        String loadBefore = Machine.currentLoadAverage();
        try {
            int sinkPort = load.startSink(clientVertx);
            HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(connections));
            // The open loop's own client: enough connections that the client never queues what the gateway would
            // take (Alertmanager opens a connection per notification in flight).
            HttpClient openClient = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(512).setMaxWaitQueueSize(-1));
            System.out.printf("%nIngest and delivery, PostgreSQL replicas beside SQLite: %s alerts/request, %d connections "
                            + "(closed loop), %s POSTs/s (open loop), %ds measured after %ds warm-up, %d rounds, %d cores, "
                            + "load average before: %s%n", "10", connections, java.util.Arrays.toString(offeredRps), seconds, warmup, rounds,
                    Runtime.getRuntime().availableProcessors(), loadBefore);
            int schema = 0;
            for (int round = 0; round < rounds; round++) {
                for (Setup setup : Setup.values()) {
                    List<Replica> replicas = new ArrayList<>();
                    OpsGateConfig.Database db = setup == Setup.SQLITE ? null
                            : TestPostgres.inSchema(database, "bench" + (++schema));
                    String store = db == null ? "{path: " + dir.resolve("round" + round + ".db") + "}" : postgresStore(db);
                    for (int r = 0; r < setup.replicas; r++) {
                        replicas.add(Replica.start(store, sinkPort, dir));
                    }
                    try {
                        IntFunction<List<WebhookLoad.Target>> byConnection = targets(replicas, setup.copies);
                        drain(replicas, load.closedLoop(client, connections, byConnection, warmup).accepted());
                        Run c = measured(replicas, db, () -> load.closedLoop(client, connections, byConnection, seconds));
                        closed.computeIfAbsent(setup, k -> new ArrayList<>()).add(c);
                        System.out.printf("  round %d %-34s closed: %6.0f POSTs/s p99 %7.1f ms, delivery p99 %7.1f ms, "
                                        + "%.2f commits/webhook, duplicates %d (re-sends saying so %d), lost %d%n", round + 1,
                                setup.title, c.rps(), c.p99(), c.deliveryP99(), c.commitsPerWebhook(), c.duplicates(),
                                c.resends(), c.lost());
                        for (double rate : offeredRps) {
                            double webhooksPerSecond = setup.copies ? rate / replicas.size() : rate;
                            Run o = measured(replicas, db, () -> load.openLoop(openClient, webhooksPerSecond,
                                    byConnection, seconds));
                            open.computeIfAbsent(rate, k -> new java.util.EnumMap<>(Setup.class))
                                    .computeIfAbsent(setup, k -> new ArrayList<>()).add(o);
                            System.out.printf("  round %d %-34s open at %.0f/s: %6.0f POSTs/s p50 %7.1f p99 %7.1f ms, "
                                            + "delivery p99 %7.1f ms, duplicates %d (re-sends saying so %d), lost %d%n", round + 1,
                                    setup.title, rate, o.rps(), o.p50(), o.p99(), o.deliveryP99(), o.duplicates(),
                                    o.resends(), o.lost());
                        }
                    } finally {
                        for (Replica r : replicas) {
                            r.stop();
                        }
                    }
                }
            }
            client.close().await();
            openClient.close().await();
        } finally {
            clientVertx.close().await();
            TestPostgres.dropDatabase(database);
        }
        System.out.printf("%nMedians over %d rounds (ratio: to SQLite in the same rounds); load average before: %s, "
                + "after: %s%n", rounds, loadBefore, Machine.currentLoadAverage());
        print("Closed loop, " + connections + " connections (saturation)", closed);
        open.forEach((rate, runs) -> print("Open loop at " + Math.round(rate) + " POSTs/s (fixed offered load)", runs));
    }

    /** Which replicas each connection (closed loop) or webhook (open loop) posts to. */
    private static IntFunction<List<WebhookLoad.Target>> targets(List<Replica> replicas, boolean copies) {
        List<WebhookLoad.Target> all = replicas.stream().map(r -> new WebhookLoad.Target(r.port())).toList();
        return i -> copies ? all : List.of(all.get(i % all.size()));
    }

    private static String postgresStore(OpsGateConfig.Database db) {
        return "{type: postgres, url: \"" + db.url() + "\", user: " + db.user() + ", pool_size: 8, lease: 30s}";
    }

    private interface Measurement {
        WebhookLoad.Load run() throws InterruptedException;
    }

    /** @param db the replicas' PostgreSQL database, null for SQLite */
    private Run measured(List<Replica> replicas, OpsGateConfig.Database db, Measurement measurement)
            throws Exception {
        load.resetSink();
        long commitsBefore = commits(db);
        WebhookLoad.Load l = measurement.run();
        boolean drained = drain(replicas, l.accepted());
        long commits = commits(db) - commitsBefore;
        long[] delivery = load.deliveryLatencies();
        long[] delivered = load.delivered(l.accepted());
        if (!drained) {
            System.out.println("  (outbox not drained within 120 s)");
        }
        return new Run(l.rps(), l.percentile(50), l.percentile(99), l.errors(), WebhookLoad.pct(delivery, 50),
                WebhookLoad.pct(delivery, 99), l.accepted().size(), delivered[0], delivered[1], delivered[2],
                l.accepted().size() - delivered[0],
                db == null || l.accepted().isEmpty() ? Double.NaN : (double) commits / l.accepted().size());
    }

    /**
     * Transactions committed in the database so far, by every replica (ingest, flush, claims, outcomes), as
     * PostgreSQL counts them; its statistics lag by up to a second, which the drain waits out.
     */
    private static long commits(OpsGateConfig.Database db) throws java.sql.SQLException {
        if (db == null) {
            return 0;
        }
        try (java.sql.Connection c = TestPostgres.connect(db); java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            try (java.sql.ResultSet rs = s.executeQuery(
                    "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Waits (up to 120 s) until every accepted webhook reached the sink and no replica has anything pending in the
     * outbox, then a moment longer for late duplicates.
     */
    private boolean drain(List<Replica> replicas, java.util.Set<Long> accepted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!load.allDelivered(accepted)) {
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

    private static void print(String title, Map<Setup, List<Run>> runs) {
        List<Run> sqlite = runs.getOrDefault(Setup.SQLITE, List.of());
        double baseRps = WebhookLoad.median(sqlite.stream().mapToDouble(Run::rps).toArray());
        double baseP99 = WebhookLoad.median(sqlite.stream().mapToDouble(Run::p99).toArray());
        System.out.printf("%n%s%n", title);
        System.out.println("| setup | POSTs/s | ratio | p50 ms | p99 ms | p99 ratio | delivery p50 ms | delivery p99 ms "
                + "| PostgreSQL commits/webhook | errors | webhooks delivered | duplicates at sink | of them re-sends (attempt > 0) "
                + "| lost |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Setup setup : Setup.values()) {
            List<Run> r = runs.getOrDefault(setup, List.of());
            if (r.isEmpty()) {
                continue;
            }
            double rps = WebhookLoad.median(r.stream().mapToDouble(Run::rps).toArray());
            double p99 = WebhookLoad.median(r.stream().mapToDouble(Run::p99).toArray());
            double perTx = WebhookLoad.median(r.stream().mapToDouble(Run::commitsPerWebhook).toArray());
            System.out.printf("| %s | %.0f | %.2f | %.1f | %.1f | %.2f | %.1f | %.1f | %s | %d | %d of %d | %d | %d | %d |%n",
                    setup.title, rps, rps / baseRps,
                    WebhookLoad.median(r.stream().mapToDouble(Run::p50).toArray()), p99, p99 / baseP99,
                    WebhookLoad.median(r.stream().mapToDouble(Run::deliveryP50).toArray()),
                    WebhookLoad.median(r.stream().mapToDouble(Run::deliveryP99).toArray()),
                    Double.isNaN(perTx) ? "–" : String.format("%.1f", perTx),
                    r.stream().mapToLong(Run::errors).sum(), r.stream().mapToLong(Run::delivered).sum(),
                    r.stream().mapToLong(Run::webhooks).sum(), r.stream().mapToLong(Run::duplicates).sum(),
                    r.stream().mapToLong(Run::resends).sum(), r.stream().mapToLong(Run::lost).sum());
        }
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
}
