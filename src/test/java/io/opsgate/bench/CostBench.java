package io.opsgate.bench;

import io.opsgate.collect.CloudWatchFetcher;
import io.opsgate.collect.MetricQuery;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.AwsEndpointProxy;
import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.FreePort;
import io.opsgate.testing.ManualClock;
import io.opsgate.testing.SimulatedService;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * {@code bench/cost}: what a simulated day of CloudWatch polling costs, fixed 5-minute polling against cost-aware
 * polling, on a fleet where a share of the resources is full and idle and the rest drain (within physics) and refill.
 * The service and the simulator run in this JVM on one fast-forwarded clock; every cycle is the real service
 * (real SDK, real GetMetricData against the simulator). Crossings of the alert thresholds (BurstBalance below 20 %,
 * the CPU credit balance of standard instances below 20) are timed against a reader that polls the draining
 * resources every simulated minute. Then cloudwatch_exporter 0.16.0, unmodified in its own JVM, is configured for the
 * same series and scraped side by side against a simulator with the same fleet, to count the metrics one scrape
 * requests. Prints a Markdown report (also written to {@code <out>/cost.md}).
 */
public final class CostBench {
    private static final double BURST_THRESHOLD = 0.2;
    private static final double CREDIT_THRESHOLD = 20;
    private static final Instant START = Instant.parse("2026-12-02T00:01:00Z");

    record Options(int volumes, int instances, double idleShare, int hours, int intervalMinutes, boolean exporter,
                   String exporterClasspath, List<String> jvmArgs, Path out) {
    }

    /** One run of the day: metrics requested after the first cycle, and when each crossing was first served. */
    record Day(String mode, long metrics, double dollars, long calls, boolean callsMinimal,
               Map<String, List<Instant>> crossingsServed, Map<String, List<Instant[]>> truth, long cycles) {
    }

    private final Options o;
    private final StringBuilder report = new StringBuilder();

    private CostBench(Options o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Files.createDirectories(o.out());
        String md = new CostBench(o).run("bench/cost" + (args.length == 0 ? "" : " " + String.join(" ", args)));
        Report.publish(o.out().resolve("cost.md"), md);
        System.exit(0);
    }

    private String run(String command) throws Exception {
        Machine machine = Machine.current();
        line("### Run of %s: `%s`", Instant.now().truncatedTo(ChronoUnit.SECONDS), command);
        line("");
        line("Machine: %s; load average at start %s.", machine.summary(), machine.loadAverage());
        line("");
        Day fixed = day(false);
        Day aware = day(true);
        long bursting;
        long crediting;
        long unlimited;
        try (SimulatedService probe = SimulatedService.start(options(new ManualClock(START)), yaml(false),
                new ManualClock(START))) {
            bursting = probe.simulator().fleet().volumes(BenchConfig.ACCOUNT_ID, BenchConfig.REGION).stream()
                    .filter(SimVolume::reportsBurstBalance).count();
            List<SimInstance> credits = probe.simulator().fleet().instances(BenchConfig.ACCOUNT_ID, BenchConfig.REGION)
                    .stream().filter(SimInstance::reportsCreditMetrics).toList();
            crediting = credits.size();
            unlimited = credits.stream().filter(i -> "unlimited".equals(i.creditMode())).count();
        }
        line("#### A simulated day, fixed %d-minute polling against cost-aware polling", o.intervalMinutes());
        line("");
        line("%,d volumes and %,d instances (%,d BurstBalance series; %,d burstable instances running, %,d of them "
                + "unlimited), %.0f %% of the resources full and idle, the others draining at 50-100 %% of the fastest "
                + "rate their type allows to below the alert threshold and refilling; %d hours fast-forwarded, one cycle "
                + "every %d minutes (%,d cycles after the first). Thresholds: BurstBalance 0.2, CPU credits 20 (standard "
                + "mode), max_interval 1h.", o.volumes(), o.instances(), bursting, crediting, unlimited,
                o.idleShare() * 100, o.hours(), o.intervalMinutes(), fixed.cycles());
        line("");
        line("| polling | metrics requested per day%s | dollars per day ($0.01 per 1,000) | GetMetricData calls (%d h) | "
                + "calls = ⌈due/500⌉ every cycle | crossings | detected | worst detection delay | median delay |",
                o.hours() == 24 ? "" : " (" + o.hours() + " h scaled to 24 h)", o.hours());
        line("|---|---|---|---|---|---|---|---|---|");
        double[] fixedDelay = row(fixed);
        double[] awareDelay = row(aware);
        line("");
        line("Cost-aware / fixed: %.3f of the metrics (%.2f× fewer); worst detection delay %s against %s.",
                (double) aware.metrics() / fixed.metrics(), (double) fixed.metrics() / aware.metrics(),
                minutes(awareDelay[0]), minutes(fixedDelay[0]));
        line("");
        line("Detection delay: from the first simulated minute at which a reader polling the draining resources every "
                + "minute (same window and period) sees the value below its threshold, to the first cycle whose "
                + "`/metrics` shows it below. Fixed polling requests every series every cycle, with surplus metrics "
                + "only for unlimited instances (as cost-aware polling does).");
        line("");
        if (o.exporter()) {
            exporter(bursting, crediting, fixed, aware);
        }
        line("Load average at the end: %s.", Machine.currentLoadAverage());
        return report.toString();
    }

