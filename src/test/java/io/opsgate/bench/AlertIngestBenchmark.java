package io.opsgate.bench;

import io.opsgate.alerts.AlertsService;
import io.opsgate.alerts.notify.AlertDestinations;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Webhook ingest, side by side in one run: a bare Vert.x endpoint that answers 200 without storing, and the gateway
 * (parse, route, dedupe, durable SQLite commit with synchronous=FULL, then grouping, outbox and delivery to a local
 * sink through the real webhook channel). Each request carries 10 new alerts of one alertname, i.e. one group and
 * one notification per request. Closed loop: each connection sends its next request when the previous one is
 * answered. Delivery latency is measured at the sink, from the moment the request was sent.
 * <p>
 * Then {@link ReplicaIngestBench}: ingest and delivery on PostgreSQL with 1 and 2 replicas beside SQLite, in rounds
 * ({@code --replica-rounds}, 0 skips it; {@code --only replicas} runs only it), and {@link CrashResendBench}:
 * deliveries re-sent per SIGKILL of a gateway child process.
 * <p>
 * Run: {@code bench/alerts [--seconds 10] [--warmup 3] [--connections 32] [--paced-rps 200] [--replica-rounds 3]
 * [--sigkills 3] [--only replicas] [--offered-rps 1000[,250...]]}
 */
public final class AlertIngestBenchmark {

    private final int seconds;
    private final int warmup;
    private final int connections;
    private final int alertsPerRequest;
    private final int pacedRps;
    private final int sigkills;
    private final int replicaRounds;
    private final boolean onlyReplicas;
    private final double[] offeredRps;
    private final WebhookLoad load;

