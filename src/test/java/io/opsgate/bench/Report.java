package io.opsgate.bench;

import io.opsgate.bench.ScrapeBench.Encoding;
import io.opsgate.bench.ScrapeBench.Result;
import io.opsgate.bench.ScrapeBench.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's figures as paste-ready Markdown for BENCHMARKS.md, with each target met or not. */
final class Report {
    static final double CYCLE_TARGET_SECONDS = 10;
    static final double SCRAPE_RATIO_TARGET = 1.5;
    static final double RSS_TARGET_BYTES = 300e6;

    /** Everything one run measured. */
    record Run(String date, String command, Machine machine, String loadAtStart, String loadAtEnd, BenchOptions options,
               CollectionBench.Figures cycles, double serviceFirstCycleSeconds, long serviceFirstCycleGetMetricData,
               Map<Encoding, Map<Target, Result>> scrapes, Memories memory) {
    }

    /** The scrape benchmark's service process after its first cycle and after the load; a collecting one. */
    record Memories(long rssAfterFirstCycleKiB, Memory afterScrapes, SteadyState.Figures collecting, long staticServerRssKiB) {
        long peakRssKiB() {
            return Math.max(afterScrapes.rssPeakKiB(), collecting.memory().rssPeakKiB());
        }
    }

    private final StringBuilder md = new StringBuilder();

    /** Writes a benchmark's Markdown to {@code file} and prints it, ready to paste into BENCHMARKS.md. */
    static void publish(Path file, String markdown) throws IOException {
        Files.writeString(file, markdown);
        System.out.println();
        System.out.println("---- paste into BENCHMARKS.md (also in " + file + ") ----");
        System.out.println(markdown);
    }

    static String render(Run run) {
        return new Report().build(run);
    }

    private String build(Run r) {
        BenchOptions o = r.options();
        line("### Run of %s", r.date());
        line("");
        line("`%s`", r.command());
        line("");
        line("| machine | |");
        line("|---|---|");
        line("| CPUs | %d × %s |", r.machine().cpus(), r.machine().cpuModel());
        line("| memory | %,d MiB |", r.machine().memoryMiB());
        line("| java | %s |", r.machine().java());
        line("| load average (1/5/15 min) at start → end | %s → %s |", r.loadAtStart(), r.loadAtEnd());
        line("| fleet | %,d volumes, %,d instances, %,d Service Quotas, %,d Route 53 health checks, %,d target groups "
                + "× %,d targets; 1 account, 1 region (%s); %d ms simulated latency per AWS request |",
                o.volumes(), o.instances(), o.quotas(), o.healthChecks(), o.instances() == 0 ? 0 : Math.max(2, o.instances() / 25),
                o.targetsPerGroup(), BenchConfig.REGION, o.latencyMs());
        line("| collectors | ebs, ec2, ec2_status, quotas, snapshots, tags, route53, elbv2_targets (cost-aware polling off: "
                + "every cycle reads everything) |");
        line("| service JVM options | `%s` |", o.serviceJvmArgs().isEmpty() ? "(none)" : String.join(" ", o.serviceJvmArgs()));
        line("");
        calls(r.cycles());
        cycle(r);
        scrapes(r.scrapes(), o);
        memory(r.memory(), o);
        targets(r);
        return md.toString();
    }

    private void calls(CollectionBench.Figures f) {
        line("#### AWS calls per collection cycle");
        line("");
        line("| operation | calls |");
        line("|---|---:|");
        f.callsPerCycle().forEach((op, n) -> line("| %s | %,d |", op, n));
        line("| **total** | **%,d** |", f.totalCalls());
        line("");
        line("Queries expected from the fleet: BurstBalance of attached gp2/st1/sc1 volumes, 2 credit metrics per running "
                + "burstable instance and 2 more per unlimited one, the AWS/Usage series of quotas OpsGate does not count "
                + "from inventory, and one HealthCheckStatus per health check.");
        line("");
        line("| GetMetricData queries (service's count) | queries expected from the fleet | GetMetricData calls | ⌈queries/500⌉ | equal |");
        line("|---:|---:|---:|---:|---|");
        line("| %,d | %,d | %,d | %,d | %s |", f.queriesPerCycle(), f.expectedQueries(), f.getMetricDataCalls(),
                f.minimumCalls(), yes(f.getMetricDataCalls() == f.minimumCalls() && f.queriesPerCycle() == f.expectedQueries()));
        if (!f.sameCallsEveryCycle()) {
            line("");
            line("Note: the timed cycles did not all make the same calls; the table shows the last one.");
        }
        line("");
        target(callsCheck(f));
    }