    private SimulatorOptions options(ManualClock clock) {
        return SimulatorOptions.defaults().withFleetSize(o.volumes(), o.instances()).withClock(clock);
    }

    private static String yaml(boolean costAware) {
        return """
                collection:
                  interval: 1h
                  jitter: 0
                  collectors: [ebs, ec2]
                  cloudwatch:
                    cost_aware: {enabled: %s}
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", sts: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATEBENCH0000, secret_access_key: bench-secret-not-a-real-key}
                accounts:
                  - name: bench
                    id: "%s"
                """.formatted(costAware, BenchConfig.ACCOUNT_ID);
    }

    private Day day(boolean costAware) throws Exception {
        ManualClock clock = new ManualClock(START);
        ExecutorService calls = Executors.newSingleThreadExecutor();
        try (SimulatedService env = SimulatedService.start(options(clock), yaml(costAware), clock,
                sim -> sim.setIdleShare(o.idleShare()));
             CloudWatchClient client = CloudWatchClient.builder().endpointOverride(URI.create(env.simulator().endpoint()))
                     .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create("AKIAOPSGATEBENCH0000", "bench-secret-not-a-real-key"))).build()) {
            AwsSimulator sim = env.simulator();
            env.awaitReady(Duration.ofMinutes(2));
            // The reader that times the crossings: every draining series, every simulated minute.
            Map<MetricQuery, String> watched = new HashMap<>();
            Map<String, Double> thresholds = new HashMap<>();
            for (SimVolume v : sim.fleet().volumes(BenchConfig.ACCOUNT_ID, BenchConfig.REGION)) {
                if (v.reportsBurstBalance() && !sim.idle(v.id())) {
                    watched.put(new MetricQuery("AWS/EBS", "BurstBalance", "VolumeId", v.id(), "Average"), v.id());
                    thresholds.put(v.id(), BURST_THRESHOLD * 100);
                }
            }
            for (SimInstance i : sim.fleet().instances(BenchConfig.ACCOUNT_ID, BenchConfig.REGION)) {
                if (i.reportsCreditMetrics() && "standard".equals(i.creditMode()) && !sim.idle(i.id())) {
                    watched.put(new MetricQuery("AWS/EC2", "CPUCreditBalance", "InstanceId", i.id(), "Average"), i.id());
                    thresholds.put(i.id(), CREDIT_THRESHOLD);
                }
            }
            CloudWatchFetcher everyMinute = new CloudWatchFetcher(client, Duration.ofMinutes(5), Duration.ofMinutes(15),
                    clock, n -> { }, calls, 1, Duration.ofSeconds(60));
            Map<String, List<Instant[]>> truth = new HashMap<>();
            Map<String, Boolean> truthLow = new HashMap<>();
            Map<String, List<Instant>> served = new HashMap<>();
            Map<String, Boolean> servedLow = new HashMap<>();
            observe(env.get("/metrics").body(), thresholds, clock.instant(), served, servedLow);
            double metricsBefore = ExpositionText.sum(env.get("/metrics").body(), "opsgate_cloudwatch_metrics_requested_total");
            // The service's calls only: the minute reader's own GetMetricData calls are not part of either bill.
            long serviceCalls = 0;
            boolean minimal = true;
            long cycles = (long) o.hours() * 60 / o.intervalMinutes();
            double metricsLast = metricsBefore;
            for (long c = 0; c < cycles; c++) {
                for (int m = 0; m < o.intervalMinutes(); m++) {
                    clock.advance(Duration.ofMinutes(1));
                    Map<MetricQuery, Double> now = everyMinute.fetchNewest(new ArrayList<>(watched.keySet()),
                            clock.instant().plusSeconds(60));
                    for (Map.Entry<MetricQuery, String> w : watched.entrySet()) {
                        Double v = now.get(w.getKey());
                        String id = w.getValue();
                        boolean low = v != null && v < thresholds.get(id);
                        boolean was = truthLow.getOrDefault(id, false);
                        if (low && !was) {
                            truth.computeIfAbsent(id, k -> new ArrayList<>()).add(new Instant[] {clock.instant(), null});
                        } else if (!low && was) {
                            List<Instant[]> list = truth.get(id);
                            list.get(list.size() - 1)[1] = clock.instant();
                        }
                        truthLow.put(id, low);
                    }
                }
                long callsAtStart = sim.requestCount("GetMetricData");
                env.collectOnce();
                String body = env.get("/metrics").body();
                double metricsNow = ExpositionText.sum(body, "opsgate_cloudwatch_metrics_requested_total");
                long due = (long) (metricsNow - metricsLast);
                long cycleCalls = sim.requestCount("GetMetricData") - callsAtStart;
                serviceCalls += cycleCalls;
                minimal &= cycleCalls == (due + 499) / 500;
                metricsLast = metricsNow;
                observe(body, thresholds, clock.instant(), served, servedLow);
            }
            String last = env.get("/metrics").body();
            long requested = (long) (ExpositionText.sum(last, "opsgate_cloudwatch_metrics_requested_total") - metricsBefore);
            // A run shorter or longer than a day is scaled to one, so that it compares with the exporter's day.
            long metrics = Math.round(requested * 24.0 / o.hours());
            double dollars = new java.math.BigDecimal(metrics).movePointLeft(5).doubleValue();
            return new Day(costAware ? "cost-aware" : "fixed", metrics, dollars, serviceCalls, minimal, served, truth,
                    cycles);
        } finally {
            calls.shutdownNow();
        }
    }

    /** Records, per watched resource, each cycle at which the served value went below its threshold. */
    private static void observe(String body, Map<String, Double> thresholds, Instant at, Map<String, List<Instant>> served,
                                Map<String, Boolean> servedLow) {
        for (String line : ExpositionText.samples(body, "aws_ebs_burst_balance_ratio")) {
            see(ExpositionText.label(line, "volume_id"), ExpositionText.value(line) * 100, thresholds, at, served, servedLow);
        }
        for (String line : ExpositionText.samples(body, "aws_ec2_cpu_credit_balance")) {
            see(ExpositionText.label(line, "instance_id"), ExpositionText.value(line), thresholds, at, served, servedLow);
        }
    }

    private static void see(String id, double value, Map<String, Double> thresholds, Instant at,
                            Map<String, List<Instant>> served, Map<String, Boolean> servedLow) {
        Double threshold = thresholds.get(id);
        if (threshold == null) {
            return;
        }
        boolean low = value < threshold;
        if (low && !servedLow.getOrDefault(id, false)) {
            served.computeIfAbsent(id, k -> new ArrayList<>()).add(at);
        }
        servedLow.put(id, low);
    }

    /** Prints the day's row; returns {worst delay s, median delay s}. */
    private double[] row(Day d) {
        List<Long> delays = new ArrayList<>();
        int crossings = 0;
        int detected = 0;
        for (Map.Entry<String, List<Instant[]>> e : d.truth().entrySet()) {
            List<Instant> seen = d.crossingsServed().getOrDefault(e.getKey(), List.of());
            for (Instant[] episode : e.getValue()) {
                crossings++;
                Instant until = episode[1] == null ? Instant.MAX : episode[1].plus(Duration.ofMinutes(o.intervalMinutes()));
                Instant first = seen.stream().filter(t -> !t.isBefore(episode[0]) && t.isBefore(until)).findFirst().orElse(null);
                if (first != null) {
                    detected++;
                    delays.add(Duration.between(episode[0], first).toSeconds());
                }
            }
        }
        long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
        double worst = sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
        double median = sorted.length == 0 ? Double.NaN : Stats.median(sorted);
        line("| %s | %,d | $%.2f | %,d | %s | %,d | %,d | %s | %s |", d.mode(), d.metrics(), d.dollars(), d.calls(),
                d.callsMinimal() ? "yes" : "NO", crossings, detected, minutes(worst), minutes(median));
        return new double[] {worst, median};
    }

    private void exporter(long bursting, long crediting, Day fixed, Day aware) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            AwsSimulator sim = CollectionBench.await(AwsSimulator.start(vertx, SimulatorOptions.defaults()
                    .withFleetSize(o.volumes(), o.instances())));
            sim.setIdleShare(o.idleShare());
            try (AwsEndpointProxy proxy = AwsEndpointProxy.start(sim.port(),
                    List.of("monitoring." + BenchConfig.REGION + ".amazonaws.com"), o.out())) {
                Path config = o.out().resolve("cost-exporter.yml");
                StringBuilder yml = new StringBuilder("region: " + BenchConfig.REGION + "\nuse_get_metric_data: true"
                        + "\nperiod_seconds: 300\nrange_seconds: 900\ndelay_seconds: 0\nmetrics:\n"
                        + "  - {aws_namespace: AWS/EBS, aws_metric_name: BurstBalance, aws_dimensions: [VolumeId], aws_statistics: [Average]}\n");
                for (String m : List.of("CPUCreditBalance", "CPUCreditUsage", "CPUSurplusCreditBalance", "CPUSurplusCreditsCharged")) {
                    yml.append("  - {aws_namespace: AWS/EC2, aws_metric_name: ").append(m)
                            .append(", aws_dimensions: [InstanceId], aws_statistics: [Average]}\n");
                }
                Files.writeString(config, yml.toString());
                int port = FreePort.pick();
                List<String> jvm = new ArrayList<>(o.jvmArgs());
                jvm.addAll(proxy.clientJvmArgs());
                try (JvmProcess exporter = JvmProcess.start("cloudwatch_exporter", jvm,
                        List.of("-cp", o.exporterClasspath(), "io.prometheus.cloudwatch.WebServer", String.valueOf(port),
                                config.toString()),
                        Map.of("AWS_ACCESS_KEY_ID", "AKIAOPSGATEBENCH0000", "AWS_SECRET_ACCESS_KEY", "bench",
                                "AWS_REGION", BenchConfig.REGION, "AWS_EC2_METADATA_DISABLED", "true"),
                        o.out().resolve("cost-exporter.log"))) {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    String body = null;
                    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    while (body == null && System.nanoTime() < deadline && exporter.alive()) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofMinutes(5)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            body = r.statusCode() == 200 ? r.body() : null;
                        } catch (java.io.IOException starting) {
                            Thread.sleep(200);
                        }
                    }
                    if (body == null) {
                        throw new IllegalStateException("cloudwatch_exporter did not answer; see its log");
                    }
                    sim.resetCounts();
                    HttpResponse<String> second = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofMinutes(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long series = List.of("aws_ebs_burst_balance_average", "aws_ec2_cpucredit_balance_average",
                            "aws_ec2_cpucredit_usage_average", "aws_ec2_cpusurplus_credit_balance_average",
                            "aws_ec2_cpusurplus_credits_charged_average").stream()
                            .mapToLong(n -> ExpositionText.samples(second.body(), n).size()).sum();
                    long perDay = series * 1440;
                    line("#### cloudwatch_exporter 0.16.0 scraped every 60 s by one Prometheus, same resources");
                    line("");
                    line("cloudwatch_exporter (GetMetricData mode, its own JVM, the rules of `bench/cloudwatch`: BurstBalance "
                            + "by VolumeId and the four credit metrics by InstanceId, period 300 s, range 900 s) against a "
                            + "simulator with the same fleet. One scrape made %,d GetMetricData calls and served %,d series "
                            + "(%,d BurstBalance + 4 × %,d credit series): AWS bills every series it requests, on every scrape.",
                            sim.requestCount("GetMetricData"), series, bursting, crediting);
                    line("");
                    line("| | metrics requested per day | dollars per day |");
                    line("|---|---|---|");
                    line("| cloudwatch_exporter, 1,440 scrapes | %,d | $%.2f |", perDay,
                            new java.math.BigDecimal(perDay).movePointLeft(5).doubleValue());
                    line("| OpsGate, fixed polling every %d min | %,d | $%.2f |", o.intervalMinutes(), fixed.metrics(), fixed.dollars());
                    line("| OpsGate, cost-aware | %,d | $%.2f |", aware.metrics(), aware.dollars());
                    line("");
                    line("OpsGate cost-aware / cloudwatch_exporter: %.3f (%.1f× fewer metrics).",
                            (double) aware.metrics() / perDay, (double) perDay / aware.metrics());
                    line("");
                }
            } finally {
                CollectionBench.await(sim.stop());
            }
        } finally {
            CollectionBench.await(vertx.close());
        }
    }

    private static String minutes(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        report.append(text).append('\n');
        if (!text.isEmpty()) {
            System.out.println("bench: " + text);
        }
    }

    private static Options parse(String[] args) throws Exception {
        int volumes = 1_000, instances = 500, hours = 24, interval = 5;
        double idle = 0.8;
        boolean exporter = true;
        List<String> jvm = BenchOptions.SHIPPED_JVM_ARGS;
        Path out = Path.of("target/bench");
        Path exporterCp = Path.of("target/cloudwatch-exporter.classpath");
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--volumes" -> volumes = Integer.parseInt(v);
                case "--instances" -> instances = Integer.parseInt(v);
                case "--idle-share" -> idle = Double.parseDouble(v);
                case "--hours" -> hours = Integer.parseInt(v);
                case "--interval-minutes" -> interval = Integer.parseInt(v);
                case "--no-exporter" -> {
                    exporter = false;
                    i--;
                }
                case "--jvm-args" -> jvm = List.of(v.trim().split("\\s+"));
                case "--out" -> out = Path.of(v);
                default -> {
                    System.err.println(USAGE);
                    System.exit(args[i].equals("--help") || args[i].equals("-h") ? 0 : 2);
                }
            }
            i++;
        }
        String cp = exporter ? Files.readString(exporterCp).trim() : "";
        return new Options(volumes, instances, idle, hours, interval, exporter, cp, jvm, out);
    }

    static final String USAGE = """
            usage: bench/cost [--volumes N] [--instances N] [--idle-share F] [--hours N] [--interval-minutes N]
                              [--no-exporter] [--jvm-args "ARGS"] [--out DIR]
              --volumes, --instances  the simulated fleet (default 1000, 500: the fleet of bench/cloudwatch's side-by-side)
              --idle-share     share of the resources full and idle (default 0.8)
              --hours          simulated hours (default 24)
              --interval-minutes  collection interval of both runs (default 5)
              --no-exporter    leave out the cloudwatch_exporter comparison
              --jvm-args       JVM options of the cloudwatch_exporter process (default: the shipped ones)
            """;
}
