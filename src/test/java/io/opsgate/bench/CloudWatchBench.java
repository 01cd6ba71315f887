package io.opsgate.bench;

import io.opsgate.sim.AwsQueryClient;
import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimInstance;
import io.opsgate.sim.SimVolume;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.AwsEndpointProxy;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench/cloudwatch}: cloudwatch_exporter 0.16.0 side by side with OpsGate against one simulated account and
 * region, and OpsGate before (SDK 2.40.2, CloudWatch over awsQuery) and after (SDK 2.57.8, RPC v2 CBOR) the SDK
 * upgrade on the large fleet, in one run. Every process gets the same JVM options. Prints a Markdown report
 * (also written to {@code <out>/cloudwatch.md}).
 */
public final class CloudWatchBench {

    private static final Map<String, String> CREDIT = Map.of(
            "CPUCreditBalance", "cpucredit_balance", "CPUCreditUsage", "cpucredit_usage",
            "CPUSurplusCreditBalance", "cpusurplus_credit_balance", "CPUSurplusCreditsCharged", "cpusurplus_credits_charged");

    record Options(int volumes, int instances, int sideVolumes, int sideInstances, int latencyMs, int scrapes,
            int gmsScrapes, int cycles, List<String> jvmArgs, Path jar, String exporterClasspath,
            String baselineClasspath, Path out) {
    }

    /** Collection interval (and so cycle timeout) of the SDK comparison: room for slow cycles on a loaded machine. */
    private static final String CYCLE_INTERVAL = "60s";

    private final Options o;
    private final StringBuilder report = new StringBuilder();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private CloudWatchBench(Options o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Files.createDirectories(o.out());
        CloudWatchBench bench = new CloudWatchBench(o);
        String md = bench.run("bench/cloudwatch" + (args.length == 0 ? "" : " " + String.join(" ", args)));
        Report.publish(o.out().resolve("cloudwatch.md"), md);
        System.exit(0);
    }

    private String run(String command) throws Exception {
        Machine machine = Machine.current();
        line("Run of %s: `%s`", Instant.now().truncatedTo(ChronoUnit.SECONDS), command);
        line("");
        line("Machine: %s; load average at start %s. JVM options of every measured process: `%s`.",
                machine.summary(), machine.loadAverage(), String.join(" ", o.jvmArgs()));
        line("");
        Vertx vertx = Vertx.vertx();
        try {
            sideBySide(vertx);
            beforeAfter(vertx);
        } finally {
            CollectionBench.await(vertx.close());
        }
        line("");
        line("Load average at the end: %s.", Machine.currentLoadAverage());
        return report.toString();
    }

    // ---- cloudwatch_exporter vs OpsGate -----------------------------------------------------------------------

    private void sideBySide(Vertx vertx) throws Exception {
        AwsSimulator sim = CollectionBench.await(AwsSimulator.start(vertx, SimulatorOptions.defaults()
                .withFleetSize(o.sideVolumes(), o.sideInstances()).withLatency(Duration.ofMillis(o.latencyMs()))));
        try {
            long bursting = sim.fleet().volumes(BenchConfig.ACCOUNT_ID, BenchConfig.REGION).stream()
                    .filter(SimVolume::reportsBurstBalance).count();
            long crediting = sim.fleet().instances(BenchConfig.ACCOUNT_ID, BenchConfig.REGION).stream()
                    .filter(SimInstance::reportsCreditMetrics).count();
            long series = bursting + 4 * crediting;
            line("### cloudwatch_exporter 0.16.0 and OpsGate, one simulated account and region");
            line("");
            line("%,d volumes and %,d instances (%,d BurstBalance and %,d × 4 credit series = %,d CloudWatch series), "
                    + "%d ms simulated latency per AWS request. cloudwatch_exporter is configured for exactly these series "
                    + "(5 rules: AWS/EBS BurstBalance by VolumeId, the 4 AWS/EC2 credit metrics by InstanceId, Average, "
                    + "period 300 s, range 900 s, delay 0); OpsGate collects them plus EC2/EBS inventory and status checks.",
                    o.sideVolumes(), o.sideInstances(), bursting, crediting, series, o.latencyMs());
            line("");
            line("| | AWS requests | CloudWatch metrics requested | scrape median, 1 scraper | p99, 1 | median, 4 scrapers | p99, 4 | RSS after scrapes | under 50 % throttling |");
            line("|---|---|---|---|---|---|---|---|---|");
            opsGateRow(sim, series);
            try (AwsEndpointProxy proxy = AwsEndpointProxy.start(sim.port(),
                    List.of("monitoring." + BenchConfig.REGION + ".amazonaws.com"), o.out())) {
                for (boolean gmd : new boolean[] {true, false}) {
                    exporterRow(sim, proxy, gmd, series);
                }
            }
            line("");
            line("AWS requests and metrics requested are per collection cycle for OpsGate (scrapes never call AWS) and per "
                    + "scrape for cloudwatch_exporter (every scrape calls AWS; ListMetrics results are not cached by default). "
                    + "cloudwatch_exporter's SDK (2.27.7) has no endpoint setting, so it reaches the simulator over HTTPS "
                    + "through a TLS-terminating proxy in the bench JVM (standard https.proxyHost and trustStore options), "
                    + "as it would reach AWS through a corporate proxy; OpsGate talks plain HTTP to the simulator. "
                    + "\"under 50 % throttling\": series served after one cycle (OpsGate) or one scrape (exporter) while the "
                    + "simulator throttles half of all requests.");
            line("");
        } finally {
            CollectionBench.await(sim.stop());
        }
    }

