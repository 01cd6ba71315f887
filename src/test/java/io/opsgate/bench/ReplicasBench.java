package io.opsgate.bench;

import io.opsgate.sim.AwsSimulator;
import io.opsgate.sim.SimulatorOptions;
import io.opsgate.testing.ExpositionText;
import io.opsgate.testing.FreePort;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The exporter side of issue #10's benchmark: the AWS requests and the memory of each replica with one and with three
 * OpsGate processes (the packaged jar, as users run it) on one PostgreSQL, collecting the same simulated fleet (two
 * accounts, three regions: six targets). The interval is an hour, so that exactly one collection of the fleet happens:
 * the simulator's request counts from the first process's start until the leases have settled (every target leased,
 * no replica above its share, every replica ready) are the requests one collection of the fleet costs, whether one
 * replica made it or three; then each replica's RSS, and whether all replicas serve the same AWS families. Prints a
 * Markdown report (also target/bench/replicas.md).
 */
public final class ReplicasBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "us-west-2");
    private static final int TARGETS = 2 * REGIONS.size();

    private record Options(int volumes, int instances, int intervalSeconds, int windowSeconds, String pgAdminUrl,
                           String pgUser, Path jar, Path out, List<String> jvmArgs) {
        static Options parse(String[] args) {
            int volumes = 1000;
            int instances = 500;
            int interval = 3600;
            int window = 0;
            String url = "jdbc:postgresql://127.0.0.1:5432/postgres";
            String user = "postgres";
            Path jar = Path.of("target/opsgate.jar");
            Path out = Path.of("target/bench");
            List<String> jvm = List.of("-Xmx256m");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help")) {
                    System.out.println("""
                            bench/replicas [--volumes N] [--instances N] [--interval SECONDS] [--window SECONDS]
                                           [--pg-admin-url JDBC_URL] [--pg-user USER] [--jar PATH] [--out DIR]
                                           [--service-jvm-args "ARGS"]
                              per region and account (2 accounts x 3 regions); defaults 1000 volumes, 500 instances,
                              interval 1 h (one collection), no extra window (--window S: also count S seconds of
                              steady state after settling), PostgreSQL at 127.0.0.1:5432 as postgres
                              (a database is created per run and dropped after), service JVM -Xmx256m""");
                    System.exit(0);
                }
                String v = args[++i];
                switch (a) {
                    case "--volumes" -> volumes = Integer.parseInt(v);
                    case "--instances" -> instances = Integer.parseInt(v);
                    case "--interval" -> interval = Integer.parseInt(v);
                    case "--window" -> window = Integer.parseInt(v);
                    case "--pg-admin-url" -> url = v;
                    case "--pg-user" -> user = v;
                    case "--jar" -> jar = Path.of(v);
                    case "--out" -> out = Path.of(v);
                    case "--service-jvm-args" -> jvm = List.of(v.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + a + " (--help)");
                }
            }
            return new Options(volumes, instances, interval, window, url, user, jar, out, jvm);
        }
    }

    record Phase(int replicas, Map<String, Long> requests, double targetCycles, List<Long> rssKiB,
                 List<Integer> leasesHeld, boolean identical, long resultBytes) {
        long total() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Files.createDirectories(o.out());
        Vertx vertx = Vertx.vertx();
        AwsSimulator simulator = AwsSimulator.start(vertx, SimulatorOptions.defaults()
                        .withFleetSize(o.volumes(), o.instances()))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            List<Phase> phases = new ArrayList<>();
            for (int n : List.of(1, 3)) {
                phases.add(phase(o, simulator, n));
            }
            String report = report(o, phases);
            Files.writeString(o.out().resolve("replicas.md"), report);
            System.out.println(report);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Phase phase(Options o, AwsSimulator simulator, int n) throws Exception {
        String database = "opsgate_bench_replicas_" + ProcessHandle.current().pid() + "_" + n;
        admin(o, "CREATE DATABASE " + database);
        String url = o.pgAdminUrl().substring(0, o.pgAdminUrl().lastIndexOf('/') + 1) + database;
        List<JvmProcess> processes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        simulator.resetCounts();
        try {
            for (int i = 0; i < n; i++) {
                int port = FreePort.pick();
                Path config = o.out().resolve("replicas-" + n + "-" + i + ".yml");
                Files.writeString(config, yaml(simulator.endpoint(), port, o.intervalSeconds(), url, o.pgUser()));
                progress("replica " + (i + 1) + "/" + n + " on :" + port);
                processes.add(JvmProcess.start("opsgate replica " + i, o.jvmArgs(),
                        List.of("-jar", o.jar().toString(), "run", "-c", config.toString()),
                        o.out().resolve("replicas-" + n + "-" + i + ".log")));
                ports.add(port);
            }
            // Settled: every replica ready, every target leased and published, no replica above its fair share.
            int share = (TARGETS + n - 1) / n;
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            List<Integer> held;
            while (true) {
                held = new ArrayList<>();
                boolean ready = true;
                for (int i = 0; i < n; i++) {
                    if (!processes.get(i).alive()) {
                        throw new IllegalStateException("replica " + i + " exited; see its log");
                    }
                    ready &= status(ports.get(i), "/-/ready") == 200;
                    held.add((int) ExpositionText.sum(metrics(ports.get(i)), "opsgate_collection_leases_held"));
                }
                if (ready && held.stream().mapToInt(Integer::intValue).sum() == TARGETS
                        && held.stream().allMatch(h -> h <= share) && resultRows(url, o.pgUser()) == TARGETS) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replicas did not settle: ready " + ready + ", leases " + held);
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
            progress("settled, leases held " + held);
            if (o.windowSeconds() > 0) {
                progress("counting " + o.windowSeconds() + " s more");
                TimeUnit.SECONDS.sleep(o.windowSeconds());
            }
            Map<String, Long> requests = simulator.requestCounts();
            double targetCycles = cycles(ports);
            List<Long> rss = new ArrayList<>();
            for (JvmProcess p : processes) {
                rss.add(p.residentKiB()[0]);
            }
            java.util.Set<String> shared = new HashSet<>();
            for (int port : ports) {
                shared.add(metrics(port).lines().filter(l -> l.startsWith("aws_") || l.startsWith("# HELP aws_")
                        || l.startsWith("# TYPE aws_")).collect(Collectors.joining("\n")));
            }
            long resultBytes;
            try (Connection c = connect(url, o.pgUser()); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT coalesce(sum(octet_length(body)), 0) FROM opsgate_collection.results")) {
                rs.next();
                resultBytes = rs.getLong(1);
            }
            return new Phase(n, requests, targetCycles, rss, held, shared.size() == 1, resultBytes);
        } finally {
            for (JvmProcess p : processes) {
                p.close();
            }
            admin(o, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** Targets with a published result (0 until the collection tables exist). */
    private static long resultRows(String url, String user) {
        try (Connection c = connect(url, user); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM opsgate_collection.results")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception notYet) {
            return 0;
        }
    }

    private static double cycles(List<Integer> ports) throws Exception {
        double sum = 0;
        for (int port : ports) {
            sum += ExpositionText.sum(metrics(port), "opsgate_collection_cycles_total");
        }
        return sum;
    }

    private static String yaml(String sim, int port, int interval, String url, String user) {
        String endpoint = BenchConfig.byHostName(sim);
        return """
                # Generated by bench/replicas.
                server:
                  listen: "127.0.0.1:%2$d"
                collection:
                  interval: %3$ds
                  jitter: 0.5
                  cloudwatch: {cost_aware: {enabled: false}}
                aws:
                  regions: [%6$s]
                  endpoints: {ec2: "%1$s", cloudwatch: "%1$s", sts: "%1$s", rds: "%1$s", elasticloadbalancing: "%1$s", servicequotas: "%1$s"}
                  credentials: {access_key_id: AKIAOPSGATEBENCH0000, secret_access_key: bench-secret-not-a-real-key}
                accounts:
                  - name: a
                    role_arn: arn:aws:iam::111111111111:role/opsgate
                  - name: b
                    role_arn: arn:aws:iam::222222222222:role/opsgate
                alerts:
                  enabled: false
                  store: {type: postgres, url: "%4$s", user: %5$s, lease: 30s}
                """.formatted(endpoint, port, interval, url, user, String.join(", ", REGIONS));
    }

    private static String report(Options o, List<Phase> phases) {
        StringBuilder sb = new StringBuilder();
        Machine m = Machine.current();
        sb.append("### Exporter replicas on one PostgreSQL (`bench/replicas`)\n\n");
        sb.append(String.format(Locale.ROOT, "Fleet: 2 accounts × %d regions = %d targets, %,d volumes and %,d instances"
                        + " per target; interval %d s, requests counted from the first start until the leases settled"
                        + " plus %d s; every collector, cost-aware polling off; service JVM `%s`. Machine: %s."
                        + " Load average at the end: %s.%n%n",
                REGIONS.size(), TARGETS, o.volumes(), o.instances(), o.intervalSeconds(), o.windowSeconds(),
                String.join(" ", o.jvmArgs()), String.format(Locale.ROOT, "%d cores (%s), %,d MiB, %s", m.cpus(),
                        m.cpuModel(), m.memoryMiB(), m.java()), Machine.currentLoadAverage()));
        sb.append("| replicas | leases held | target cycles | AWS requests | requests per target cycle"
                + " | GetMetricData | RSS per replica | same AWS families on every replica | result rows in PostgreSQL |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Phase p : phases) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %,d | %.1f | %,d | %s | %s | %,d bytes |%n",
                    p.replicas(), p.leasesHeld(), p.targetCycles(), p.total(),
                    p.targetCycles() == 0 ? 0 : p.total() / p.targetCycles(),
                    p.requests().getOrDefault("GetMetricData", 0L),
                    p.rssKiB().stream().map(k -> String.format(Locale.ROOT, "%.0f MiB", k / 1024.0))
                            .collect(Collectors.joining(", ")),
                    p.identical() ? "yes" : "**no**", p.resultBytes()));
        }
        sb.append("\nRequests by operation:\n\n| operation |");
        phases.forEach(p -> sb.append(" ").append(p.replicas()).append(" replica(s) |"));
        sb.append("\n|---|").append("---|".repeat(phases.size())).append('\n');
        java.util.TreeSet<String> ops = new java.util.TreeSet<>();
        phases.forEach(p -> ops.addAll(p.requests().keySet()));
        for (String op : ops) {
            sb.append("| ").append(op).append(" |");
            phases.forEach(p -> sb.append(String.format(Locale.ROOT, " %,d |", p.requests().getOrDefault(op, 0L))));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception notYet) {
            return -1;
        }
    }

    private static String metrics(int port) throws Exception {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException notListeningYet) {
            return "";
        }
    }

    private static void admin(Options o, String sql) throws Exception {
        try (Connection c = connect(o.pgAdminUrl(), o.pgUser()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect(String url, String user) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", user);
        return DriverManager.getConnection(url, p);
    }

    private static void progress(String message) {
        System.err.println("bench/replicas: " + message);
    }
}
