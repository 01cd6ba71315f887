package io.opsgate.bench;

import io.opsgate.sim.SimHealthCheck;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.SimulatedService;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.ListHealthChecksResponse;

/**
 * {@code bench/route53}: how to learn whether each of N Route 53 health checks is healthy within the API's 5 requests
 * per second per account. Two ways, against the simulator (real SDK, real wire protocols, the same latency on every
 * call):
 * <ol>
 *   <li><b>per check</b>: ListHealthChecks, then GetHealthCheckStatus for every check, paced to 5 per second (what a
 *       poller must do to stay under the limit);</li>
 *   <li><b>metric</b> (what OpsGate's {@code route53} collector does): one cycle of the real service: ListHealthChecks,
 *       the AWS/Route53 HealthCheckStatus metric of every check in ⌈N/500⌉ GetMetricData calls, and GetHealthCheckStatus
 *       only for the failing checks, paced.</li>
 * </ol>
 * Reports time per cycle, calls by operation, throttled attempts, metrics requested and what that costs a month at
 * a 5-minute interval. Prints a Markdown report (also written to {@code <out>/route53.md}).
 */
public final class Route53Bench {
    private static final String ACCOUNT = "123456789012";
    private static final double PRICE_PER_METRIC = 0.01 / 1000;
    private static final long CYCLES_PER_MONTH = 30L * 24 * 12;

    record Options(int checks, int latencyMs, Path out) {
    }

    record Mode(String name, double seconds, Map<String, Long> calls, long metrics) {
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Files.createDirectories(o.out());
        String command = "bench/route53" + (args.length == 0 ? "" : " " + String.join(" ", args));
        String md = run(o, command);
        Report.publish(o.out().resolve("route53.md"), md);
        System.exit(0);
    }

    private static Options parse(String[] args) {
        int checks = 500;
        int latency = 20;
        Path out = Path.of("target/bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--checks" -> checks = Integer.parseInt(args[++i]);
                case "--latency-ms" -> latency = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--help" -> {
                    System.out.println("bench/route53 [--checks N (500)] [--latency-ms MS (20)] [--out DIR (target/bench)]");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        return new Options(checks, latency, out);
    }

    private static String run(Options o, String command) throws Exception {
        Machine machine = Machine.current();
        SimulatorOptions sim = SimulatorOptions.defaults().withFleetSize(0, 0).withHealthChecksPerAccount(o.checks())
                .withLatency(Duration.ofMillis(o.latencyMs()));
        String yaml = """
                collection:
                  interval: 1h
                  timeout: 30m
                  jitter: 0
                  collectors: [route53]
                  cloudwatch: {cost_aware: {enabled: false}}
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "${SIM}", cloudwatch: "${SIM}", route53: "${SIM}"}
                  credentials: {access_key_id: AKIAOPSGATETEST00000, secret_access_key: not-a-secret}
                accounts: [{name: bench, id: "123456789012"}]
                """;
        Mode metric;
        Mode perCheck;
        long failing;
        try (SimulatedService env = SimulatedService.start(sim, yaml)) {
            env.awaitReady(Duration.ofMinutes(10));
            // The measured cycle is the second: the first one loaded the classes.
            double metricsBefore = ExpositionText.sum(env.get("/metrics").body(),
                    "opsgate_cloudwatch_metrics_requested_total");
            env.simulator().resetCounts();
            env.collectOnce();
            String body = env.get("/metrics").body();
            double seconds = ExpositionText.sum(body, "opsgate_collection_duration_seconds");
            Map<String, Long> calls = Map.copyOf(env.simulator().requestCounts());
            long metrics = (long) (ExpositionText.sum(body, "opsgate_cloudwatch_metrics_requested_total") - metricsBefore);
            metric = new Mode("metric + GetHealthCheckStatus of failing checks (OpsGate)", seconds, calls, metrics);
            failing = ExpositionText.samples(body, "aws_route53_health_check_healthy").stream()
                    .filter(l -> ExpositionText.value(l) == 0).count();

            env.simulator().resetCounts();
            perCheck = perCheck(env.simulator().endpoint());
            perCheck = new Mode(perCheck.name(), perCheck.seconds(), Map.copyOf(env.simulator().requestCounts()), 0);
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### Run of %s: `%s`%n%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), command));
        md.append(String.format(Locale.ROOT, "Machine: %s; load average at start %s.%n%n", machine.summary(), machine.loadAverage()));
        md.append(String.format(Locale.ROOT, "%,d health checks in one account (%d failing now), simulator latency %d ms per"
                + " call, Route 53 limited to 5 requests/s per account (HTTP 400 Throttling beyond).%n%n",
                o.checks(), failing, o.latencyMs()));
        md.append("| way | time per cycle | Route 53 calls | GetMetricData calls | CloudWatch metrics per cycle | $ per month at 5 min |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Mode m : List.of(perCheck, metric)) {
            long route53 = m.calls().entrySet().stream().filter(e -> e.getKey().contains("HealthCheck"))
                    .mapToLong(Map.Entry::getValue).sum();
            String byOp = m.calls().entrySet().stream().filter(e -> e.getKey().contains("HealthCheck"))
                    .map(e -> e.getKey().substring(e.getKey().indexOf(':') + 1) + " " + e.getValue())
                    .sorted().reduce((a, b) -> a + ", " + b).orElse("");
            long gmd = m.calls().entrySet().stream().filter(e -> e.getKey().endsWith("GetMetricData"))
                    .mapToLong(Map.Entry::getValue).sum();
            md.append(String.format(Locale.ROOT, "| %s | %.1f s | %,d (%s) | %d | %,d | $%.2f |%n", m.name(), m.seconds(),
                    route53, byOp, gmd, m.metrics(), m.metrics() * PRICE_PER_METRIC * CYCLES_PER_MONTH));
        }
        md.append(String.format(Locale.ROOT, "%nPer check, %d Route 53 calls at 5/s cannot take less than %.1f s;"
                + " the metric reads every check in ⌈%d/500⌉ GetMetricData calls and leaves Route 53's rate to the"
                + " failing checks' observations (and to the account's other callers).%n", o.checks() + 1,
                (o.checks() + 1) / 5.0, o.checks()));
        return md.toString();
    }

    /** ListHealthChecks, then GetHealthCheckStatus of every check, each call in its own 200 ms slot (5 per second). */
    private static Mode perCheck(String endpoint) {
        try (Route53Client client = Route53Client.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAOPSGATETEST00000", "not-a-secret")))
                .build()) {
            long started = System.nanoTime();
            long[] slot = {started};
            List<HealthCheck> checks = new ArrayList<>();
            String marker = null;
            do {
                pace(slot);
                String from = marker;
                ListHealthChecksResponse page = client.listHealthChecks(r -> r.marker(from).maxItems("1000"));
                checks.addAll(page.healthChecks());
                marker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextMarker() : null;
            } while (marker != null);
            int unhealthy = 0;
            for (HealthCheck c : checks) {
                pace(slot);
                long up = client.getHealthCheckStatus(r -> r.healthCheckId(c.id())).healthCheckObservations().stream()
                        .filter(ob -> ob.statusReport().status().startsWith("Success")).count();
                if (up <= 0.18 * SimHealthCheck.CHECKER_REGIONS.size()) {
                    unhealthy++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Mode("GetHealthCheckStatus per check, paced to 5/s (" + unhealthy + " unhealthy seen)", seconds,
                    Map.of(), 0);
        }
    }

    private static void pace(long[] slot) {
        long wait = slot[0] - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        slot[0] = Math.max(slot[0], System.nanoTime()) + 200_000_000L;
    }
}