    private void opsGateRow(AwsSimulator sim, long series) throws Exception {
        sim.resetCounts();
        sim.faults().clear();
        sim.faults().setLatency(Duration.ofMillis(o.latencyMs()));
        int port = FreePort.pick();
        Path config = o.out().resolve("cw-opsgate.yml");
        Files.writeString(config, BenchConfig.yaml(sim.endpoint(), "127.0.0.1:" + port));
        try (JvmProcess service = JvmProcess.start("opsgate", o.jvmArgs(),
                List.of("-jar", o.jar().toString(), "run", "-c", config.toString()), o.out().resolve("cw-opsgate.log"))) {
            String body = awaitOpsGate(service, port);
            Map<String, Long> cycleCounts = sim.requestCounts();
            long requests = total(cycleCounts);
            double metrics = ExpositionText.sum(body, "opsgate_cloudwatch_metrics_requested_total");
            long[][] lat = {scrapes(port, 1, o.scrapes()), scrapes(port, 4, o.scrapes())};
            long rss = service.residentKiB()[0];
            service.close();

            sim.faults().setThrottleRate(0.5);
            int port2 = FreePort.pick();
            Path config2 = o.out().resolve("cw-opsgate-throttled.yml");
            Files.writeString(config2, BenchConfig.yaml(sim.endpoint(), "127.0.0.1:" + port2));
            String throttled;
            try (JvmProcess again = JvmProcess.start("opsgate (throttled)", o.jvmArgs(),
                    List.of("-jar", o.jar().toString(), "run", "-c", config2.toString()),
                    o.out().resolve("cw-opsgate-throttled.log"))) {
                String b = awaitOpsGate(again, port2);
                double up = ExpositionText.sum(b, "opsgate_collector_up");
                throttled = String.format(Locale.ROOT, "%,d of %,d series, %s of %d collectors up, %,d throttled requests retried",
                        cloudWatchSeries(b, true), series, fmt(up), io.opsgate.config.CollectorName.values().length,
                        (long) ExpositionText.sum(b, "opsgate_aws_requests_total", "outcome=\"throttled\""));
            } finally {
                sim.faults().setThrottleRate(0);
            }
            line("| OpsGate (per cycle; " + o.scrapes() + " scrapes per scraper) | %,d (%s) | %,d | %s | %s | %s | %s | %,d MB | %s |", requests,
                    describe(cycleCounts), (long) metrics, ms(Stats.median(lat[0])), ms(Stats.percentile(lat[0], 99)),
                    ms(Stats.median(lat[1])), ms(Stats.percentile(lat[1], 99)), rss / 1024, throttled);
        }
    }

