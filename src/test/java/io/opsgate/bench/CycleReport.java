package io.opsgate.bench;

import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run --only cycle} as Markdown: the collection cycle of the requested shape against the issue #2 shape
 * measured in the same run, rounds alternating, medians over every timed cycle of each.
 */
final class CycleReport {
    private final StringBuilder md = new StringBuilder();

    private CycleReport() {
    }

    static String render(String date, String command, Machine machine, String loadAtEnd, BenchOptions o,
                         List<CollectionBench.Figures> issue2, List<CollectionBench.Figures> shape,
                         double serviceFirstCycleSeconds, double serviceFirstCollectorsSeconds) {
        return new CycleReport().build(date, command, machine, loadAtEnd, o, issue2, shape, serviceFirstCycleSeconds,
                serviceFirstCollectorsSeconds);
    }

    private String build(String date, String command, Machine machine, String loadAtEnd, BenchOptions o,
                         List<CollectionBench.Figures> issue2, List<CollectionBench.Figures> shape,
                         double serviceFirstCycleSeconds, double serviceFirstCollectorsSeconds) {
        line("##### Cycle run of %s", date);
        line("");
        line("`%s`", command);
        line("");
        line("| machine | |");
        line("|---|---|");
        line("| CPUs | %d × %s |", machine.cpus(), machine.cpuModel());
        line("| java | %s |", machine.java());
        line("| load average (1/5/15 min) at start → end | %s → %s |", machine.loadAverage(), loadAtEnd);
        line("| this shape | %,d volumes, %,d instances, %,d Service Quotas, %,d Route 53 health checks, %,d target groups × %,d"
                + " targets; every collector; ELBv2 paced to %s requests/s |", o.volumes(), o.instances(), o.quotas(),
                o.healthChecks(), o.instances() == 0 ? 0 : Math.max(2, o.instances() / 25), o.targetsPerGroup(),
                o.elbv2RequestsPerSecond() > 0 ? fmt(o.elbv2RequestsPerSecond()) : "10 (the default)");
        line("| issue #2 shape | the same volumes and instances, nothing else; collectors ebs, ec2, ec2_status |");
        line("| latency | %d ms per simulated AWS request; %d alternating rounds of 1 warm-up + %d timed cycles each |",
                o.latencyMs(), o.rounds(), o.cycles());
        line("");
        long[] base = all(issue2, false);
        long[] mine = all(shape, false);
        line("| measured | cycles | median | min | max |");
        line("|---|---:|---:|---:|---:|");
        row("issue #2 shape: `runAllOnce()` until the snapshot is recorded", base);
        row("this shape: `runAllOnce()` until the snapshot is recorded", mine);
        row("this shape: until `/metrics` serves it", all(shape, true));
        row("this shape: until route53 and elbv2_targets (beside the cycle) have recorded theirs too",
                shape.stream().flatMapToLong(f -> java.util.Arrays.stream(f.besideNanos())).toArray());
        long[] firsts = shape.stream().mapToLong(CollectionBench.Figures::firstCycleNanos).toArray();
        row("this shape: first cycle after start-up, same JVM (incl. render)", firsts);
        line("| this shape: first cycle of the service process (`opsgate_collection_duration_seconds`, `%s`) | 1 | %.2f s | | |",
                String.join(" ", o.serviceJvmArgs()), serviceFirstCycleSeconds);
        line("| this shape: first cycle of the service process, its longest collector (`opsgate_collector_duration_seconds`) | 1 | %.2f s | | |",
                serviceFirstCollectorsSeconds);
        line("");
        line("Ratio of the medians, this shape / issue #2 shape: **%.2f**.", Stats.median(mine) / Stats.median(base));
        line("");
        line("AWS calls of this shape's last timed cycle: %s.", calls(shape.get(shape.size() - 1)));
        return md.toString();
    }

    private static long[] all(List<CollectionBench.Figures> figures, boolean publish) {
        return figures.stream().flatMapToLong(f -> java.util.Arrays.stream(publish ? f.publishNanos() : f.collectNanos()))
                .toArray();
    }

    private void row(String what, long[] nanos) {
        long min = java.util.Arrays.stream(nanos).min().orElse(0);
        long max = java.util.Arrays.stream(nanos).max().orElse(0);
        line("| %s | %d | %.2f s | %.2f s | %.2f s |", what, nanos.length, Stats.median(nanos) / 1e9, min / 1e9, max / 1e9);
    }

    private static String calls(CollectionBench.Figures f) {
        StringBuilder b = new StringBuilder();
        f.callsPerCycle().forEach((op, n) -> b.append(b.length() == 0 ? "" : ", ").append(op).append(' ').append(n));
        return b + " (" + f.totalCalls() + " in all)";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private void line(String format, Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