    private AlertIngestBenchmark(Map<String, String> args) {
        seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
        warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
        connections = Integer.parseInt(args.getOrDefault("connections", "32"));
        alertsPerRequest = Integer.parseInt(args.getOrDefault("alerts", "10"));
        pacedRps = Integer.parseInt(args.getOrDefault("paced-rps", "200"));
        sigkills = Integer.parseInt(args.getOrDefault("sigkills", "3"));
        replicaRounds = Integer.parseInt(args.getOrDefault("replica-rounds", "3"));
        onlyReplicas = "replicas".equals(args.get("only"));
        offeredRps = java.util.Arrays.stream(args.getOrDefault("offered-rps", "1000").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        load = new WebhookLoad(alertsPerRequest);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new java.util.HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        new AlertIngestBenchmark(args).run();
        System.exit(0);
    }

    private void run() throws Exception {
        if (!onlyReplicas) {
            runSqlite();
        }
        if (replicaRounds > 0) {
            new ReplicaIngestBench(seconds, warmup, connections, alertsPerRequest, offeredRps).runAndPrint(replicaRounds);
        }
        if (sigkills > 0 && !onlyReplicas) {
            int alerts = 2000;
            int concurrency = 64; // the default alerts.delivery.concurrency
            CrashResendBench.print(CrashResendBench.run(sigkills, alerts, concurrency), alerts, concurrency);
        }
    }

    private void runSqlite() throws Exception {
        Vertx serverVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        Path dir = Files.createTempDirectory("opsgate-bench-alerts");
        int sinkPort = load.startSink(clientVertx);

        Router bareRouter = Router.router(serverVertx);
        bareRouter.post("/hooks/alertmanager").handler(BodyHandler.create(false))
                .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                        .end("{\"status\":\"accepted\"}"));
        HttpServer bare = serverVertx.createHttpServer().requestHandler(bareRouter).listen(0, "127.0.0.1").await();

        Gateway gateway = Gateway.start(serverVertx, dir.resolve("delivering.db"), "0s", sinkPort);
        // group_wait longer than the run: the same ingest path (parse, route, dedupe, durable commit), no delivery.
        Gateway storing = Gateway.start(serverVertx, dir.resolve("storing.db"), "1h", sinkPort);
        PrometheusRegistry registry = gateway.registry();

        HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));

        System.out.printf("Alert ingest benchmark: %d alerts/request, %d connections, %ds measured after %ds warm-up, "
                        + "%d cores, Java %s%n%n", alertsPerRequest, connections, seconds, warmup,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        closedLoop(client, bare.actualPort(), warmup);
        Result bareResult = closedLoop(client, bare.actualPort(), seconds);
        closedLoop(client, storing.port(), warmup);
        long storingWriterCpu = writerCpuNanos("storing.db");
        Result storingResult = closedLoop(client, storing.port(), seconds);
        storingWriterCpu = writerCpuNanos("storing.db") - storingWriterCpu;
        closedLoop(client, gateway.port(), warmup);
        awaitDrained(registry);
        load.resetSink();
        long writerCpu = writerCpuNanos("delivering.db");
        Result gatewayResult = closedLoop(client, gateway.port(), seconds);
        writerCpu = writerCpuNanos("delivering.db") - writerCpu;
        boolean drained = awaitDrained(registry);
        long[] saturatedDelivery = load.deliveryLatencies();
        long expected = gatewayResult.load().posted();

        load.resetSink();
        Result paced = new Result(load.openLoop(client, pacedRps, i -> List.of(new WebhookLoad.Target(gateway.port())),
                seconds), 0);
        awaitDrained(registry);
        long[] pacedDelivery = load.deliveryLatencies();

        System.out.printf("%-34s %12s %10s %10s %10s %8s %14s%n", "endpoint", "requests/s", "alerts/s", "median ms",
                "p99 ms", "errors", "CPU ms/req");
        print("bare Vert.x (200, nothing stored)", bareResult);
        print("gateway: durable commit only", storingResult);
        System.out.printf("%-34s %12.2f %10s %10.2f %10.2f%n", "  ratio to bare",
                storingResult.rps() / bareResult.rps(), "", storingResult.percentile(50) / bareResult.percentile(50),
                storingResult.percentile(99) / bareResult.percentile(99));
        print("gateway: commit + deliver each", gatewayResult);
        System.out.printf("%-34s %12.2f %10s %10.2f %10.2f%n", "  ratio to bare",
                gatewayResult.rps() / bareResult.rps(), "", gatewayResult.percentile(50) / bareResult.percentile(50),
                gatewayResult.percentile(99) / bareResult.percentile(99));
        print("gateway, paced at " + pacedRps + " req/s", paced);
        System.out.printf("(of the gateway's CPU ms/req, its SQLite writer thread: %.2f storing only, %.2f delivering)%n",
                storingWriterCpu / 1e6 / Math.max(1, storingResult.ok()), writerCpu / 1e6 / Math.max(1, gatewayResult.ok()));
        System.out.printf("(CPU ms/req: whole JVM incl. load generator and sink; the gateway alone costs the difference; "
                + "load average at the end: %.1f)%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        System.out.println();
        System.out.printf("%-34s %10s %10s %10s %14s%n", "delivery request-sent -> sink", "median ms", "p99 ms",
                "max ms", "delivered");
        printDelivery("during the saturated run", saturatedDelivery, expected, drained);
        printDelivery("paced at " + pacedRps + " req/s", pacedDelivery, paced.ok(), true);

        client.close().await();
        gateway.stop();
        storing.stop();
        serverVertx.close().await();
        clientVertx.close().await();
    }

    private Result closedLoop(HttpClient client, int port, int durationSeconds) throws InterruptedException {
        long cpu = processCpuNanos();
        WebhookLoad.Load l = load.closedLoop(client, connections, c -> List.of(new WebhookLoad.Target(port)),
                durationSeconds);
        return new Result(l, processCpuNanos() - cpu);
    }

    /** CPU time of the store writer thread of the gateway whose store file is named {@code file}. */
    private static long writerCpuNanos(String file) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (java.lang.management.ThreadInfo t : threads.dumpAllThreads(false, false)) {
            if (t.getThreadName().equals("opsgate-alert-store " + file)) {
                return threads.getThreadCpuTime(t.getThreadId());
            }
        }
        return 0;
    }

    /** One gateway (store, router, channels, HTTP server) as the service builds it, from configuration. */
    private record Gateway(AlertsService alerts, AlertDestinations destinations, HttpServer server,
                           PrometheusRegistry registry) {
        static Gateway start(Vertx vertx, Path store, String groupWait, int sinkPort) throws Exception {
            OpsGateConfig config = ConfigLoader.parse("""
                    alerts:
                      store: {path: %s}
                      delivery: {concurrency: 256}
                    route:
                      receiver: sink
                      group_by: [alertname]
                      group_wait: %s
                    receivers:
                      - name: sink
                        webhook_configs:
                          - url: http://127.0.0.1:%d/hook
                            rate_limit: 0
                    """.formatted(store, groupWait, sinkPort), "bench.yml", k -> null, store.getParent());
            PrometheusRegistry registry = new PrometheusRegistry();
            AlertDestinations destinations = AlertDestinations.create(vertx, config, Clock.systemUTC());
            AlertsService alerts = AlertsService.create(vertx, config.alerts(), destinations.router(),
                    destinations.channelsByReceiver(), registry, Clock.systemUTC());
            Router router = Router.router(vertx);
            alerts.mount(router);
            alerts.start().await();
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
            return new Gateway(alerts, destinations, server, registry);
        }

        int port() {
            return server.actualPort();
        }

        void stop() {
            alerts.stop().await();
            destinations.close();
        }
    }

    /** CPU time of this whole JVM (load generator, server and sink): a cost per request that other processes on a
     * shared machine do not distort the way they distort wall-clock throughput. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static boolean awaitDrained(PrometheusRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            double pending = registry.scrape().stream()
                    .filter(s -> s.getMetadata().getPrometheusName().equals("opsgate_outbox_pending"))
                    .flatMap(s -> s.getDataPoints().stream())
                    .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p).getValue())
                    .sum();
            if (pending == 0) {
                Thread.sleep(200);
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private void print(String name, Result r) {
        System.out.printf("%-34s %12.0f %10.0f %10.2f %10.2f %8d %14s%n", name, r.rps(), r.rps() * alertsPerRequest,
                r.percentile(50), r.percentile(99), r.errors(),
                r.cpuNanos() == 0 ? "" : String.format("%.2f", r.cpuMsPerRequest()));
    }

    private static void printDelivery(String name, long[] nanos, long expected, boolean drained) {
        System.out.printf("%-34s %10.1f %10.1f %10.1f %8d of %d%s%n", name, WebhookLoad.pct(nanos, 50),
                WebhookLoad.pct(nanos, 99),
                nanos.length == 0 ? 0 : nanos[nanos.length - 1] / 1e6, nanos.length, expected,
                drained ? "" : " (outbox not drained)");
    }

    /** A measurement and the CPU time of this whole JVM during it (0: not measured). */
    private record Result(WebhookLoad.Load load, long cpuNanos) {
        long ok() {
            return load.latencies().length;
        }

        long errors() {
            return load.errors();
        }

        double rps() {
            return load.rps();
        }

        double percentile(double p) {
            return load.percentile(p);
        }

        double cpuMsPerRequest() {
            return ok() == 0 ? Double.NaN : cpuNanos / 1e6 / ok();
        }
    }
}
