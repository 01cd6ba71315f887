package io.opsgate.bench;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code /metrics} of the service against a static server holding the same bytes, under the same closed-loop
 * load, in alternating batches (service first in even rounds, static first in odd ones) so that drift in
 * the machine's load hits both targets alike.
 */
final class ScrapeBench {

    enum Target { SERVICE, STATIC }

    enum Encoding {
        PLAIN(false), GZIP(true);

        final boolean gzip;

        Encoding(boolean gzip) {
            this.gzip = gzip;
        }
    }

    /** All batches of one (target, encoding); {@code cpuNanos} is what the target process spent serving them. */
    record Result(long[] latenciesNanos, long requests, long wallNanos, long bodyBytes, long cpuNanos) {
        double medianMillis() {
            return Stats.median(latenciesNanos) / 1e6;
        }

        double p99Millis() {
            return Stats.percentile(latenciesNanos, 99) / 1e6;
        }

        double requestsPerSecond() {
            return requests / (wallNanos / 1e9);
        }

        double cpuMillisPerRequest() {
            return cpuNanos / 1e6 / requests;
        }

        double meanBodyBytes() {
            return (double) bodyBytes / requests;
        }
    }

    private final Vertx vertx;
    private final BenchOptions options;

    ScrapeBench(Vertx vertx, BenchOptions options) {
        this.vertx = vertx;
        this.options = options;
    }

    /** A server under test: where it listens and how much CPU its process has used. */
    record Server(int port, JvmProcess process) {
    }

    private record Measured(ScrapeLoad.Batch batch, long cpuNanos) {
    }

    Map<Encoding, Map<Target, Result>> run(Server service, Server staticServer) throws Exception {
        Map<Target, Server> servers = Map.of(Target.SERVICE, service, Target.STATIC, staticServer);
        Map<Encoding, Map<Target, List<Measured>>> batches = new EnumMap<>(Encoding.class);
        try (ScrapeLoad load = new ScrapeLoad(vertx, options.clients())) {
            for (Encoding encoding : Encoding.values()) {
                for (Target target : Target.values()) {
                    // Long enough for the JIT to compile the serving path of both JVMs, which otherwise bills
                    // its compile time to the first rounds.
                    int warmUp = Math.max(options.clients() * 4, requests(encoding) * 2);
                    await(load.run(servers.get(target).port(), "/metrics", encoding.gzip, warmUp));
                }
            }
            for (int round = 0; round < options.rounds(); round++) {
                List<Target> order = round % 2 == 0 ? List.of(Target.SERVICE, Target.STATIC) : List.of(Target.STATIC, Target.SERVICE);
                for (Encoding encoding : Encoding.values()) {
                    for (Target target : order) {
                        Server server = servers.get(target);
                        long cpuBefore = server.process().cpuNanos();
                        ScrapeLoad.Batch batch = await(load.run(server.port(), "/metrics", encoding.gzip, requests(encoding)));
                        long cpu = server.process().cpuNanos() - cpuBefore;
                        batches.computeIfAbsent(encoding, e -> new EnumMap<>(Target.class))
                                .computeIfAbsent(target, t -> new ArrayList<>()).add(new Measured(batch, cpu));
                    }
                }
            }
        }
        Map<Encoding, Map<Target, Result>> results = new EnumMap<>(Encoding.class);
        batches.forEach((encoding, byTarget) -> byTarget.forEach((target, list) ->
                results.computeIfAbsent(encoding, e -> new EnumMap<>(Target.class)).put(target, merge(list))));
        return results;
    }

    private int requests(Encoding encoding) {
        return encoding.gzip ? options.gzipRequests() : options.plainRequests();
    }

    private static Result merge(List<Measured> batches) {
        long[] all = batches.stream().flatMapToLong(m -> Arrays.stream(m.batch().latenciesNanos())).toArray();
        long wall = batches.stream().mapToLong(m -> m.batch().wallNanos()).sum();
        long bytes = batches.stream().mapToLong(m -> m.batch().bodyBytes()).sum();
        long cpu = batches.stream().mapToLong(Measured::cpuNanos).sum();
        return new Result(all, all.length, wall, bytes, cpu);
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    }
}