    private void cycle(Run r) {
        CollectionBench.Figures f = r.cycles();
        line("#### One full collection cycle (%d ms per AWS request)", r.options().latencyMs());
        line("");
        line("| measured | cycles | median | min | max |");
        line("|---|---:|---:|---:|---:|");
        line("| collect: `runAllOnce()` until the snapshot is recorded | %d | %s | %s | %s |", f.collectNanos().length,
                seconds(Stats.median(f.collectNanos())), seconds(min(f.collectNanos())), seconds(max(f.collectNanos())));
        line("| collect + render: until `/metrics` serves it | %d | %s | %s | %s |", f.publishNanos().length,
                seconds(Stats.median(f.publishNanos())), seconds(min(f.publishNanos())), seconds(max(f.publishNanos())));
        line("| first cycle after start-up, same JVM (cold, incl. render) | 1 | %s | | |", seconds(f.firstCycleNanos()));
        line("| first cycle of the service process (its `opsgate_collection_duration_seconds`; %,d GetMetricData calls) | 1 | %.2f s | | |",
                r.serviceFirstCycleGetMetricData(), r.serviceFirstCycleSeconds());
        line("");
        target(cycleCheck(f));
    }

    private void scrapes(Map<Encoding, Map<Target, Result>> scrapes, BenchOptions o) {
        line("#### `/metrics` under %d concurrent scrapers, against a static server with the same bytes", o.clients());
        line("");
        line("%d alternating rounds per encoding of %d (plain) / %d (gzip) requests per target, after a warm-up; keep-alive, one connection per scraper.",
                o.rounds(), o.plainRequests(), o.gzipRequests());
        line("");
        line("| encoding | target | body | requests | median | p99 | req/s | server CPU per request |");
        line("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Encoding e : Encoding.values()) {
            Result service = scrapes.get(e).get(Target.SERVICE);
            Result stat = scrapes.get(e).get(Target.STATIC);
            row(e, "opsgate `/metrics`", service);
            row(e, "static server", stat);
            line("| %s | **ratio opsgate / static** | | | **%.2f** | **%.2f** | %.2f | %.2f |", name(e),
                    service.medianMillis() / stat.medianMillis(), service.p99Millis() / stat.p99Millis(),
                    service.requestsPerSecond() / stat.requestsPerSecond(),
                    service.cpuMillisPerRequest() / stat.cpuMillisPerRequest());
        }
        line("");
        target(scrapeCheck(scrapes));
    }

    private void row(Encoding e, String target, Result r) {
        line("| %s | %s | %s | %,d | %.2f ms | %.2f ms | %.1f | %.2f ms |", name(e), target, bytes(r.meanBodyBytes()), r.requests(),
                r.medianMillis(), r.p99Millis(), r.requestsPerSecond(), r.cpuMillisPerRequest());
    }

    private void memory(Memories m, BenchOptions o) {
        line("#### Memory of the service process (`%s`)", o.serviceJvmArgs().isEmpty() ? "no JVM options" : String.join(" ", o.serviceJvmArgs()));
        line("");
        line("| process, moment | heap used after forced GC | heap committed | RSS | RSS after GC | peak RSS (VmHWM) |");
        line("|---|---:|---:|---:|---:|---:|");
        line("| scrape benchmark's service, after its first cycle | | | %s | | |", kib(m.rssAfterFirstCycleKiB()));
        memoryRow("scrape benchmark's service, after the scrape load", m.afterScrapes());
        memoryRow(String.format(Locale.ROOT, "a service collecting every %s, after %d cycles (scraped once a second, gzip)",
                SteadyState.INTERVAL, m.collecting().cycles()), m.collecting().memory());
        line("");
        line("For scale: the static server's RSS after the load was %s.", kib(m.staticServerRssKiB()));
        line("");
        target(memoryCheck(m));
    }

