package io.opsgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Knobs of {@code bench/run}. The defaults are the benchmark shape (10,000 volumes, 5,000 instances,
 * 20 ms AWS latency) sized so that the whole run stays under about three minutes on a 2-core machine.
 */
record BenchOptions(int volumes, int instances, int quotas, int healthChecks, int targetsPerGroup, int latencyMs,
        int cycles, int clients, int rounds, int plainRequests, int gzipRequests, List<String> serviceJvmArgs, Path jar,
        Path outDir, boolean cycleOnly, double elbv2RequestsPerSecond) {

    static final String USAGE = """
            usage: bench/run [--volumes N] [--instances N] [--quotas N] [--health-checks N]
                             [--targets-per-group N] [--latency-ms N] [--cycles N] [--clients N]
                             [--rounds N] [--plain-requests N] [--gzip-requests N]
                             [--service-jvm-args "ARGS"] [--jar PATH] [--out DIR]
                             [--only cycle] [--elbv2-requests-per-second N]
              --volumes, --instances   simulated fleet of the one (account, region) (default 10000, 5000)
              --quotas                 Service Quotas listed in the region (default 2000)
              --health-checks          Route 53 health checks of the account (default 500)
              --targets-per-group      targets in each load balancer's target group (default 50; one
                                       load balancer per 25 instances: 200 groups for 5000)
              --latency-ms             simulated AWS latency per request (default 20)
              --cycles                 timed collection cycles, after one warm-up cycle (default 5)
              --clients                concurrent scrapers, one keep-alive connection each (default 8)
              --rounds                 alternations of service and static server per encoding (default 10)
              --plain-requests         requests per round per target without gzip (default 30)
              --gzip-requests          requests per round per target with gzip (default 300)
              --service-jvm-args       JVM options of the service and static-server processes
                                       (default: the shipped JAVA_TOOL_OPTIONS of the Dockerfile,
                                       "-XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1",
                                       sized for this fleet)
              --jar                    the service jar (default target/opsgate.jar)
              --out                    where logs, configs and report.md go (default target/bench)
              --only cycle             only the collection cycle, no scrapes and no memory: --rounds
                                       alternations of the issue #2 shape (same volumes and instances, its
                                       three collectors, no quotas, health checks or target groups) and
                                       this shape, --cycles timed cycles each, in this JVM; then the first
                                       cycle of a service process of this shape
              --elbv2-requests-per-second
                                       collection.elbv2_targets.requests_per_second of the service
                                       (default: the service's own, 10, ELBv2's Describe* limit)
            """;

    /** The service's shipped JVM options (Dockerfile, README); {@code ShippedJvmOptionsTest} keeps them equal. */
    static final List<String> SHIPPED_JVM_ARGS = List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1");

    static BenchOptions parse(String[] args) {
        int volumes = 10_000;
        int instances = 5_000;
        int quotas = 2_000;
        int healthChecks = 500;
        int targetsPerGroup = 50;
        int latencyMs = 20;
        int cycles = 5;
        int clients = 8;
        int rounds = 10;
        int plainRequests = 30;
        int gzipRequests = 300;
        List<String> jvmArgs = SHIPPED_JVM_ARGS;
        Path jar = Path.of("target/opsgate.jar");
        Path out = Path.of("target/bench");
        boolean cycleOnly = false;
        double elbv2Rate = 0;
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (key.equals("-h") || key.equals("--help")) {
                throw new UsageException(null);
            }
            if (i + 1 >= args.length) {
                throw new UsageException("missing value after " + key);
            }
            String value = args[++i];
            switch (key) {
                case "--volumes" -> volumes = positive(key, value, 0);
                case "--instances" -> instances = positive(key, value, 0);
                case "--quotas" -> quotas = positive(key, value, 0);
                case "--health-checks" -> healthChecks = positive(key, value, 0);
                case "--targets-per-group" -> targetsPerGroup = positive(key, value, 0);
                case "--latency-ms" -> latencyMs = positive(key, value, 0);
                case "--cycles" -> cycles = positive(key, value, 1);
                case "--clients" -> clients = positive(key, value, 1);
                case "--rounds" -> rounds = positive(key, value, 1);
                case "--plain-requests" -> plainRequests = positive(key, value, 1);
                case "--gzip-requests" -> gzipRequests = positive(key, value, 1);
                case "--service-jvm-args" -> jvmArgs = splitArgs(value);
                case "--jar" -> jar = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--only" -> {
                    if (!value.equals("cycle")) {
                        throw new UsageException("--only takes cycle, got '" + value + "'");
                    }
                    cycleOnly = true;
                }
                case "--elbv2-requests-per-second" -> {
                    try {
                        elbv2Rate = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new UsageException(key + " wants a number, got '" + value + "'");
                    }
                    if (!(elbv2Rate > 0 && elbv2Rate <= 1000)) {
                        throw new UsageException(key + " must be more than 0 and at most 1000, got " + value);
                    }
                }
                default -> throw new UsageException("unknown option " + key);
            }
        }
        return new BenchOptions(volumes, instances, quotas, healthChecks, targetsPerGroup, latencyMs, cycles, clients, rounds, plainRequests, gzipRequests,
                jvmArgs, jar, out, cycleOnly, elbv2Rate);
    }

    private static int positive(String key, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new UsageException(key + " must be at least " + min + ", got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(key + " wants a whole number, got '" + value + "'");
        }
    }

    private static List<String> splitArgs(String value) {
        List<String> out = new ArrayList<>(Arrays.asList(value.trim().split("\\s+")));
        out.removeIf(String::isEmpty);
        return List.copyOf(out);
    }

    /** A bad command line; a null message asks for the usage text alone. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