    private void exporterRow(AwsSimulator sim, AwsEndpointProxy proxy, boolean gmd, long series) throws Exception {
        Path config = o.out().resolve("cw-exporter-" + (gmd ? "gmd" : "gms") + ".yml");
        StringBuilder yml = new StringBuilder("region: " + BenchConfig.REGION + "\nuse_get_metric_data: " + gmd
                + "\nperiod_seconds: 300\nrange_seconds: 900\ndelay_seconds: 0\nmetrics:\n"
                + "  - {aws_namespace: AWS/EBS, aws_metric_name: BurstBalance, aws_dimensions: [VolumeId], aws_statistics: [Average]}\n");
        for (String m : CREDIT.keySet()) {
            yml.append("  - {aws_namespace: AWS/EC2, aws_metric_name: ").append(m)
                    .append(", aws_dimensions: [InstanceId], aws_statistics: [Average]}\n");
        }
        Files.writeString(config, yml.toString());
        int port = FreePort.pick();
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIAOPSGATEBENCH0000", "AWS_SECRET_ACCESS_KEY", "bench",
                "AWS_REGION", BenchConfig.REGION, "AWS_EC2_METADATA_DISABLED", "true");
        int n = gmd ? o.scrapes() : o.gmsScrapes();
        String mode = (gmd ? "cloudwatch_exporter, `use_get_metric_data: true`" : "cloudwatch_exporter, default GetMetricStatistics mode")
                + " (per scrape; " + n + " scrape" + (n == 1 ? "" : "s") + " per scraper)";
        List<String> jvm = new ArrayList<>(o.jvmArgs());
        jvm.addAll(proxy.clientJvmArgs());
        try (JvmProcess exporter = JvmProcess.start("cloudwatch_exporter", jvm,
                List.of("-cp", o.exporterClasspath(), "io.prometheus.cloudwatch.WebServer", String.valueOf(port),
                        config.toString()), env, o.out().resolve("cw-exporter-" + (gmd ? "gmd" : "gms") + ".log"))) {
            awaitHttp(exporter, port, "/-/healthy");
            String first = get(port);
            sim.resetCounts();
            String second = get(port);
            Map<String, Long> counts = sim.requestCounts();
            double metrics = ExpositionText.sum(second, "cloudwatch_metrics_requested_total")
                    - ExpositionText.sum(first, "cloudwatch_metrics_requested_total");
            long[][] lat = {scrapes(port, 1, n), scrapes(port, 4, n)};
            long rss = exporter.residentKiB()[0];
            sim.faults().setThrottleRate(0.5);
            String throttled;
            try {
                String b = get(port);
                throttled = String.format(Locale.ROOT, "%,d of %,d series, scrape_error %s",
                        cloudWatchSeries(b, false), series, fmt(ExpositionText.sum(b, "cloudwatch_exporter_scrape_error")));
            } finally {
                sim.faults().setThrottleRate(0);
            }
            line("| %s | %,d (%s) | %,d | %s | %s | %s | %s | %,d MB | %s |", mode, total(counts), describe(counts),
                    (long) metrics, ms(Stats.median(lat[0])), ms(Stats.percentile(lat[0], 99)), ms(Stats.median(lat[1])),
                    ms(Stats.percentile(lat[1], 99)), rss / 1024, throttled);
            if (ExpositionText.sum(second, "cloudwatch_exporter_scrape_error") != 0) {
                line("| (that exporter's scrapes failed: see %s) | | | | | | | | |", o.out().resolve("cw-exporter-" + (gmd ? "gmd" : "gms") + ".log"));
            }
        }
    }

    /** BurstBalance and credit series in an exposition (OpsGate's names or cloudwatch_exporter's). */
    private static long cloudWatchSeries(String body, boolean opsGate) {
        List<String> names = opsGate
                ? List.of("aws_ebs_burst_balance_ratio", "aws_ec2_cpu_credit_balance", "aws_ec2_cpu_credit_usage",
                        "aws_ec2_cpu_surplus_credit_balance", "aws_ec2_cpu_surplus_credits_charged")
                : List.of("aws_ebs_burst_balance_average", "aws_ec2_cpucredit_balance_average", "aws_ec2_cpucredit_usage_average",
                        "aws_ec2_cpusurplus_credit_balance_average", "aws_ec2_cpusurplus_credits_charged_average");
        return names.stream().mapToLong(n -> ExpositionText.samples(body, n).size()).sum();
    }

    // ---- OpsGate before and after the SDK upgrade -------------------------------------------------------------

    private void beforeAfter(Vertx vertx) throws Exception {
        AwsSimulator sim = CollectionBench.await(AwsSimulator.start(vertx, SimulatorOptions.defaults()
                .withFleetSize(o.volumes(), o.instances()).withLatency(Duration.ofMillis(o.latencyMs()))));
        try {
            line("### OpsGate before and after the SDK upgrade (%,d volumes, %,d instances, %d ms latency)",
                    o.volumes(), o.instances(), o.latencyMs());
            line("");
            line("The same service classes run with the SDK they were built for (2.57.8, the shaded jar: CloudWatch over "
                    + "Smithy RPC v2 CBOR) and with SDK 2.40.2's jars on the classpath (CloudWatch over awsQuery, the old "
                    + "pin). Collection every " + CYCLE_INTERVAL + "; figures over %d cycles after the first (JIT warm-up) one.", o.cycles());
            line("");
            line("| SDK | CloudWatch protocol | cycle time, median | CPU s per cycle, median | GetMetricData calls per cycle | RSS after the cycles | heap after full GC |");
            line("|---|---|---|---|---|---|---|");
            List<String> before = List.of("-cp", o.baselineClasspath(), "io.opsgate.cli.Main");
            List<String> after = List.of("-jar", o.jar().toString());
            double[] b = cycles(sim, "2.40.2", before);
            double[] a = cycles(sim, "2.57.8", after);
            line("");
            line("Ratios after/before: cycle time %.2f, CPU per cycle %.2f, RSS %.2f.", a[0] / b[0], a[1] / b[1], a[2] / b[2]);
            line("");
            wireSizes(sim);
        } finally {
            CollectionBench.await(sim.stop());
        }
    }

    /** @return {median cycle seconds, median CPU seconds per cycle, RSS KiB} */
    private double[] cycles(AwsSimulator sim, String sdk, List<String> main) throws Exception {
        int port = FreePort.pick();
        Path config = o.out().resolve("cw-sdk-" + sdk + ".yml");
        Files.writeString(config, BenchConfig.yaml(sim.endpoint(), "127.0.0.1:" + port, CYCLE_INTERVAL));
        List<String> args = new ArrayList<>(main);
        args.addAll(List.of("run", "-c", config.toString()));
        sim.resetCounts();
        try (JvmProcess service = JvmProcess.start("opsgate (SDK " + sdk + ")", o.jvmArgs(), args,
                o.out().resolve("cw-sdk-" + sdk + ".log"))) {
            awaitOpsGate(service, port);
            double done = cyclesDone(port);
            long[] seconds = new long[o.cycles()];
            long[] cpu = new long[o.cycles()];
            long cpuBefore = service.cpuNanos();
            Map<String, Long> countsBefore = sim.requestCountsByProtocol();
            Map<String, Long> countsAfter = countsBefore;
            long deadline = System.nanoTime() + Duration.ofMinutes(2L * o.cycles() + 2).toNanos();
            for (int i = 0; i < o.cycles(); i++) {
                double target = done + 1;
                String body;
                do {
                    if (System.nanoTime() > deadline || !service.alive()) {
                        throw new IllegalStateException("SDK " + sdk + ": cycles did not complete; see its log");
                    }
                    Thread.sleep(100);
                    body = metrics(port);
                } while (ExpositionText.sum(body, "opsgate_collection_cycles_total") < target);
                done = target;
                long cpuNow = service.cpuNanos();
                cpu[i] = cpuNow - cpuBefore;
                cpuBefore = cpuNow;
                seconds[i] = (long) (ExpositionText.sum(body, "opsgate_collection_duration_seconds") * 1e9);
                countsBefore = countsAfter;
                countsAfter = sim.requestCountsByProtocol();
            }
            long calls = delta(countsAfter, countsBefore, "GetMetricData");
            long rss = service.residentKiB()[0];
            long[] heap = service.heapAfterGcKiB();
            String protocol = countsAfter.containsKey("rpcv2Cbor:GetMetricData") ? "RPC v2 CBOR" : "awsQuery";
            line("| %s | %s | %.2f s | %.2f s | %,d | %,d MB | %,d MB |", sdk, protocol, Stats.median(seconds) / 1e9,
                    Stats.median(cpu) / 1e9, calls, rss / 1024, heap[1] / 1024);
            return new double[] {Stats.median(seconds) / 1e9, Stats.median(cpu) / 1e9, rss};
        }
    }

    private static long delta(Map<String, Long> after, Map<String, Long> before, String operation) {
        long n = 0;
        for (String p : List.of("rpcv2Cbor:", "query:")) {
            n += after.getOrDefault(p + operation, 0L) - before.getOrDefault(p + operation, 0L);
        }
        return n;
    }

    /** Bytes of one 500-query GetMetricData reply (3 datapoints each) in both protocols the simulator serves. */
    private void wireSizes(AwsSimulator sim) throws Exception {
        List<SimVolume> volumes = sim.fleet().volumes(BenchConfig.ACCOUNT_ID, BenchConfig.REGION).stream()
                .filter(SimVolume::reportsBurstBalance).limit(500).toList();
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(Duration.ofMinutes(15));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("StartTime", start.toString());
        form.put("EndTime", end.toString());
        form.put("ScanBy", "TimestampDescending");
        List<Map<String, Object>> cborQueries = new ArrayList<>();
        for (int n = 0; n < volumes.size(); n++) {
            String base = "MetricDataQueries.member." + (n + 1) + ".";
            form.put(base + "Id", "q" + n);
            form.put(base + "MetricStat.Metric.Namespace", "AWS/EBS");
            form.put(base + "MetricStat.Metric.MetricName", "BurstBalance");
            form.put(base + "MetricStat.Metric.Dimensions.member.1.Name", "VolumeId");
            form.put(base + "MetricStat.Metric.Dimensions.member.1.Value", volumes.get(n).id());
            form.put(base + "MetricStat.Period", "300");
            form.put(base + "MetricStat.Stat", "Average");
            cborQueries.add(Map.of("Id", "q" + n, "MetricStat", Map.of("Metric", Map.of("Namespace", "AWS/EBS",
                    "MetricName", "BurstBalance", "Dimensions", List.of(Map.of("Name", "VolumeId", "Value", volumes.get(n).id()))),
                    "Period", 300, "Stat", "Average")));
        }
        AwsQueryClient client = new AwsQueryClient(URI.create(sim.endpoint()), BenchConfig.REGION);
        HttpResponse<byte[]> xml = client.raw("GetMetricData", form);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("MetricDataQueries", cborQueries);
        request.put("StartTime", start.getEpochSecond());
        request.put("EndTime", end.getEpochSecond());
        request.put("ScanBy", "TimestampDescending");
        HttpResponse<byte[]> cbor = client.cbor("GetMetricData",
                new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper().writeValueAsBytes(request), true);
        if (xml.statusCode() != 200 || cbor.statusCode() != 200) {
            throw new IllegalStateException("GetMetricData for the wire sizes: HTTP " + xml.statusCode() + " / " + cbor.statusCode());
        }
        line("One GetMetricData reply of %d queries × 3 datapoints (BurstBalance, 15 min, period 300 s): awsQuery XML "
                + "%,d bytes, RPC v2 CBOR %,d bytes: CBOR/XML = %.3f (XML is %.1f× larger). Request bodies: form %,d bytes, "
                + "CBOR %,d bytes.", volumes.size(), xml.body().length, cbor.body().length,
                (double) cbor.body().length / xml.body().length, (double) xml.body().length / cbor.body().length,
                formLength(form), new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper().writeValueAsBytes(request).length);
    }

    private static int formLength(Map<String, String> form) {
        StringBuilder sb = new StringBuilder("Action=GetMetricData&Version=2010-08-01");
        form.forEach((k, v) -> sb.append('&').append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8))
                .append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return sb.length();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private String awaitOpsGate(JvmProcess service, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.alive()) {
                throw new IllegalStateException("the service process exited; see its log");
            }
            try {
                if (http.send(request(port, "/-/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    String body = metrics(port);
                    if (body.contains("aws_ebs_volume_info{")) {
                        return body;
                    }
                }
            } catch (java.io.IOException starting) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service did not serve its first snapshot within 3 minutes");
    }

    private void awaitHttp(JvmProcess process, int port, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException("process exited; see its log");
            }
            try {
                if (http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException starting) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(path + " not answering within 2 minutes");
    }

    private double cyclesDone(int port) throws Exception {
        return ExpositionText.sum(metrics(port), "opsgate_collection_cycles_total");
    }

    private String metrics(int port) throws Exception {
        return get(port);
    }

    private String get(int port) throws Exception {
        HttpResponse<String> r = http.send(request(port, "/metrics"), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics on :" + port + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofMinutes(10)).build();
    }

    /** {@code perScraper} scrapes by each of {@code scrapers} concurrent scrapers; latencies in ns. */
    private long[] scrapes(int port, int scrapers, int perScraper) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(scrapers);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int s = 0; s < scrapers; s++) {
                futures.add(pool.submit(() -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    long[] out = new long[perScraper];
                    for (int i = 0; i < perScraper; i++) {
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = client.send(request(port, "/metrics"), HttpResponse.BodyHandlers.ofByteArray());
                        out[i] = System.nanoTime() - t0;
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + r.statusCode());
                        }
                    }
                    return out;
                }));
            }
            long[] all = new long[scrapers * perScraper];
            for (int s = 0; s < scrapers; s++) {
                System.arraycopy(futures.get(s).get(), 0, all, s * perScraper, perScraper);
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String describe(Map<String, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((op, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d", op, n)));
        return sb.toString();
    }

    private static String ms(double nanos) {
        return nanos >= 1e9 ? String.format(Locale.ROOT, "%.2f s", nanos / 1e9) : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private void line(String format, Object... args) {
        report.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
        if (!format.isEmpty()) {
            System.out.println("bench: " + (args.length == 0 ? format : String.format(Locale.ROOT, format, args)));
        }
    }

    private static Options parse(String[] args) throws Exception {
        int volumes = 10_000, instances = 5_000, sideVolumes = 1_000, sideInstances = 500, latency = 20;
        int scrapes = 10, gmsScrapes = 1, cycles = 2;
        List<String> jvm = BenchOptions.SHIPPED_JVM_ARGS;
        Path jar = Path.of("target/opsgate.jar");
        Path out = Path.of("target/bench");
        Path exporterCp = Path.of("target/cloudwatch-exporter.classpath");
        Path baselineCp = Path.of("target/sdk-2.40.2.classpath");
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--volumes" -> volumes = Integer.parseInt(v);
                case "--instances" -> instances = Integer.parseInt(v);
                case "--side-volumes" -> sideVolumes = Integer.parseInt(v);
                case "--side-instances" -> sideInstances = Integer.parseInt(v);
                case "--latency-ms" -> latency = Integer.parseInt(v);
                case "--scrapes" -> scrapes = Integer.parseInt(v);
                case "--gms-scrapes" -> gmsScrapes = Integer.parseInt(v);
                case "--cycles" -> cycles = Integer.parseInt(v);
                case "--jvm-args" -> jvm = List.of(v.trim().split("\\s+"));
                case "--out" -> out = Path.of(v);
                default -> {
                    System.err.println(USAGE);
                    System.exit(args[i].equals("--help") || args[i].equals("-h") ? 0 : 2);
                }
            }
            i++;
        }
        String exporter = Files.readString(exporterCp).trim();
        String baseline = "target/classes" + java.io.File.pathSeparator + Files.readString(baselineCp).trim();
        return new Options(volumes, instances, sideVolumes, sideInstances, latency, scrapes, gmsScrapes, cycles, jvm,
                jar, exporter, baseline, out);
    }

    static final String USAGE = """
            usage: bench/cloudwatch [--side-volumes N] [--side-instances N] [--scrapes N] [--gms-scrapes N]
                                    [--volumes N] [--instances N] [--cycles N] [--latency-ms N]
                                    [--jvm-args "ARGS"] [--out DIR]
              --side-volumes, --side-instances  fleet of the cloudwatch_exporter comparison (default 1000, 500)
              --scrapes        scrapes per scraper per concurrency level (OpsGate, exporter GetMetricData mode; default 10)
              --gms-scrapes    the same for the exporter's GetMetricStatistics mode, one call per series (default 1)
              --volumes, --instances  fleet of the SDK before/after comparison (default 10000, 5000)
              --cycles         timed cycles per SDK after the first (default 2)
              --latency-ms     simulated AWS latency per request (default 20)
              --jvm-args       JVM options of every measured process (default: the shipped ones)
            """;
}