    private void memoryRow(String label, Memory m) {
        line("| %s | %s | %s | %s | %s | %s |", label, kib(m.heapUsedAfterGcKiB()), kib(m.heapCommittedKiB()),
                kib(m.rssKiB()), kib(m.rssAfterGcKiB()), kib(m.rssPeakKiB()));
    }

    /** One target of the issue, as measured in this run. */
    private record Check(String target, String measured, boolean met) {
    }

    private void target(Check c) {
        line("Target: %s — measured %s — **%s**.", c.target(), c.measured(), c.met() ? "met" : "not met");
        line("");
    }

    private static Check callsCheck(CollectionBench.Figures f) {
        return new Check("GetMetricData calls per cycle = ⌈queries/500⌉",
                String.format(Locale.ROOT, "%,d = ⌈%,d/500⌉ = %,d", f.getMetricDataCalls(), f.queriesPerCycle(), f.minimumCalls()),
                f.getMetricDataCalls() == f.minimumCalls() && f.queriesPerCycle() == f.expectedQueries());
    }

    private static Check cycleCheck(CollectionBench.Figures f) {
        double cycle = Stats.median(f.collectNanos()) / 1e9;
        return new Check(String.format(Locale.ROOT, "one collection cycle < %.0f s", CYCLE_TARGET_SECONDS),
                String.format(Locale.ROOT, "median %.2f s", cycle), cycle < CYCLE_TARGET_SECONDS);
    }

    private static Check scrapeCheck(Map<Encoding, Map<Target, Result>> scrapes) {
        StringBuilder ratios = new StringBuilder();
        boolean met = true;
        for (Encoding e : Encoding.values()) {
            Result service = scrapes.get(e).get(Target.SERVICE);
            Result stat = scrapes.get(e).get(Target.STATIC);
            double median = service.medianMillis() / stat.medianMillis();
            double p99 = service.p99Millis() / stat.p99Millis();
            met &= median <= SCRAPE_RATIO_TARGET && p99 <= SCRAPE_RATIO_TARGET;
            ratios.append(ratios.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s median %.2f, p99 %.2f", name(e), median, p99));
        }
        return new Check(String.format(Locale.ROOT, "`/metrics` latency / static server ≤ %.1f (median and p99)", SCRAPE_RATIO_TARGET),
                ratios.toString(), met);
    }

    private static Check memoryCheck(Memories m) {
        return new Check("service RSS < 300 MB", String.format(Locale.ROOT, "peak %s (highest VmHWM of both service processes)",
                kib(m.peakRssKiB())), m.peakRssKiB() * 1024.0 < RSS_TARGET_BYTES);
    }

    private void targets(Run r) {
        line("#### Targets");
        line("");
        line("| target | measured | met |");
        line("|---|---|---|");
        for (Check c : List.of(callsCheck(r.cycles()), cycleCheck(r.cycles()), scrapeCheck(r.scrapes()), memoryCheck(r.memory()))) {
            line("| %s | %s | %s |", c.target(), c.measured(), yes(c.met()));
        }
    }

    private static String name(Encoding e) {
        return e == Encoding.GZIP ? "gzip" : "plain";
    }

    private static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String seconds(double nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static String bytes(double n) {
        return n >= 1e6 ? String.format(Locale.ROOT, "%.2f MB", n / 1e6) : String.format(Locale.ROOT, "%.0f kB", n / 1e3);
    }

    private static String kib(long kib) {
        return String.format(Locale.ROOT, "%.0f MB", kib * 1024 / 1e6);
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private void line(String format, Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
